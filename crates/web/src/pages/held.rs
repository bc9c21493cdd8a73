//! The digital identifiers a report, case or person holds, on its page
//! (docs/identifiers.md, "On the pages"): each with its kind, its display
//! form (a card masked: its number is in no field), note, who attached it
//! and when, a link to remove it and to the identifier's own page; and the
//! form that attaches one, which its own page shows again when refused.

use super::form::{self, Form, field};
use super::format;
use super::paths::{link, record_path};
use super::viewer::Viewer;
use crimeboard_domain::Command;
use crimeboard_domain::access::Action;
use crimeboard_domain::act::Act;
use crimeboard_domain::identifier::{Held, IdentifierKey, IdentifierKind, Subject};
use crimeboard_domain::journal::JournalEntry;
use crimeboard_service::Registry;
use maud::{Markup, html};

/// A subject's own page.
pub fn subject_path(subject: Subject) -> String {
    record_path(subject.kind.entity_kind(), subject.id)
}

/// The form that attaches an identifier to a subject.
pub fn attach_path(subject: Subject) -> String {
    format!("{}/identifiers/new", subject_path(subject))
}

/// The form that removes one, naming it by its kind and key.
pub fn remove_path(subject: Subject, key: &IdentifierKey) -> String {
    link(&format!("{}/identifiers/remove", subject_path(subject)), &[("kind", key.kind.code()), ("key", &key.value)])
}

/// An identifier's own page: its kind and key (a card's keyed hash, never
/// its number), the key written as one path segment.
pub fn identifier_path(key: &IdentifierKey) -> String {
    format!("/identifiers/{}/{}", key.kind.code(), segment(&key.value))
}

/// Every byte but the unreserved ones percent-encoded: a key may hold `/`, `:`, `?`.
fn segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A kind of identifier in words.
pub fn kind_name(v: &Viewer, kind: IdentifierKind) -> String {
    format::label(v, "identifier.kind", kind.code())
}

/// The kinds to choose from, in the order the crate lists them.
pub fn kind_options(v: &Viewer) -> Vec<(String, String)> {
    std::iter::once((String::new(), v.t("ui.choose").to_string()))
        .chain(IdentifierKind::ALL.iter().map(|k| (k.code().to_string(), kind_name(v, *k))))
        .collect()
}

/// Who attached an identifier to the subject and when: the latest act
/// attaching it in the record's journal.
fn attached_by<'a>(
    history: &'a [(JournalEntry, bool)],
    subject: Subject,
    key: &IdentifierKey,
) -> Option<&'a JournalEntry> {
    history.iter().rev().filter(|(e, annulled)| !annulled && e.kind == "attach_identifier").map(|(e, _)| e).find(|e| {
        matches!(Act::from_payload(&e.payload), Ok(Act { command: Command::AttachIdentifier(a), .. })
            if a.subject == subject && IdentifierKey::of(&a.identifier) == *key)
    })
}

/// The section of a record's page: the identifiers held, and the form that
/// attaches another for those who may record identifiers.
pub fn section(
    v: &Viewer,
    registry: &Registry,
    subject: Subject,
    held: &[Held],
    history: &[(JournalEntry, bool)],
    series: Option<uuid::Uuid>,
) -> Markup {
    let rules = &registry.jurisdiction().rules;
    let may = v.may(Action::RecordIdentifiers);
    html! {
        section aria-labelledby="identifiers-title" {
            h2 #identifiers-title { (v.t("ui.identifier.title")) }
            @if held.is_empty() {
                p { (v.t("ui.identifier.none")) }
            } @else {
                div.table-wrap role="region" tabindex="0" aria-labelledby="identifiers-caption" {
                    table #identifiers {
                        caption #identifiers-caption.visually-hidden { (v.t("ui.identifier.title")) }
                        thead { tr {
                            th scope="col" { (v.t("ui.identifier.kind")) }
                            th scope="col" { (v.t("ui.identifier.identifier")) }
                            th scope="col" { (v.t("ui.identifier.note")) }
                            th scope="col" { (v.t("ui.identifier.attached")) }
                            @if may { th scope="col" { (v.t("ui.identifier.remove")) } }
                        } }
                        tbody {
                            @for h in held {
                                @let key = IdentifierKey::of(&h.identifier);
                                tr {
                                    td { (kind_name(v, key.kind)) }
                                    td { a href=(identifier_path(&key)) { (h.identifier.display()) } }
                                    td { (h.note.as_deref().unwrap_or("—")) }
                                    td { @match attached_by(history, subject, &key) {
                                        Some(e) => { (e.actor) ", " (format::instant(v, rules, e.recorded_at)) }
                                        None => "—",
                                    } }
                                    @if may {
                                        td { a href=(remove_path(subject, &key)) {
                                            (v.t("ui.identifier.remove")) span.visually-hidden { " " (h.identifier.display()) }
                                        } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if let Some(series) = series {
                p #series-link { a href=(super::paths::series_path(series)) { (v.t("ui.series.open")) } }
            }
            @if may {
                h3 #attach-title { (v.t("ui.identifier.attach")) }
                (attach_form(v, subject, &Form::default()))
            }
        }
    }
}

/// The form that attaches an identifier: its kind, the value in any common
/// form (an IP address's port and time seen apart, if not typed with it),
/// a note and the envelope. Checked on the server alone.
pub fn attach_form(v: &Viewer, subject: Subject, form: &Form) -> Markup {
    let fields = html! {
        (field("identifier.kind", "ui.identifier.kind").required().select(v, form, &kind_options(v)))
        (field("identifier.input", "ui.identifier.value").required().help(v.t("ui.help.identifier_value")).input(v, form, "text"))
        fieldset {
            legend { (v.t("ui.identifier.ip_details")) }
            (field("port", "ui.identifier.port").input(v, form, "text"))
            (field("seen_at", "ui.identifier.seen_at").help(v.t("ui.help.local_time")).input(v, form, "datetime-local"))
        }
        (field("note", "ui.identifier.note").textarea(v, form))
        (form::envelope(v, form))
    };
    form::post(v, &attach_path(subject), "ui.identifier.attach", fields)
}
