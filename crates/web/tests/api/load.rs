//! Answers under load: a kept report is the report computed afresh after
//! every kind of act, answers are compressed when the client accepts gzip,
//! and the heavy routes refuse with 503 and `Retry-After` when no permit is free.

use crate::support::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use crimeboard_domain::act::Command;
use crimeboard_export::{Format, Lang};
use crimeboard_service::audit::Audited;
use crimeboard_service::{Receipt, Submission};
use crimeboard_stats::Period;
use serde_json::{Value, json};
use std::io::Read;
use std::time::Duration;

/// Which kind of act a command is: a new command fails to compile here until
/// the test below records one of its kind.
fn kind_index(command: &Command) -> usize {
    match command {
        Command::RegisterReport(_) => 0,
        Command::ExtendCheck(_) => 1,
        Command::DecideReport(_) => 2,
        Command::RateHandling(_) => 3,
        Command::OpenCase(_) => 4,
        Command::AddPerson(_) => 5,
        Command::Reclassify(_) => 6,
        Command::DecideCase(_) => 7,
        Command::RecordDamage(_) => 8,
        Command::Reimburse(_) => 9,
        Command::RecordSeizure(_) => 10,
        Command::HoldAccountable(_) => 11,
        Command::RecordAccident(_) => 12,
        Command::RequestExamination(_) => 13,
        Command::CompleteExamination(_) => 14,
        Command::Annul(_) => 15,
        Command::AdoptJurisdiction(_) => 16,
        Command::RenameUnit(_) => 17,
        Command::MoveUnit(_) => 18,
        Command::MergeUnits(_) => 19,
        Command::AddUnit(_) => 20,
        Command::ScheduleMeeting(_) => 21,
        Command::RecordMinutes(_) => 22,
        Command::IssueTask(_) => 23,
        Command::ReportOnTask(_) => 24,
        Command::ControlTask(_) => 25,
        Command::DraftRelease(_) => 26,
        Command::EditRelease(_) => 27,
        Command::ApproveRelease(_) => 28,
        Command::PublishRelease(_) => 29,
        Command::ScheduleReception(_) => 30,
        Command::BookReception(_) => 31,
        Command::CancelBooking(_) => 32,
        Command::CancelReception(_) => 33,
        Command::RecordReception(_) => 34,
        Command::RegisterAppeal(_) => 35,
        Command::ExtendAppeal(_) => 36,
        Command::ReportFromAppeal(_) => 37,
        Command::AnswerAppeal(_) => 38,
        Command::RateAppeal(_) => 39,
        Command::ReferAppeal(_) => 40,
        Command::PublishReport(_) => 41,
        Command::AttachIdentifier(_) => 42,
        Command::RemoveIdentifier(_) => 43,
        Command::SetUnitContacts(_) => 44,
        Command::DecideLinking(_) => 45,
        Command::RequestCancellation(_) => 46,
        Command::DecideCancellation(_) => 47,
        Command::RequestFreeze(_) => 48,
        Command::AnswerFreeze(_) => 49,
        Command::ReturnFrozen(_) => 50,
        Command::DrawSample(_) => 51,
        Command::ReviewSample(_) => 52,
        Command::ConfirmSeries(_) => 53,
        Command::SplitSeries(_) => 54,
        Command::AcknowledgeSeriesAlert(_) => 55,
        Command::WriteRelease(_) => 56,
    }
}
const KINDS: usize = 57;

