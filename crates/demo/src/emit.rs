//! Records planned chunks through the one write path,
//! `Registry::record_batch`, in rounds: an act that names an entity waits
//! for the round that created it (ids are assigned by the registry). Every
//! act is recorded by the system principal `demo`, which the journal names
//! whatever officer a submission names.
//!
//! Round 1 registers reports, accidents and administrative offences; round 2
//! opens cases and decides the other reports (bar those still awaiting a
//! decision when the data set ends); round 3 records what follows a
//! case (suspects found, decisions, damage, drugs, examinations asked,
//! ratings); round 4 completes the examinations.

use crate::DemoSummary;
use crate::clock::Local;
use crate::crimes::Kind;
use crate::people::{self, Offender};
use crate::plan::{CasePlan, Chunk, Examination, Fate, LoneOutcome, LoneReport};
use crate::rng::Rng;
use anyhow::{Result, anyhow};
use chrono::{DateTime, Utc};
use crimeboard_domain::Command;
use crimeboard_domain::access::Principal;
use crimeboard_domain::case::{
    AddPerson, CaseDecision, CaseFlags, ForensicMethod, NewCase, Place, Procedural, RecordDamage, Reimburse,
};
use crimeboard_domain::catalogue::ArticleRef;
use crimeboard_domain::person::PersonInput;
use crimeboard_domain::registers::{
    CompleteExamination, ExaminationKind, Liability, NewAccident, NewAccountability, NewExamination, NewSeizure,
};
use crimeboard_domain::report::{DecideReport, ExtendCheck, NewReport, RateHandling, ReportOutcome};
use crimeboard_domain::rules::{Authority, Procedure, Rules};
use crimeboard_domain::units::UnitCode;
use crimeboard_service::audit::Audited;
use crimeboard_service::{Receipt, Registry, ServiceError, Submission};
use std::sync::Arc;
use uuid::Uuid;

/// Submissions per `record_batch` call (one transaction each).
pub(crate) const BATCH: usize = 1000;

/// The system principal the demo records as: the journal names it for every act.
pub(crate) const DEMO: &str = "demo";

pub(crate) const STREETS: &[&str] = &[
    "Nizami küç.",
    "Füzuli küç.",
    "Azadlıq pr.",
    "Təbriz küç.",
    "Bakıxanov küç.",
    "Şərifzadə küç.",
    "Heydər Əliyev pr.",
    "Atatürk pr.",
    "Zərifə Əliyeva küç.",
    "Səməd Vurğun küç.",
    "Xətai pr.",
    "Neftçilər pr.",
];
const HOW_SOLVED: &[&str] = &[
    "Əməliyyat-axtarış tədbirləri ilə",
    "Şahid ifadələri əsasında",
    "Videomüşahidə kameralarının görüntüləri ilə",
    "Telefon danışıqlarının təhlili ilə",
];
const ACCIDENT_CAUSES: &[&str] = &[
    "Sürət həddinin aşılması",
    "Piyadanın vurulması",
    "Qarşılıqlı toqquşma",
    "Sərxoş halda idarəetmə",
    "Qırmızı işığa keçmə",
    "Manevr qaydalarının pozulması",
];

/// Where an act's receipt is needed afterwards.
#[derive(Debug, Clone, Copy)]
enum Slot {
    CaseReport(usize),
    AttachedReport(usize),
    LoneReport(usize),
    Case(usize),
    Examination(usize),
    Other,
}

/// The submissions of one round and where each receipt goes.
#[derive(Default)]
struct Round {
    subs: Vec<Submission>,
    slots: Vec<Slot>,
}

impl Round {
    fn push(&mut self, slot: Slot, actor: String, legal_ground: &str, command: Command) {
        self.subs.push(Submission { actor, legal_ground: legal_ground.to_string(), command, late: None });
        self.slots.push(slot);
    }
}

/// The persons of one case, made up once so every act names the same people.
struct CasePeople {
    victim: Option<PersonInput>,
    offenders: Vec<PersonInput>,
}

