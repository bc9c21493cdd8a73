//! The press release of a Board meeting: drafted by the system from the
//! meeting's record and the Board's report of its period, in az, ru and en;
//! edited and approved by the press officer; then published. Each is an act
//! on the journal of the unit that held the meeting.
//!
//! A figure in a release's text is a marked reference, `{{fig:N}}`, to the
//! N-th of the release's `figures`, each naming its indicator, unit, period,
//! value and the journal position it was counted at. The press officer edits
//! the words around the tokens; a token stays bound to its figure, so an
//! approved release keeps every figure's provenance. A token that names no
//! figure is refused.

use crate::context::Context;
use crate::error::{Checks, Violation};
use crate::meeting::Meeting;
use crate::units::{Language, UnitCode};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The longest text of one language.
pub const MAX_TEXT: usize = 20_000;

/// How a figure's value is measured, so it is written as a number, money,
/// a weight or a per cent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Count,
    /// Minor units of the pack's currency.
    Money,
    Grams,
    /// Hundredths of a per cent: a share of the counting rules.
    Percent,
}

/// One figure a release states, with where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// The counting rules' indicator or share code.
    pub indicator: String,
    pub unit: UnitCode,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub measure: Measure,
    pub value: i64,
    /// The journal position the figure was counted at.
    pub position: i64,
}

/// A text in each of the system's languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Texts {
    pub az: String,
    pub ru: String,
    pub en: String,
}

impl Texts {
    pub fn get(&self, lang: Language) -> &str {
        match lang {
            Language::Az => &self.az,
            Language::Ru => &self.ru,
            Language::En => &self.en,
        }
    }

    fn set(&mut self, lang: Language, text: String) {
        match lang {
            Language::Az => self.az = text,
            Language::Ru => self.ru = text,
            Language::En => self.en = text,
        }
    }
}

/// What the system drafted: the texts with their tokens and the figures
/// they name. Derived, never typed: the service generates it and the act
/// keeps it in its assigned part, so replay reproduces it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Draft {
    pub texts: Texts,
    pub figures: Vec<Figure>,
}

/// The press service asks for a draft of a held meeting's release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DraftRelease {
    pub meeting_id: Uuid,
    /// The unit that held the meeting: the release goes into its journal.
    pub unit: UnitCode,
}

/// The press officer's words for one language; the tokens stay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EditRelease {
    pub release_id: Uuid,
    pub lang: Language,
    pub text: String,
}

/// Approves a release as it stands: no edit after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ApproveRelease {
    pub release_id: Uuid,
}

/// Publishes an approved release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PublishRelease {
    pub release_id: Uuid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReleaseStatus {
    Draft,
    Approved,
    Published,
}

impl ReleaseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReleaseStatus::Draft => "draft",
            ReleaseStatus::Approved => "approved",
            ReleaseStatus::Published => "published",
        }
    }
}

/// A release as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Release {
    pub id: Uuid,
    pub number: String,
    pub meeting_id: Uuid,
    pub unit: UnitCode,
    /// The day the meeting was held, which the release reports.
    pub held_on: NaiveDate,
    pub status: ReleaseStatus,
    pub texts: Texts,
    pub figures: Vec<Figure>,
    pub drafted_on: NaiveDate,
    pub approved_on: Option<NaiveDate>,
    pub published_on: Option<NaiveDate>,
}

/// A piece of a release's text: words, or the figure a token names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    Words(&'a str),
    Figure(usize),
    /// `{{…}}` that is no figure token (`{{fig:x}}`, `{{name}}`).
    Unknown(&'a str),
}

/// The token that names the `index`-th figure.
pub fn token(index: usize) -> String {
    format!("{{{{fig:{index}}}}}")
}

/// A text cut into words and tokens, in order.
pub fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}") else { break };
        if start > 0 {
            out.push(Piece::Words(&rest[..start]));
        }
        let whole = &rest[start..start + len + 2];
        let inner = &whole[2..whole.len() - 2];
        out.push(match inner.strip_prefix("fig:").and_then(|n| n.parse::<usize>().ok()) {
            Some(n) if inner == format!("fig:{n}") => Piece::Figure(n),
            _ => Piece::Unknown(whole),
        });
        rest = &rest[start + len + 2..];
    }
    if !rest.is_empty() {
        out.push(Piece::Words(rest));
    }
    out
}

