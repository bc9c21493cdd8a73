//! An entry's journal as a timeline: oldest first, each act with who
//! recorded it, when, what it did and on what legal ground; an annulled act
//! is struck through and says so in words.

use super::format;
use super::viewer::Viewer;
use crimeboard_domain::Command;
use crimeboard_domain::act::Act;
use crimeboard_domain::case::Procedural;
use crimeboard_domain::journal::JournalEntry;
use crimeboard_domain::task::{ControlDecision, ReportKind};
use crimeboard_domain::units::UnitInForce;
use crimeboard_service::Registry;
use maud::{Markup, html};

pub fn timeline(v: &Viewer, registry: &Registry, history: &[(JournalEntry, bool)]) -> Markup {
    let rules = &registry.jurisdiction().rules;
    html! {
        @if history.is_empty() {
            p { (v.t("ui.record.no_history")) }
        } @else {
            ol.timeline {
                @for (entry, annulled) in history {
                    li class=[annulled.then_some("annulled")] {
                        p.when {
                            (format::instant(v, rules, entry.recorded_at)) " · " (entry.actor)
                            " · " (entry.unit) " #" (entry.seq)
                        }
                        p.what {
                            strong { (format::label(v, "act", &entry.kind)) }
                            @if let Some(detail) = detail(v, registry, entry) { ": " (detail) }
                        }
                        p { (v.t("ui.field.legal_ground")) ": " (entry.legal_ground) }
                        @if *annulled { p { span.mark.annulled { "✕ " (v.t("ui.record.annulled")) } } }
                    }
                }
            }
        }
    }
}