/// Ids the registry assigned to one chunk's entities.
#[derive(Default)]
struct Ids {
    case_reports: Vec<Option<Uuid>>,
    attached_reports: Vec<Option<Uuid>>,
    lone_reports: Vec<Option<Uuid>>,
    cases: Vec<Option<(Uuid, Vec<Uuid>)>>,
    examinations: Vec<(usize, Uuid)>,
}

pub(crate) struct Emitter<'a> {
    registry: &'a Registry,
    /// The system principal `demo`, whom the journal names for every act.
    demo: Principal,
    rules: Arc<Rules>,
    rng: Rng,
    pub summary: DemoSummary,
}

impl<'a> Emitter<'a> {
    pub fn new(registry: &'a Registry, seed: u64) -> Emitter<'a> {
        Emitter {
            registry,
            demo: registry.system(DEMO),
            rules: registry.jurisdiction().rules.clone(),
            rng: Rng::stream(seed, 0xE417),
            summary: DemoSummary::default(),
        }
    }

    fn utc(&self, at: Local) -> DateTime<Utc> {
        at.utc(&self.rules)
    }

    /// Records a chunk: every act of its cases, reports, accidents and offences.
    pub fn emit(&mut self, chunk: &Chunk) -> Result<()> {
        let people: Vec<CasePeople> = chunk.cases.iter().map(|c| self.people_of(c)).collect();
        let mut ids = Ids {
            case_reports: vec![None; chunk.cases.len()],
            attached_reports: vec![None; chunk.cases.len()],
            lone_reports: vec![None; chunk.lone.len()],
            cases: vec![None; chunk.cases.len()],
            examinations: Vec::new(),
        };
        let round = self.registrations(chunk, &people)?;
        self.run(round, &mut ids)?;
        let round = self.openings(chunk, &people, &ids)?;
        self.run(round, &mut ids)?;
        let round = self.follow_ups(chunk, &people, &ids)?;
        self.run(round, &mut ids)?;
        let round = self.completions(chunk, &ids);
        self.run(round, &mut ids)?;
        Ok(())
    }

    fn people_of(&mut self, c: &CasePlan) -> CasePeople {
        let day = c.occurred.day;
        let victim = c.crime().has_victim().then(|| people::victim(&mut self.rng, day));
        let offenders = c.offenders.iter().map(|o: &Offender| people::suspect(&mut self.rng, *o, day)).collect();
        CasePeople { victim, offenders }
    }

    /// Submits a round in batches and files the receipts where they are needed.
    fn run(&mut self, round: Round, ids: &mut Ids) -> Result<()> {
        for (subs, slots) in round.subs.chunks(BATCH).zip(round.slots.chunks(BATCH)) {
            let receipts =
                self.registry.record_batch(&self.demo, subs, None, &Audited::No).map_err(|e| explain(e, subs))?;
            for (slot, receipt) in slots.iter().zip(receipts) {
                self.count(&receipt);
                file(ids, *slot, receipt);
            }
        }
        Ok(())
    }

    pub fn registry(&self) -> &'a Registry {
        self.registry
    }

    /// Records `subs` through `registry` (this one, or one whose clock the
    /// demo moves) as the system principal `demo`, in batches, counting what
    /// was recorded.
    pub fn record(&mut self, registry: &Registry, subs: &[Submission]) -> Result<Vec<Receipt>> {
        let demo = registry.system(DEMO);
        let mut out = Vec::with_capacity(subs.len());
        for batch in subs.chunks(BATCH) {
            let receipts = registry.record_batch(&demo, batch, None, &Audited::No).map_err(|e| explain(e, batch))?;
            for receipt in receipts {
                self.count(&receipt);
                out.push(receipt);
            }
        }
        Ok(out)
    }