/// Every token of `text` names one of `figures` figures.
pub fn check_tokens(field: &str, text: &str, figures: usize, checks: &mut Checks) {
    for piece in pieces(text) {
        match piece {
            Piece::Figure(n) if n < figures => {}
            Piece::Figure(n) => checks
                .push(Violation::new(field, "release.unknown_figure").with("token", token(n)).with("figures", figures)),
            Piece::Unknown(t) => {
                checks.push(Violation::new(field, "release.unknown_figure").with("token", t).with("figures", figures))
            }
            Piece::Words(_) => {}
        }
    }
}

pub(crate) fn check_draft(meeting: &Meeting, unit: &UnitCode, checks: &mut Checks) {
    checks.check(meeting.minutes.is_some(), || Violation::new("meeting_id", "release.meeting_not_held"));
    checks.check(*unit == meeting.scheduled.unit, || {
        Violation::new("unit", "release.unit_of_meeting").with("unit", &meeting.scheduled.unit)
    });
}

/// The service's draft itself holds to the rules an edit is held to.
pub fn check_generated(draft: &Draft, checks: &mut Checks) {
    for lang in Language::ALL {
        check_tokens(&format!("texts.{}", lang.code()), draft.texts.get(lang), draft.figures.len(), checks);
    }
}

pub(crate) fn check_edit(release: &Release, e: &EditRelease, ctx: &Context, checks: &mut Checks) {
    checks.check(release.status == ReleaseStatus::Draft, || {
        Violation::new("release_id", "release.frozen").with("status", release.status.as_str())
    });
    ctx.check_text(checks, "text", &e.text, MAX_TEXT);
    check_tokens("text", &e.text, release.figures.len(), checks);
}

pub(crate) fn check_approve(release: &Release, checks: &mut Checks) {
    checks.check(release.status == ReleaseStatus::Draft, || {
        Violation::new("release_id", "release.frozen").with("status", release.status.as_str())
    });
}

pub(crate) fn check_publish(release: &Release, checks: &mut Checks) {
    checks.check(release.status == ReleaseStatus::Approved, || {
        Violation::new("release_id", "release.not_approved").with("status", release.status.as_str())
    });
}

pub(crate) fn draft(id: Uuid, number: &str, meeting: &Meeting, made: Option<&Draft>, on: NaiveDate) -> Release {
    let made = made.cloned().unwrap_or_default();
    Release {
        id,
        number: number.to_string(),
        meeting_id: meeting.id,
        unit: meeting.scheduled.unit.clone(),
        held_on: meeting.scheduled.held_on,
        status: ReleaseStatus::Draft,
        texts: made.texts,
        figures: made.figures,
        drafted_on: on,
        approved_on: None,
        published_on: None,
    }
}

pub(crate) fn edit(release: &mut Release, e: &EditRelease) {
    release.texts.set(e.lang, e.text.trim().to_string());
}

pub(crate) fn approve(release: &mut Release, on: NaiveDate) {
    release.status = ReleaseStatus::Approved;
    release.approved_on = Some(on);
}

pub(crate) fn publish(release: &mut Release, on: NaiveDate) {
    release.status = ReleaseStatus::Published;
    release.published_on = Some(on);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_cut_into_words_and_tokens() {
        let text = "Of {{fig:0}} crimes {{fig:12}} percent {{name}} {{fig:01}}.";
        assert_eq!(
            pieces(text),
            vec![
                Piece::Words("Of "),
                Piece::Figure(0),
                Piece::Words(" crimes "),
                Piece::Figure(12),
                Piece::Words(" percent "),
                Piece::Unknown("{{name}}"),
                Piece::Words(" "),
                Piece::Unknown("{{fig:01}}"),
                Piece::Words("."),
            ]
        );
    }

    #[test]
    fn a_token_beyond_the_figures_is_refused_at_the_field() {
        let mut checks = Checks::default();
        check_tokens("text", "{{fig:0}} and {{fig:1}} and {{fig:2}}", 2, &mut checks);
        let v = checks.finish().unwrap_err().0;
        assert_eq!(v.len(), 1);
        assert_eq!((v[0].field.as_str(), v[0].rule.as_str()), ("text", "release.unknown_figure"));
    }
}