/// What the act did, in a few words, when there is more to say than its name.
fn detail(v: &Viewer, registry: &Registry, entry: &JournalEntry) -> Option<String> {
    let act = Act::from_payload(&entry.payload).ok()?;
    let rules = &registry.jurisdiction().rules;
    let when = |at| format::day(v, rules.local_date(at));
    Some(match &act.command {
        Command::DecideReport(d) => {
            let outcome = format::label(v, "outcome", format::outcome_code(&d.outcome));
            match &d.outcome {
                crimeboard_domain::report::ReportOutcome::Refuse { ground } => format!("{outcome} — {ground}"),
                crimeboard_domain::report::ReportOutcome::Transfer { to_body } => format!("{outcome} — {to_body}"),
                _ => outcome,
            }
        }
        Command::OpenCase(c) => articles(&c.articles),
        Command::AddPerson(a) => {
            format!("{} ({})", a.person.full_name, format::enum_label(v, "status", &a.person.role))
        }
        Command::Reclassify(r) => format!("→ {} — {}", articles(&r.articles), r.reason),
        Command::DecideCase(d) => {
            let (code, extra) = match &d.decision {
                Procedural::Solved { how, .. } => ("solved", how.clone()),
                Procedural::Suspended => ("suspended", String::new()),
                Procedural::Resumed => ("resumed", String::new()),
                Procedural::Terminated { ground } => ("terminated", ground.clone()),
                Procedural::SentToCourt => ("sent_to_court", String::new()),
            };
            let word = format::label(v, "task_decision", code);
            let day = when(d.decided_at);
            if extra.is_empty() { format!("{word}, {day}") } else { format!("{word}, {day} — {extra}") }
        }
        Command::RecordDamage(d) => format::money(v, d.amount_qepik),
        Command::Reimburse(r) => format::money(v, r.amount_qepik),
        Command::ExtendCheck(e) => e.reference.clone(),
        Command::Annul(a) => format!("{} #{} — {}", a.unit.as_str(), a.seq, a.reason),
        Command::RenameUnit(r) => {
            format!("{} → {}, {}", r.unit, format::names(v, &r.names), format::day(v, r.effective_from))
        }
        Command::MoveUnit(m) => format!("{} → {}, {}", m.unit, m.new_parent, format::day(v, m.effective_from)),
        Command::MergeUnits(m) => format!("{} → {}, {}", m.absorbed, m.into, format::day(v, m.effective_from)),
        Command::SetUnitContacts(c) => format!(
            "{}: {}, {}, {}",
            c.unit,
            format::names(v, &c.contacts.address),
            c.contacts.telephone,
            format::day(v, c.effective_from)
        ),
        Command::AddUnit(n) => {
            let added = format!("{} {} → {}", n.code, format::names(v, &n.names), n.parent);
            match n.effective_from {
                // Part of the structure on every day: no day to show.
                UnitInForce::Always => added,
                UnitInForce::From(day) => format!("{added}, {}", format::day(v, day)),
            }
        }
        Command::ScheduleMeeting(m) => format!("{}, {}", m.title, format::day(v, m.held_on)),
        Command::IssueTask(t) => format!("{} — {}", t.owner, format::day(v, t.due_on)),
        // A report back and a decision: what was asked or decided, the new date, the words, the confidence.
        Command::ReportOnTask(r) => {
            let (code, extra) = match &r.kind {
                ReportKind::Interim => ("interim", String::new()),
                ReportKind::AskClosure => ("ask_closure", String::new()),
                ReportKind::AskExtension { new_due_on, reason } => {
                    ("ask_extension", format!(" → {}, {reason}", format::day(v, *new_due_on)))
                }
            };
            let confidence = format::enum_label(v, "confidence", &r.confidence);
            format!("{}{extra} — {} ({confidence})", format::label(v, "report_kind", code), r.text)
        }
        Command::ControlTask(c) => {
            let (code, extra) = match &c.decision {
                ControlDecision::Close { justification } => ("close", justification.clone()),
                ControlDecision::Extend { new_due_on, reason } => {
                    ("extend", format!("→ {}, {reason}", format::day(v, *new_due_on)))
                }
                ControlDecision::Return { reason } => ("return", reason.clone()),
            };
            let confidence = format::enum_label(v, "confidence", &c.confidence);
            format!("{} {extra} ({confidence})", format::label(v, "task_decision", code))
        }
        Command::EditRelease(e) => e.lang.code().to_string(),
        // A scheduled publication says when the public sees it.
        Command::PublishRelease(p) => format::local_time(v, p.at?),
        Command::ScheduleReception(r) => format!(
            "{}, {} {}–{}",
            r.chief.full_name,
            format::day(v, r.day),
            r.from.format("%H:%M"),
            r.to.format("%H:%M")
        ),
        Command::BookReception(b) => format!("{} — {}", b.visitor.full_name, b.subject),
        Command::CancelBooking(c) => format!("#{} — {}", c.place, c.reason),
        Command::CancelReception(c) => c.reason.clone(),
        Command::ReferAppeal(r) => match &r.to {
            crimeboard_domain::appeal::Referral::Body { name } => format!("{name} — {}", when(r.referred_at)),
            crimeboard_domain::appeal::Referral::Unit { unit } => {
                format!("{} — {}", unit.as_str(), when(r.referred_at))
            }
        },
        Command::ExtendAppeal(e) => match &e.extension {
            crimeboard_domain::appeal::AppealExtension::MoreChecking => e.granted_by.clone(),
            crimeboard_domain::appeal::AppealExtension::Extension { days, reason } => format!("+{days} — {reason}"),
        },
        Command::AnswerAppeal(a) => format!("{} — {}", a.signed_by, when(a.answered_at)),
        Command::PublishReport(p) => format!("{} – {}", format::day(v, p.period_from), format::day(v, p.period_to)),
        // The identifier as shown (a card masked) and whom it is attached to.
        Command::AttachIdentifier(a) => format!("{} {}", a.identifier.kind(), a.identifier.display()),
        Command::RemoveIdentifier(r) => format!("{} — {}", r.key.kind, r.reason),
        Command::DecideLinking(d) => format!("{} {} — {}", d.key.kind, d.linking.as_str(), d.reason),
        Command::RequestCancellation(r) => format!("{} — {}", r.ground, r.text),
        Command::DecideCancellation(d) => {
            let word = format::label(v, "cancellation", if d.approve { "approved" } else { "refused" });
            format!("{word}, {} — {}", when(d.decided_at), d.note)
        }
        // The institution and the money; the account is the request's, shown masked on its page.
        Command::RequestFreeze(f) => format!("{} — {}", f.institution, format::money(v, f.amount_qepik)),
        Command::AnswerFreeze(a) => format!(
            "{} — {}, {}",
            format::label(v, "status", a.outcome.as_str()),
            format::money(v, a.amount_frozen_qepik),
            when(a.answered_at)
        ),
        Command::ReturnFrozen(r) => format!("{}, {}", format::money(v, r.amount_qepik), when(r.returned_at)),
        Command::DrawSample(d) => format!(
            "{} — {} – {}",
            format::label(v, "sample_kind", d.kind.as_str()),
            format::day(v, d.period_from),
            format::day(v, d.period_to)
        ),
        Command::ReviewSample(r) => format!("#{} {}", r.seq, format::label(v, "finding", r.finding.as_str())),
        Command::ConfirmSeries(c) => c.note.clone(),
        Command::SplitSeries(s) => format!("{} — {}", s.key.kind, s.reason),
        // Their name says it all; the entry's page shows the rest.
        Command::RegisterReport(_)
        | Command::RegisterAppeal(_)
        | Command::RateAppeal(_)
        | Command::ReportFromAppeal(_)
        | Command::RateHandling(_)
        | Command::RecordSeizure(_)
        | Command::HoldAccountable(_)
        | Command::RecordAccident(_)
        | Command::RequestExamination(_)
        | Command::CompleteExamination(_)
        | Command::AdoptJurisdiction(_)
        | Command::RecordMinutes(_)
        | Command::DraftRelease(_)
        | Command::ApproveRelease(_)
        | Command::RecordReception(_)
        | Command::AcknowledgeSeriesAlert(_)
        | Command::WriteRelease(_) => return None,
    })
}

fn articles(list: &[crimeboard_domain::catalogue::ArticleRef]) -> String {
    list.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}