/// The act to record next, written from the receipts of the acts before it
/// (`r[i]` is the receipt of the i-th act).
fn next_act(step: usize, r: &[Receipt]) -> Option<Value> {
    let id = |i: usize| r[i].entity_id.to_string();
    let act = match step {
        0 => json!({"act": "register_report", "unit": "BAK-NSM", "channel": "in_person",
            "received_at": "2024-02-01T08:15:30Z", "officer": "Leytenant Həsənov",
            "applicant": {"role": "applicant", "full_name": "Məmmədova Leyla", "fin": "5ABC12D", "sex": "female"},
            "summary": "Mənzildən oğurluq"}),
        1 => json!({"act": "register_report", "unit": "BAK-NSM", "channel": "line102",
            "received_at": "2024-02-02T10:00:00Z", "officer": "Növbətçi", "summary": "Ərizə"}),
        2 => json!({"act": "extend_check", "report_id": id(1), "granted_at": "2024-02-03T10:00:00Z",
            "granted_by": "unit_chief", "reference": "Əmr № 17"}),
        3 => json!({"act": "open_case", "unit": "BAK-NSM", "agency": "mia", "report_ids": [id(0)],
            "articles": ["177.2"], "occurred_at": "2024-02-01T02:00:00Z", "registered_at": "2024-02-04T12:00:00Z",
            "description": "Mənzil oğurluğu",
            "persons": [{"role": "suspect", "full_name": "İsmayılov Rəşad", "birth_date": "1990-03-01", "sex": "male"},
                {"role": "victim", "full_name": "Məmmədova Leyla", "birth_date": "1991-05-05"}]}),
        4 => json!({"act": "decide_report", "report_id": id(1), "decided_at": "2024-02-20T09:00:00Z",
            "outcome": {"kind": "refuse", "ground": "Cinayət tərkibi yoxdur"}, "late_reason": "Ekspertiza gecikdi"}),
        5 => json!({"act": "rate_handling", "report_id": id(0), "rated_at": "2024-02-21T10:00:00Z", "score": 4}),
        6 => json!({"act": "add_person", "case_id": id(3), "person": {"role": "accused", "full_name": "Quliyev Tural",
            "birth_date": "1985-07-15", "sex": "male"}}),
        7 => json!({"act": "reclassify", "case_id": id(3), "articles": ["177.3"], "reason": "Yeni faktlar",
            "decided_at": "2024-02-22T11:00:00Z"}),
        8 => json!({"act": "record_damage", "case_id": id(3), "amount_qepik": 1234567,
            "victim_id": r[3].person_ids[1].to_string(), "assessed_at": "2024-02-23T00:00:00Z"}),
        9 => {
            json!({"act": "reimburse", "case_id": id(3), "amount_qepik": 100000, "reimbursed_at": "2024-02-24T00:00:00Z"})
        }
        10 => json!({"act": "decide_case", "case_id": id(3), "decided_at": "2024-02-27T08:00:00Z",
            "decision": {"kind": "solved", "how": "Barmaq izləri", "forensic_methods": ["fingerprints"]}}),
        11 => json!({"act": "record_seizure", "unit": "BAK-NSM", "case_id": id(3), "substance": "heroin",
            "net_grams": 1329, "seized_at": "2024-02-28T14:30:00Z"}),
        12 => json!({"act": "hold_accountable", "unit": "GNC", "full_name": "Əliyev Kamran", "liability": "criminal",
            "offence": "234.1", "narcotics": true, "case_id": id(3), "decided_at": "2024-02-29T09:00:00Z"}),
        13 => json!({"act": "record_accident", "unit": "LNK", "occurred_at": "2024-03-01T18:00:00Z",
            "place": {"address": "Lənkəran–Astara yolu, 12-ci km"}, "killed": 1, "injured": 3,
            "cause": "Sürət həddinin aşılması"}),
        14 => json!({"act": "request_examination", "unit": "BAK-NSM", "case_id": id(3), "kind": "dna",
            "requested_at": "2024-03-02T10:00:00Z", "question": "DNT nümunəsi kimə məxsusdur?"}),
        15 => json!({"act": "complete_examination", "examination_id": id(14), "done_at": "2024-03-05T16:45:00Z",
            "result": "Şübhəliyə məxsusdur", "identified_person": true}),
        // The accident, annulled: its dead and injured leave the figures.
        16 => json!({"act": "annul", "unit": r[13].unit, "seq": r[13].seq, "reason": "Səhv qeyd"}),
        // Counting rules with one more indicator: the counters are recounted under them.
        17 => json!({"act": "adopt_jurisdiction", "files": recounting_pack(), "effective_from": "2024-03-01"}),
        // The unit tree changes from the quarter's first day: names and roll-ups move.
        18 => json!({"act": "rename_unit", "unit": "LNK", "names": {"en": "Lankaran Police"},
            "effective_from": "2024-01-01"}),
        19 => json!({"act": "move_unit", "unit": "LNK", "new_parent": "GNC", "effective_from": "2024-01-01"}),
        20 => json!({"act": "merge_units", "absorbed": "BAK-NSM", "into": "BAK-YAS", "effective_from": "2024-01-01"}),
        21 => json!({"act": "add_unit", "code": "GNC-2", "parent": "GNC", "kind": "district", "agency": "mia",
            "names": {"en": "Ganja Second"}, "effective_from": "2024-02-01"}),
        // The Board's work moves no figure.
        22 => json!({"act": "schedule_meeting", "unit": "AZ", "held_on": "2024-04-18", "kind": "quarterly",
            "period_from": "2024-01-01", "period_to": "2024-03-31", "title": "Kollegiya",
            "agenda": [{"topic": "Cinayətkarlıq", "indicators": ["crimes_recorded"], "units": ["BAK"]}]}),
        23 => json!({"act": "record_minutes", "meeting_id": id(22), "minutes": "Protokol",
            "attendance": [{"full_name": "Nazir", "position": "Nazir", "present": true}]}),
        24 => json!({"act": "issue_task", "meeting_id": id(22), "text": "Oğurluqları azaltmaq", "authority": "Nazir",
            "owner": "BAK", "controller": "tests", "due_on": "2024-06-30", "control_level": "minister",
            "targets": [{"indicator": "crimes_recorded", "expected": {"kind": "decrease"}}]}),
        25 => json!({"act": "report_on_task", "task_id": id(24), "kind": {"kind": "ask_closure"},
            "text": "İcra olunub", "confidence": "on_track"}),
        26 => json!({"act": "control_task", "task_id": id(24), "confidence": "on_track",
            "decision": {"kind": "close", "justification": "Göstərici azalıb"}}),
        // The press release states the figures and moves none.
        27 => json!({"act": "draft_release", "meeting_id": id(22), "unit": "AZ"}),
        28 => json!({"act": "edit_release", "release_id": id(27), "lang": "en", "text": "The Board met: {{fig:0}}."}),
        29 => json!({"act": "approve_release", "release_id": id(27)}),
        30 => json!({"act": "publish_release", "release_id": id(27)}),
        // A chief's receptions of citizens move no figure either.
        31 => json!({"act": "schedule_reception", "unit": "BAK", "day": "2024-04-25", "from": "10:00:00",
            "to": "12:00:00", "place": "Rəisin qəbul otağı", "capacity": 5,
            "chief": {"full_name": "Polkovnik Əliyev", "position": "Rəis"}}),
        32 => json!({"act": "book_reception", "reception_id": id(31), "subject": "Qonşu ilə mübahisə",
            "booked_via": "telephone", "visitor": {"full_name": "Məmmədov Elçin", "phone": "+994 50 123 45 67"}}),
        33 => json!({"act": "cancel_booking", "reception_id": id(31), "place": 1, "reason": "Vətəndaş imtina etdi"}),
        34 => json!({"act": "cancel_reception", "reception_id": id(31), "reason": "Rəis ezamiyyətdədir",
            "visitors_told": true}),
        35 => json!({"act": "schedule_reception", "unit": "BAK", "day": "2024-04-19", "from": "16:00:00",
            "to": "18:00:00", "place": "Rəisin qəbul otağı", "capacity": 3,
            "chief": {"full_name": "Polkovnik Əliyev", "position": "Rəis"}}),
        36 => json!({"act": "record_reception", "reception_id": id(35), "absent": [],
            "held_by": {"full_name": "Polkovnik Əliyev", "position": "Rəis"},
            "visitors": [{"full_name": "Hüseynova Aynur", "subject": "Oğlunun işi",
                "outcome": {"kind": "appeal_to_register"}}]}),
        // A citizen's appeal mentioning an offence: extended, a crime report
        // registered from it, answered and rated; another referred.
        37 => json!({"act": "register_appeal", "unit": "BAK-YAS", "addressed_to": "BAK", "channel": "written",
            "kind": "complaint", "received_at": "2024-03-04T08:00:00Z",
            "applicants": {"kind": "person", "person": {"full_name": "Həsənova Aygün", "address": "Bakı, Yasamal"}},
            "subject": "Qonşunun hədələri", "text": "Qonşum məni hədələyir", "mentions_offence": true}),
        38 => json!({"act": "extend_appeal", "appeal_id": id(37), "granted_at": "2024-03-05T10:00:00Z",
            "extension": {"kind": "extension", "days": 10, "reason": "Şahidlər dindirilir"},
            "granted_by": "Rəis", "applicant_told": "post"}),
        39 => json!({"act": "report_from_appeal", "appeal_id": id(37), "report": {"unit": "BAK-YAS",
            "channel": "written", "received_at": "2024-03-06T09:00:00Z", "officer": "Növbətçi",
            "summary": "Hədə-qorxu (müraciətdən)"}}),
        40 => json!({"act": "answer_appeal", "appeal_id": id(37), "answered_at": "2024-03-07T09:00:00Z",
            "decision": "explained", "text": "Cinayət haqqında məlumat qeydə alınıb", "signed_by": "Rəis",
            "delivered_by": "post"}),
        41 => json!({"act": "rate_appeal", "appeal_id": id(37), "rated_at": "2024-03-08T10:00:00Z", "score": 5}),
        42 => json!({"act": "register_appeal", "unit": "BAK-YAS", "addressed_to": "BAK-YAS", "channel": "email",
            "kind": "application", "received_at": "2024-03-11T08:00:00Z",
            "applicants": {"kind": "organisation", "name": "Mənzil kooperativi"},
            "subject": "Torpaq sahəsi", "text": "Torpaq sahəsinin sərhədləri"}),
        43 => json!({"act": "refer_appeal", "appeal_id": id(42), "referred_at": "2024-03-12T08:00:00Z",
            "to": {"kind": "body", "name": "Əmlak Məsələləri Dövlət Xidməti"}, "applicant_told": "e_mail"}),
        // A publication records the figures' position and moves none.
        44 => json!({"act": "publish_report", "scope": "AZ", "period_from": "2024-01-01",
            "period_to": "2024-03-31", "kind": "board_report"}),
        // An identifier, in the form the journal keeps, moves no figure.
        45 => json!({"act": "attach_identifier", "subject": {"kind": "case", "id": id(3)}, "record": id(3),
            "identifier": {"kind": "phone", "value": "+994501234567", "display": "+994 50 123 45 67",
                "extra": {"country": "AZ"}, "normaliser": 1}}),
        46 => json!({"act": "remove_identifier", "subject": {"kind": "case", "id": id(3)}, "record": id(3),
            "key": {"kind": "phone", "value": "+994501234567"}, "reason": "Səhv qeyd"}),
        // How the public reaches a unit moves no figure.
        47 => json!({"act": "set_unit_contacts", "unit": "GNC", "effective_from": "2024-03-01",
            "contacts": {"address": {"az": "Gəncə, Atatürk prospekti 12"}, "head": "Polkovnik Quliyev",
                "head_position": {"az": "Rəis"}, "telephone": "+994 22 256 00 00"}}),
        // An analyst's decision on linking moves no figure.
        48 => json!({"act": "decide_linking", "unit": "AZ", "key": {"kind": "phone", "value": "+994501234567"},
            "linking": "excluded", "reason": "Bankın qaynar xətti"}),
        // A request to cancel a crime, and its refusal, move no figure.
        49 => json!({"act": "request_cancellation", "case_id": id(3), "ground": "recorded_twice",
            "text": "İki dəfə qeydə alınıb", "evidence": "Eyni hadisə başqa işdə", "requested_at": "2024-03-01T08:00:00Z"}),
        50 => json!({"act": "decide_cancellation", "case_id": id(3), "approve": false,
            "note": "Fərqli hadisələrdir", "decided_at": "2024-03-02T08:00:00Z"}),
        // A fraud of April (the first quarter is published): an account on
        // its case, a request to freeze it, the bank's answer and a return to
        // the victim, which is a reimbursement of the case.
        51 => json!({"act": "open_case", "unit": "BAK-YAS", "agency": "mia", "report_ids": [],
            "detected_by_police": true, "articles": ["178.1"], "occurred_at": "2024-04-01T02:00:00Z",
            "registered_at": "2024-04-02T12:00:00Z", "description": "Kart dələduzluğu",
            "flags": {"it_enabled": true},
            "persons": [{"role": "victim", "full_name": "Əliyeva Nərmin", "birth_date": "1980-01-01"}]}),
        52 => json!({"act": "record_damage", "case_id": id(51), "amount_qepik": 500000,
            "victim_id": r[51].person_ids[0].to_string(), "assessed_at": "2024-04-03T00:00:00Z"}),
        53 => json!({"act": "attach_identifier", "subject": {"kind": "case", "id": id(51)}, "record": id(51),
            "identifier": {"kind": "iban", "value": "AZ21NABZ00000000137010001944",
                "display": "AZ21 NABZ 0000 0000 1370 1000 1944", "extra": {"country": "AZ", "bank": "NABZ"},
                "normaliser": 1}}),
        54 => json!({"act": "request_freeze", "unit": "BAK-YAS", "case_id": id(51), "institution": "Kapital Bank",
            "identifier": {"kind": "iban", "value": "AZ21NABZ00000000137010001944"}, "amount_qepik": 200000,
            "sent_at": "2024-04-05T10:00:00Z"}),
        55 => json!({"act": "answer_freeze", "request_id": id(54), "answered_at": "2024-04-05T15:00:00Z",
            "outcome": "frozen", "amount_frozen_qepik": 200000}),
        56 => json!({"act": "return_frozen", "case_id": id(51), "request_id": id(54),
            "victim_id": r[51].person_ids[0].to_string(), "amount_qepik": 50000, "returned_at": "2024-04-10T10:00:00Z"}),
        // An inspector's sample of the annulment above, and its review, move no figure.
        57 => json!({"act": "draw_sample", "unit": r[16].unit, "kind": "annulments", "period_from": "2024-04-01",
            "period_to": "2024-04-19", "size": 1, "seed": 7}),
        58 => json!({"act": "review_sample", "sample_id": id(57), "seq": r[16].seq, "finding": "correct"}),
        // A report and its case share a card: a series, confirmed and split, which moves no figure.
        59 | 60 => {
            let (kind, record) = [("report", id(0)), ("case", id(3))][step - 59].clone();
            json!({"act": "attach_identifier", "subject": {"kind": kind, "id": record}, "record": record,
                "identifier": {"kind": "phone", "value": "+994557777777", "display": "+994 55 777 77 77",
                    "extra": {"country": "AZ"}, "normaliser": 1}})
        }
        61 => json!({"act": "confirm_series", "unit": "AZ", "series": id(0), "note": "Bir dəstə"}),
        62 => json!({"act": "split_series", "unit": "AZ", "series": id(0),
            "key": {"kind": "phone", "value": "+994557777777"}, "reason": "Ümumi nömrə"}),
        63 => json!({"act": "acknowledge_series_alert", "unit": "AZ", "series": id(0)}),
        64 => json!({"act": "write_release", "unit": "AZ", "titles": {"az": "Yol polisinin reydi"},
            "texts": {"az": "Bakıda reyd keçirilib."}, "tags": {"topics": ["traffic"]}}),
        _ => return None,
    };
    Some(act)
}