    fn count(&mut self, r: &Receipt) {
        let s = &mut self.summary;
        s.acts += 1;
        s.persons += r.person_ids.len() as u64;
        match r.act.as_str() {
            "register_report" => s.reports += 1,
            "open_case" => s.cases += 1,
            "decide_case" => s.case_decisions += 1,
            "record_seizure" => s.seizures += 1,
            "hold_accountable" => s.accountabilities += 1,
            "record_accident" => s.accidents += 1,
            "request_examination" => s.examinations += 1,
            "rate_handling" => s.ratings += 1,
            "register_appeal" => s.appeals += 1,
            "schedule_reception" => s.receptions += 1,
            _ => {}
        }
    }

    // ---- round 1 ----

    fn registrations(&mut self, chunk: &Chunk, people: &[CasePeople]) -> Result<Round> {
        let mut round = Round::default();
        for (i, (c, p)) in chunk.cases.iter().zip(people).enumerate() {
            if let Some(r) = &c.report {
                let applicant = Some(match &p.victim {
                    Some(v) => people::applicant_from(v),
                    None => people::applicant(&mut self.rng, r.received.day),
                });
                let report = self.new_report(&c.unit, r.received, r.channel, applicant, c.crime().summary);
                round.push(Slot::CaseReport(i), self.duty(&c.unit), GROUND_REGISTER, Command::RegisterReport(report));
            }
            if let Some((received, _)) = c.attached {
                let applicant = Some(people::applicant(&mut self.rng, received.day));
                let channel = crate::plan::channel(&mut self.rng);
                let report = self.new_report(&c.unit, received, channel, applicant, c.crime().summary);
                round.push(
                    Slot::AttachedReport(i),
                    self.duty(&c.unit),
                    GROUND_REGISTER,
                    Command::RegisterReport(report),
                );
            }
        }
        for (i, r) in chunk.lone.iter().enumerate() {
            let applicant = (!r.anonymous).then(|| people::applicant(&mut self.rng, r.received.day));
            let summary = if r.outcome == LoneOutcome::Refuse {
                "Məişət münaqişəsi barədə məlumat"
            } else {
                "Vergi pozuntusu barədə məlumat"
            };
            let report = self.new_report(&r.unit, r.received, r.channel, applicant, summary);
            round.push(Slot::LoneReport(i), self.duty(&r.unit), GROUND_REGISTER, Command::RegisterReport(report));
        }
        for a in &chunk.accidents {
            let accident = NewAccident {
                unit: a.unit.clone(),
                occurred_at: self.utc(a.at),
                place: self.place(),
                killed: a.killed,
                injured: a.injured,
                cause: self.rng.pick(ACCIDENT_CAUSES).to_string(),
            };
            round.push(
                Slot::Other,
                self.officer("Yol polisi", &a.unit),
                GROUND_ACCIDENT,
                Command::RecordAccident(accident),
            );
        }
        for o in &chunk.admin {
            let held = NewAccountability {
                unit: o.unit.clone(),
                full_name: people::name(&mut self.rng),
                fin: people::fin(&mut self.rng),
                liability: Liability::Administrative,
                offence: "İXM 206".into(),
                narcotics: true,
                case_id: None,
                decided_at: self.utc(o.at),
            };
            round.push(
                Slot::Other,
                self.officer("Sahə inspektoru", &o.unit),
                GROUND_ADMINISTRATIVE,
                Command::HoldAccountable(held),
            );
        }
        Ok(round)
    }

    fn new_report(
        &mut self,
        unit: &UnitCode,
        at: Local,
        channel: crimeboard_domain::report::Channel,
        applicant: Option<PersonInput>,
        summary: &str,
    ) -> NewReport {
        NewReport {
            unit: unit.clone(),
            procedure: Procedure::CrimeReport,
            channel,
            received_at: self.utc(at),
            officer: people::officer(&mut self.rng),
            applicant,
            summary: format!("{summary}: {}", self.rng.pick(STREETS)),
            category: None,
            source: None,
        }
    }

    // ---- round 2 ----

