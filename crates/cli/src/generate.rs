//! Deterministic synthetic registrations for the benchmark and the demo:
//! the same seed always gives the same reports and cases.

use chrono::{DateTime, Duration, Utc};
use crimeboard_demo::Rng;
use crimeboard_domain::Command;
use crimeboard_domain::case::{CaseFlags, NewCase, Place};
use crimeboard_domain::catalogue::ArticleRef;
use crimeboard_domain::person::{PersonInput, PersonRole, Sex};
use crimeboard_domain::report::{Channel, NewReport};
use crimeboard_domain::rules::Procedure;
use crimeboard_domain::units::{Agency, UnitCode};
use crimeboard_service::Submission;

/// True `percent` times in a hundred, drawn as a whole number so the
/// benchmark's data stays the same for the same seed.
fn percent(rng: &mut Rng, percent: u64) -> bool {
    rng.below(100) < percent
}

const FIRST: &[&str] =
    &["Orxan", "Elvin", "Rəşad", "Tural", "Kamran", "Nicat", "Leyla", "Aynur", "Günel", "Səbinə", "Fərid", "Ülvi"];
const LAST: &[&str] =
    &["Məmmədov", "Əliyev", "Həsənov", "Quliyev", "Hüseynov", "Babayev", "İsmayılov", "Rəhimov", "Cəfərov", "Abbasov"];
const ARTICLES: &[&str] =
    &["177.1", "177.2", "177.3", "178.1", "178.2", "180.1", "182.1", "126.1", "127.1", "221.1", "234.1", "273.1"];
const STREETS: &[&str] =
    &["Nizami küç.", "Füzuli küç.", "Azadlıq pr.", "Təbriz küç.", "Bakıxanov küç.", "Şərifzadə küç."];

fn name(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(FIRST), rng.pick(LAST))
}

fn person(rng: &mut Rng, role: PersonRole, occurred: DateTime<Utc>) -> PersonInput {
    let age_days = 365 * (14 + rng.below(50) as i64) + rng.below(365) as i64;
    PersonInput {
        role,
        full_name: name(rng),
        fin: None,
        birth_date: Some((occurred - Duration::days(age_days)).date_naive()),
        sex: Some(if percent(rng, 80) { Sex::Male } else { Sex::Female }),
        previously_convicted: role != PersonRole::Victim && percent(rng, 20),
    }
}

/// The two acts of one case: the citizen's report and the case opened from
/// it the next day, with a suspect and a victim.
pub fn report_and_case(rng: &mut Rng, unit: &UnitCode, received: DateTime<Utc>) -> (Submission, NewCase) {
    let report = NewReport {
        unit: unit.clone(),
        procedure: Procedure::CrimeReport,
        channel: *rng.pick(&[Channel::InPerson, Channel::Line102, Channel::Written, Channel::Online]),
        received_at: received,
        officer: format!("Duty officer {}", rng.pick(LAST)),
        applicant: Some(PersonInput { role: PersonRole::Applicant, ..person(rng, PersonRole::Applicant, received) }),
        summary: format!("Müraciət: {} ünvanında hadisə", rng.pick(STREETS)),
        category: None,
        source: None,
    };
    let occurred = received - Duration::hours(1 + rng.below(48) as i64);
    let case = NewCase {
        unit: unit.clone(),
        agency: if percent(rng, 95) { Agency::Mia } else { Agency::Prosecutor },
        report_ids: vec![],
        detected_by_police: false,
        articles: vec![ArticleRef::parse(rng.pick::<&str>(ARTICLES)).expect("valid article")],
        occurred_at: occurred,
        registered_at: received + Duration::hours(2 + rng.below(40) as i64),
        place: address(rng),
        flags: flags(rng),
        description: "Cinayət işi başlanıb".into(),
        persons: vec![person(rng, PersonRole::Suspect, occurred), person(rng, PersonRole::Victim, occurred)],
        late_reason: None,
        category: None,
        source: None,
    };
    (submission(Command::RegisterReport(report)), case)
}

fn address(rng: &mut Rng) -> Place {
    Place { address: format!("{} {}", rng.pick(STREETS), 1 + rng.below(200)), latitude: None, longitude: None }
}

/// The Board's circumstances at rates that look like a country's.
fn flags(rng: &mut Rng) -> CaseFlags {
    CaseFlags {
        it_enabled: percent(rng, 12),
        group: percent(rng, 8),
        family_conflict: percent(rng, 5),
        public_place: percent(rng, 30),
        intoxication: percent(rng, 10),
        non_obvious: percent(rng, 35),
        minor: None,
    }
}

pub fn submission(command: Command) -> Submission {
    Submission { actor: "generator".into(), legal_ground: "CPC art. 207".into(), command, late: None }
}

/// A case the police detected themselves, opened with its suspect (and, for
/// half of them, a victim) inline: the leanest realistic registration, one act.
pub fn detected_case(rng: &mut Rng, unit: &UnitCode, registered: DateTime<Utc>) -> NewCase {
    let occurred = registered - Duration::hours(1 + rng.below(24) as i64);
    let mut persons = vec![person(rng, PersonRole::Suspect, occurred)];
    if percent(rng, 50) {
        persons.push(person(rng, PersonRole::Victim, occurred));
    }
    NewCase {
        unit: unit.clone(),
        agency: if percent(rng, 97) { Agency::Mia } else { Agency::Prosecutor },
        report_ids: vec![],
        detected_by_police: true,
        articles: vec![ArticleRef::parse(rng.pick::<&str>(ARTICLES)).expect("valid article")],
        occurred_at: occurred,
        registered_at: registered,
        place: address(rng),
        flags: flags(rng),
        description: "Cinayət işi başlanıb".into(),
        persons,
        late_reason: None,
        category: None,
        source: None,
    }
}