/// The demo pack with one more indicator, under counting rules of their own.
fn recounting_pack() -> crimeboard_service::PackFiles {
    let mut files = crimeboard_service::demo_files();
    let indicators =
        files.0["indicators.toml"].replacen("version = \"counting-2024.4\"", "version = \"counting-x\"", 1)
            + "\n[[indicator]]\ncode = \"x_reports\"\nname = { az = \"x\", ru = \"x\", en = \"x\" }\n\
           counts = \"report\"\nby = \"received\"\nmeasure = \"count\"\n";
    files.0.insert("indicators.toml".into(), indicators);
    files
}

/// Acts whose figures in 2024Q1 must move: a case opened, solved, its damage,
/// a seizure, an accident and its annulment, new counting rules.
const MOVES_FIGURES: [usize; 7] = [3, 8, 10, 11, 13, 16, 17];

async fn fresh(app: &App, lang: Lang, format: Format) -> Vec<u8> {
    let registry = app.registry.clone();
    let period = Period::parse("2024Q1").unwrap();
    let report = tokio::task::spawn_blocking(move || registry.report(period, None).unwrap()).await.unwrap();
    crimeboard_export::render(&report, lang, format)
}

async fn record(app: &App, act: Value) -> Receipt {
    let registry = app.registry.clone();
    let command: Command = serde_json::from_value(act).unwrap();
    let submission = Submission { actor: "officer-1".into(), legal_ground: "CPC art. 207".into(), command, late: None };
    tokio::task::spawn_blocking(move || registry.record(&registry.system("tests"), &submission, &Audited::No))
        .await
        .unwrap()
        .unwrap()
}