    fn openings(&mut self, chunk: &Chunk, people: &[CasePeople], ids: &Ids) -> Result<Round> {
        let mut round = Round::default();
        for (i, (c, p)) in chunk.cases.iter().zip(people).enumerate() {
            let report_id = ids.case_reports[i];
            let (report_ids, late_reason) = match (&c.report, report_id) {
                (Some(r), Some(id)) => {
                    if let Some(at) = r.extended {
                        round.push(Slot::Other, self.chief(&c.unit), GROUND_EXTEND, extend(id, self.utc(at)));
                    }
                    let late = self.late_reason(r.received, r.extended.is_some(), c.registered)?;
                    (vec![id], late)
                }
                _ => (vec![], None),
            };
            let case = self.new_case(c, p, report_ids, late_reason)?;
            round.push(Slot::Case(i), self.investigator(&c.unit), GROUND_OPEN, Command::OpenCase(case));
        }
        for (i, r) in chunk.lone.iter().enumerate() {
            let Some(id) = ids.lone_reports[i] else { continue };
            if let Some(at) = r.extended {
                round.push(Slot::Other, self.chief(&r.unit), GROUND_EXTEND, extend(id, self.utc(at)));
            }
            let Some(decided) = r.decided else { continue };
            let decision = self.lone_decision(r, id, decided)?;
            round.push(Slot::Other, self.investigator(&r.unit), GROUND_CHECK, Command::DecideReport(decision));
        }
        Ok(round)
    }

    fn new_case(
        &mut self,
        c: &CasePlan,
        p: &CasePeople,
        report_ids: Vec<Uuid>,
        late_reason: Option<String>,
    ) -> Result<NewCase> {
        let article = ArticleRef::parse(c.article)
            .ok_or_else(|| anyhow!("demo article {} is not a valid reference", c.article))?;
        let mut persons: Vec<PersonInput> = p.victim.iter().cloned().collect();
        if !c.flags.non_obvious {
            persons.extend(p.offenders.iter().cloned());
        }
        let f = c.flags;
        Ok(NewCase {
            unit: c.unit.clone(),
            agency: c.agency,
            detected_by_police: report_ids.is_empty(),
            report_ids,
            articles: vec![article],
            occurred_at: self.utc(c.occurred),
            registered_at: self.utc(c.registered),
            place: self.place(),
            flags: CaseFlags {
                it_enabled: f.it_enabled,
                group: f.group,
                family_conflict: f.family_conflict,
                public_place: f.public_place,
                intoxication: f.intoxication,
                non_obvious: f.non_obvious,
                minor: None,
            },
            description: c.crime().summary.to_string(),
            persons,
            late_reason,
            category: None,
            source: None,
        })
    }

    /// A reason, required exactly when a report is decided at or after its
    /// deadline (3 days, or 10 once extended), as the registry computes it.
    fn late_reason(&self, received: Local, extended: bool, decided: Local) -> Result<Option<String>> {
        let deadline = self
            .rules
            .deadline(Procedure::CrimeReport, self.utc(received), usize::from(extended))
            .map_err(|v| anyhow!("no deadline rule for a report received {}: {v}", received.day))?;
        Ok((self.utc(decided) >= deadline).then(|| "Yoxlama materialları gec daxil olub".to_string()))
    }

    fn lone_decision(&self, r: &LoneReport, id: Uuid, decided: Local) -> Result<DecideReport> {
        let outcome = match r.outcome {
            LoneOutcome::Refuse => ReportOutcome::Refuse { ground: "Cinayət tərkibi yoxdur (CPK 39.1.2)".into() },
            LoneOutcome::Transfer => ReportOutcome::Transfer { to_body: "Dövlət Vergi Xidməti".into() },
        };
        Ok(DecideReport {
            report_id: id,
            decided_at: self.utc(decided),
            outcome,
            late_reason: self.late_reason(r.received, r.extended.is_some(), decided)?,
        })
    }

    // ---- round 3 ----

    fn follow_ups(&mut self, chunk: &Chunk, people: &[CasePeople], ids: &Ids) -> Result<Round> {
        let mut round = Round::default();
        for (i, (c, p)) in chunk.cases.iter().zip(people).enumerate() {
            let Some((case_id, person_ids)) = &ids.cases[i] else { continue };
            self.attach(&mut round, c, ids.attached_reports[i], *case_id)?;
            if let Some(e) = &c.examination {
                let request = NewExamination {
                    unit: c.unit.clone(),
                    case_id: *case_id,
                    kind: e.kind,
                    requested_at: self.utc(e.requested),
                    question: "Obyektlər üzərində izlər kimə məxsusdur?".into(),
                };
                round.push(
                    Slot::Examination(i),
                    self.investigator(&c.unit),
                    GROUND_EXAMINATION,
                    Command::RequestExamination(request),
                );
            }
            self.decisions(&mut round, c, p, *case_id);
            self.money(&mut round, c, *case_id, p.victim.as_ref().and(person_ids.first().copied()));
            self.drugs(&mut round, c, p, *case_id);
            if let (Some(rating), Some(report_id)) = (c.report.as_ref().and_then(|r| r.rating), ids.case_reports[i]) {
                round.push(
                    Slot::Other,
                    "e-müraciət".into(),
                    GROUND_RATING,
                    rate(report_id, self.utc(rating.at), rating.score),
                );
            }
        }
        for (i, r) in chunk.lone.iter().enumerate() {
            if let (Some(rating), Some(id)) = (r.rating, ids.lone_reports[i]) {
                round.push(
                    Slot::Other,
                    "e-müraciət".into(),
                    GROUND_RATING,
                    rate(id, self.utc(rating.at), rating.score),
                );
            }
        }
        Ok(round)
    }

    fn attach(&mut self, round: &mut Round, c: &CasePlan, report_id: Option<Uuid>, case_id: Uuid) -> Result<()> {
        let (Some((received, decided)), Some(report_id)) = (c.attached, report_id) else { return Ok(()) };
        let decision = DecideReport {
            report_id,
            decided_at: self.utc(decided),
            outcome: ReportOutcome::Attach { case_id },
            late_reason: self.late_reason(received, false, decided)?,
        };
        round.push(Slot::Other, self.investigator(&c.unit), GROUND_CHECK, Command::DecideReport(decision));
        Ok(())
    }

    /// Suspects found later, then the procedural decisions in order.
    fn decisions(&mut self, round: &mut Round, c: &CasePlan, p: &CasePeople, case_id: Uuid) {
        let who = self.investigator(&c.unit);
        match c.fate {
            Fate::Open => {}
            Fate::Suspended(at) => {
                round.push(
                    Slot::Other,
                    who.clone(),
                    GROUND_SUSPEND,
                    decide(case_id, self.utc(at), Procedural::Suspended),
                );
            }
            Fate::Solved(at) => {
                if c.flags.non_obvious {
                    for person in &p.offenders {
                        let add = AddPerson { case_id, person: person.clone() };
                        round.push(Slot::Other, who.clone(), GROUND_SUSPECT, Command::AddPerson(add));
                    }
                }
                let solved = Procedural::Solved {
                    how: self.rng.pick(HOW_SOLVED).to_string(),
                    forensic_methods: forensic_methods(c.examination.as_ref(), at),
                };
                round.push(Slot::Other, who.clone(), GROUND_SOLVED, decide(case_id, self.utc(at), solved));
                if let Some(court) = c.court {
                    round.push(
                        Slot::Other,
                        who,
                        GROUND_COURT,
                        decide(case_id, self.utc(court), Procedural::SentToCourt),
                    );
                }
            }
        }
    }