#[test]
fn the_kept_report_is_the_fresh_one_after_every_kind_of_act() {
    each_backend(|app| async move {
        let asks = [("json", "en", Lang::En, Format::Json), ("csv", "ru", Lang::Ru, Format::Csv)];
        let uri = |format: &str, lang: &str| format!("/api/report?period=2024Q1&format={format}&lang={lang}");
        let mut receipts: Vec<Receipt> = Vec::new();
        let mut kinds = [false; KINDS];
        while let Some(act) = next_act(receipts.len(), &receipts) {
            let step = receipts.len();
            let before: Vec<Vec<u8>> = {
                let mut kept = Vec::new();
                for (format, lang, ..) in asks {
                    let reply = app.get(&uri(format, lang)).await;
                    assert_eq!(reply.status, StatusCode::OK, "{}", String::from_utf8_lossy(&reply.body));
                    kept.push(reply.body);
                }
                kept
            };
            let receipt = record(&app, act.clone()).await;
            kinds[kind_index(&serde_json::from_value(act).unwrap())] = true;
            receipts.push(receipt);
            for ((format, lang, l, f), before) in asks.into_iter().zip(before) {
                let first = app.get(&uri(format, lang)).await.body;
                let again = app.get(&uri(format, lang)).await.body;
                let fresh = fresh(&app, l, f).await;
                assert!(first == fresh, "step {step}, {format}: the answer after the act is not the fresh report");
                assert!(again == fresh, "step {step}, {format}: the kept answer is not the fresh report");
                if format == "json" {
                    let (before, after): (Value, Value) =
                        (serde_json::from_slice(&before).unwrap(), serde_json::from_slice(&fresh).unwrap());
                    assert_ne!(before["position"], after["position"], "step {step}: the position moved");
                    if MOVES_FIGURES.contains(&step) {
                        assert_ne!(before["units"], after["units"], "step {step}: the act moved no figure");
                    }
                }
            }
        }
        assert_eq!(kinds, [true; KINDS], "every kind of act is recorded once at least");
    });
}

#[test]
fn answers_are_gzipped_for_a_client_that_accepts_it() {
    each_backend(|app| async move {
        let uri = "/api/report?period=2024Q1&format=json";
        let plain = app.get(uri).await;
        assert_eq!(plain.header("content-encoding"), "", "not compressed unless asked");
        let req = Request::get(uri).header(header::ACCEPT_ENCODING, "gzip").body(Body::empty()).unwrap();
        let zipped = app.send(req).await;
        assert_eq!(zipped.status, StatusCode::OK);
        assert_eq!(zipped.header("content-encoding"), "gzip");
        assert_eq!(zipped.header("vary"), "accept-encoding");
        assert!(zipped.body.len() * 4 < plain.body.len(), "{} of {} bytes", zipped.body.len(), plain.body.len());
        let mut unzipped = Vec::new();
        flate2::read::GzDecoder::new(&zipped.body[..]).read_to_end(&mut unzipped).unwrap();
        assert_eq!(unzipped, plain.body);
        let again = Request::get(uri).header(header::ACCEPT_ENCODING, "br, gzip;q=0.8").body(Body::empty()).unwrap();
        assert_eq!(app.send(again).await.body, zipped.body, "the kept gzipped answer");
        // A page is compressed by the router's layer.
        let page =
            Request::get("/figures?lang=en").header(header::ACCEPT_ENCODING, "gzip").body(Body::empty()).unwrap();
        assert_eq!(app.send(page).await.header("content-encoding"), "gzip");
    });
}

#[test]
fn without_a_free_permit_heavy_routes_answer_503_with_retry_after() {
    each_backend(|app| async move {
        let limits = crimeboard_web::load::Limits {
            heavy_at_once: 0,
            heavy_wait: Duration::from_millis(10),
            cache_bytes: 1 << 20,
            ..Default::default()
        };
        let router = crimeboard_web::router_limited(app.registry.clone(), Default::default(), limits);
        let app = App { router, ..app };
        for uri in ["/api/report?period=2024Q1", "/api/open-data?period=2024Q1", "/api/verify", "/figures?lang=en"] {
            let reply = app.get(uri).await;
            assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{uri}");
            assert_eq!(reply.header("retry-after"), "1", "{uri}");
            assert_eq!(reply.header("content-type"), "application/problem+json", "{uri}");
            assert_eq!(reply.json()["type"], "https://crimeboard.example/problems/request.busy", "{uri}");
        }
        assert_eq!(app.get("/api/health").await.status, StatusCode::OK, "a light route takes no permit");
    });
}