    fn money(&mut self, round: &mut Round, c: &CasePlan, case_id: Uuid, victim_id: Option<Uuid>) {
        let Some(d) = c.damage else { return };
        let who = self.investigator(&c.unit);
        let damage = RecordDamage { case_id, amount_qepik: d.qepik, victim_id, assessed_at: self.utc(d.assessed) };
        round.push(Slot::Other, who.clone(), GROUND_DAMAGE, Command::RecordDamage(damage));
        if d.reimbursed > 0 {
            let paid = Reimburse { case_id, amount_qepik: d.reimbursed, reimbursed_at: self.utc(d.reimbursed_at) };
            round.push(Slot::Other, who, GROUND_REIMBURSE, Command::Reimburse(paid));
        }
    }

    /// The seizure of a drug case and, once solved, each offender held accountable.
    fn drugs(&mut self, round: &mut Round, c: &CasePlan, p: &CasePeople, case_id: Uuid) {
        if let Some(s) = c.seizure {
            let seizure = NewSeizure {
                unit: c.unit.clone(),
                case_id: Some(case_id),
                substance: s.substance.to_string(),
                net_grams: s.grams,
                seized_at: self.utc(s.at),
            };
            round.push(Slot::Other, self.investigator(&c.unit), GROUND_SEIZURE, Command::RecordSeizure(seizure));
        }
        let Fate::Solved(at) = c.fate else { return };
        if c.crime().kind != Kind::Narcotics {
            return;
        }
        for person in &p.offenders {
            let held = NewAccountability {
                unit: c.unit.clone(),
                full_name: person.full_name.clone(),
                fin: person.fin.clone(),
                liability: Liability::Criminal,
                offence: c.article.to_string(),
                narcotics: true,
                case_id: Some(case_id),
                decided_at: self.utc(at),
            };
            round.push(Slot::Other, self.investigator(&c.unit), GROUND_CHARGE, Command::HoldAccountable(held));
        }
    }

    // ---- round 4 ----

    fn completions(&mut self, chunk: &Chunk, ids: &Ids) -> Round {
        let mut round = Round::default();
        for (i, exam_id) in &ids.examinations {
            let c = &chunk.cases[*i];
            let Some(Examination { done: Some((at, identified)), .. }) = c.examination else { continue };
            let result = if identified {
                "İzlər şübhəli şəxsə məxsusdur"
            } else {
                "Şəxsi müəyyən etmək mümkün olmayıb"
            };
            let done = CompleteExamination {
                examination_id: *exam_id,
                done_at: self.utc(at),
                result: result.into(),
                identified_person: identified,
            };
            round.push(
                Slot::Other,
                self.officer("Ekspert", &c.unit),
                GROUND_EXPERT,
                Command::CompleteExamination(done),
            );
        }
        round
    }

    // ---- small helpers ----

    fn place(&mut self) -> Place {
        Place {
            address: format!("{} {}", self.rng.pick(STREETS), 1 + self.rng.below(180)),
            latitude: None,
            longitude: None,
        }
    }

    fn officer(&mut self, role: &str, unit: &UnitCode) -> String {
        format!("{role} {} ({unit})", people::officer(&mut self.rng))
    }

    fn duty(&mut self, unit: &UnitCode) -> String {
        self.officer("Növbətçi", unit)
    }

    fn investigator(&mut self, unit: &UnitCode) -> String {
        self.officer("Müstəntiq", unit)
    }

    fn chief(&mut self, unit: &UnitCode) -> String {
        self.officer("Rəis", unit)
    }
}

// The legal grounds the acts cite. Illustrative wording: the article
// numbers of the Code of Criminal Procedure were not checked.
const GROUND_REGISTER: &str = "CPK: cinayət haqqında məlumatın qeydiyyatı";
const GROUND_EXTEND: &str = "CPK 207: yoxlama müddətinin uzadılması";
const GROUND_CHECK: &str = "CPK 207: məlumatın yoxlanılması üzrə qərar";
const GROUND_OPEN: &str = "CPK: cinayət işinin başlanması";
const GROUND_SUSPECT: &str = "CPK: şübhəli şəxsin müəyyən edilməsi";
const GROUND_SOLVED: &str = "CPK: cinayətin açılması";
const GROUND_SUSPEND: &str = "CPK: icraatın dayandırılması (şəxs müəyyən edilməyib)";
const GROUND_COURT: &str = "CPK: ittiham aktının məhkəməyə göndərilməsi";
const GROUND_DAMAGE: &str = "CPK: vurulmuş ziyanın müəyyən edilməsi";
const GROUND_REIMBURSE: &str = "CPK: ziyanın ödənilməsi";
const GROUND_SEIZURE: &str = "CPK: götürmə";
const GROUND_CHARGE: &str = "CPK: təqsirləndirilən şəxs qismində cəlb etmə";
const GROUND_ADMINISTRATIVE: &str = "İnzibati Xətalar Məcəlləsi";
const GROUND_ACCIDENT: &str = "Yol hərəkəti haqqında qanun";
const GROUND_EXAMINATION: &str = "CPK: ekspertizanın təyin edilməsi";
const GROUND_EXPERT: &str = "CPK: ekspert rəyi";
const GROUND_RATING: &str = "Vətəndaşların müraciətləri haqqında qanun";

fn extend(report_id: Uuid, granted_at: DateTime<Utc>) -> Command {
    Command::ExtendCheck(ExtendCheck {
        report_id,
        granted_at,
        granted_by: Authority::UnitChief,
        reference: "Rəisin yoxlamanın uzadılması barədə qərarı".into(),
    })
}

fn decide(case_id: Uuid, decided_at: DateTime<Utc>, decision: Procedural) -> Command {
    Command::DecideCase(CaseDecision { case_id, decided_at, decision })
}

fn rate(report_id: Uuid, rated_at: DateTime<Utc>, score: i64) -> Command {
    Command::RateHandling(RateHandling { report_id, rated_at, score })
}

/// The forensic method that helped, when an examination identified someone
/// before the case was solved.
fn forensic_methods(exam: Option<&Examination>, solved: Local) -> Vec<ForensicMethod> {
    match exam {
        Some(Examination { kind, done: Some((at, true)), .. }) if *at <= solved => vec![method(*kind)],
        _ => vec![],
    }
}

fn method(kind: ExaminationKind) -> ForensicMethod {
    match kind {
        ExaminationKind::Fingerprints => ForensicMethod::Fingerprints,
        ExaminationKind::Dna => ForensicMethod::Dna,
        ExaminationKind::Ballistics => ForensicMethod::Ballistics,
        ExaminationKind::Digital => ForensicMethod::Digital,
        ExaminationKind::Handwriting => ForensicMethod::Handwriting,
        ExaminationKind::NarcoticsChemistry => ForensicMethod::NarcoticsChemistry,
        ExaminationKind::Traces => ForensicMethod::Traces,
    }
}

fn file(ids: &mut Ids, slot: Slot, r: Receipt) {
    match slot {
        Slot::CaseReport(i) => ids.case_reports[i] = Some(r.entity_id),
        Slot::AttachedReport(i) => ids.attached_reports[i] = Some(r.entity_id),
        Slot::LoneReport(i) => ids.lone_reports[i] = Some(r.entity_id),
        Slot::Case(i) => ids.cases[i] = Some((r.entity_id, r.person_ids)),
        Slot::Examination(i) => ids.examinations.push((i, r.entity_id)),
        Slot::Other => {}
    }
}

/// A rejected demo act is a bug in the generator: say which act and why.
fn explain(e: ServiceError, subs: &[Submission]) -> anyhow::Error {
    match e {
        ServiceError::BatchItem { index, rejected } => {
            let command = subs.get(index).map(|s| format!("{:?}", s.command)).unwrap_or_default();
            anyhow!("the registry rejected a demo act: {rejected}").context(command)
        }
        other => anyhow::Error::new(other).context("recording the demo data"),
    }
}
