//! The press service's releases, one register: a Board meeting's release,
//! drafted by the system from the meeting's record and the Board's report of
//! its period, in az, ru and en (`DraftRelease`), or one the press officer
//! writes from scratch (`WriteRelease`: a title and a text in any of the
//! languages, no figures). Either is edited and approved by the press
//! officer, then published at once or at a civil date and time
//! (`PublishRelease::at`), before which the public does not see it. Each is
//! an act on the journal of the release's unit. A release is tagged with the
//! units it concerns and topics of the fixed list [`TOPICS`].
//!
//! A gallery of photos is not part of a release yet: it will join as a list
//! of the photos' references beside `figures`.
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
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The longest text of one language.
pub const MAX_TEXT: usize = 20_000;

/// The longest title of one language.
pub const MAX_TITLE: usize = 200;

/// The topics a release may be tagged with, each named in the locales
/// (`ui.topic.*`): a fixed list, so the public site's filter and every
/// installation's releases speak of the same topics.
pub const TOPICS: [&str; 7] = ["board", "it_crime", "traffic", "narcotics", "appeals", "prevention", "missing_persons"];

/// The most units a release may be tagged with.
pub const MAX_TAGGED_UNITS: usize = 20;

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

/// A text in each of the system's languages; one not written is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, default)]
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

/// What a release is about: the units (codes of the unit tree) and the
/// topics of [`TOPICS`], each once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, default)]
pub struct Tags {
    pub units: Vec<UnitCode>,
    pub topics: Vec<String>,
}

impl Tags {
    /// Each tag once, in the order first given.
    fn deduplicated(&self) -> Tags {
        let mut out = Tags::default();
        for u in &self.units {
            if !out.units.contains(u) {
                out.units.push(u.clone());
            }
        }
        for t in &self.topics {
            if !out.topics.contains(t) {
                out.topics.push(t.clone());
            }
        }
        out
    }
}

/// The press officer writes a release from scratch: a title and a text in
/// each language it is published in (at least one), and its tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WriteRelease {
    /// The unit issuing it: the release goes into its journal.
    pub unit: UnitCode,
    pub titles: Texts,
    pub texts: Texts,
    #[serde(default)]
    pub tags: Tags,
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

/// The press officer's words for one language; the tokens stay. The
/// title and the tags are kept as they are unless given (an act written
/// before they existed reads as not giving them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EditRelease {
    pub release_id: Uuid,
    pub lang: Language,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Tags>,
}

/// Approves a release as it stands: no edit after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ApproveRelease {
    pub release_id: Uuid,
}

/// Publishes an approved release: at once, or at a civil date and time
/// (the pack's civil zone, Asia/Baku) still to come, before which the
/// public does not see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PublishRelease {
    pub release_id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "2026-12-24T10:00:00"))]
    pub at: Option<NaiveDateTime>,
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
    /// The Board meeting it reports; none for a release written from scratch.
    pub meeting_id: Option<Uuid>,
    pub unit: UnitCode,
    /// The day the meeting was held, which the release reports.
    pub held_on: Option<NaiveDate>,
    pub status: ReleaseStatus,
    /// The titles; a meeting's release has none until the press officer
    /// gives one, and the public site names it by its meeting.
    #[serde(default)]
    pub titles: Texts,
    pub texts: Texts,
    pub figures: Vec<Figure>,
    #[serde(default)]
    pub tags: Tags,
    pub drafted_on: NaiveDate,
    pub approved_on: Option<NaiveDate>,
    pub published_on: Option<NaiveDate>,
    /// The civil date and time a scheduled publication reaches the public.
    #[serde(default)]
    pub publish_at: Option<NaiveDateTime>,
}

impl Release {
    /// The languages it is published in: those with a text.
    pub fn languages(&self) -> Vec<Language> {
        Language::ALL.into_iter().filter(|l| !self.texts.get(*l).trim().is_empty()).collect()
    }

    /// The civil moment the public sees it from: its scheduled time, else
    /// the start of the day it was published; none before publication.
    pub fn public_from(&self) -> Option<NaiveDateTime> {
        if self.status != ReleaseStatus::Published {
            return None;
        }
        self.publish_at.or_else(|| self.published_on.map(|d| d.and_time(chrono::NaiveTime::MIN)))
    }

    /// Whether the public sees it at the civil time `now`.
    pub fn is_public_at(&self, now: NaiveDateTime) -> bool {
        self.public_from().is_some_and(|from| from <= now)
    }

    /// Whether it concerns `unit`: tagged with it, or issued by it.
    pub fn concerns(&self, unit: &UnitCode) -> bool {
        self.unit == *unit || self.tags.units.contains(unit)
    }
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
    if let Some(title) = &e.title {
        ctx.check_text(checks, "title", title, MAX_TITLE);
    }
    if let Some(tags) = &e.tags {
        check_tags(tags, ctx, checks);
    }
}

/// A written release: at least one language with its title and text, each
/// language whole (a title with no text, or a text with no title, is
/// refused at that language's field), no figure tokens (it has no figures).
pub(crate) fn check_write(w: &WriteRelease, ctx: &Context, checks: &mut Checks) {
    let mut written = 0;
    for lang in Language::ALL {
        let (title, text) = (w.titles.get(lang), w.texts.get(lang));
        if title.trim().is_empty() && text.trim().is_empty() {
            continue;
        }
        written += 1;
        ctx.check_text(checks, &format!("titles.{}", lang.code()), title, MAX_TITLE);
        ctx.check_text(checks, &format!("texts.{}", lang.code()), text, MAX_TEXT);
        check_tokens(&format!("texts.{}", lang.code()), text, 0, checks);
    }
    checks.check(written > 0, || Violation::new("texts", "release.no_language"));
    check_tags(&w.tags, ctx, checks);
}

/// Tags name units of the tree and topics of the list.
fn check_tags(tags: &Tags, ctx: &Context, checks: &mut Checks) {
    for unit in &tags.units {
        if let Err(v) = ctx.units.require("tags.units", unit) {
            checks.push(v);
        }
    }
    checks.check(tags.units.len() <= MAX_TAGGED_UNITS, || {
        Violation::new("tags.units", "release.too_many_units").with("max", MAX_TAGGED_UNITS)
    });
    for topic in &tags.topics {
        checks.check(TOPICS.contains(&topic.as_str()), || {
            Violation::new("tags.topics", "release.unknown_topic")
                .with("topic", topic)
                .with("topics", TOPICS.join(", "))
        });
    }
}

pub(crate) fn check_approve(release: &Release, checks: &mut Checks) {
    checks.check(release.status == ReleaseStatus::Draft, || {
        Violation::new("release_id", "release.frozen").with("status", release.status.as_str())
    });
}

pub(crate) fn check_publish(release: &Release, p: &PublishRelease, ctx: &Context, checks: &mut Checks) {
    checks.check(release.status == ReleaseStatus::Approved, || {
        Violation::new("release_id", "release.not_approved").with("status", release.status.as_str())
    });
    if let Some(at) = p.at {
        let now = ctx.rules.local_time(ctx.now);
        checks.check(at > now, || {
            Violation::new("at", "release.schedule_past").with("now", now.format("%Y-%m-%dT%H:%M"))
        });
    }
}

/// A meeting's release is tagged with the meeting's unit and the Board's topic.
pub(crate) fn draft(id: Uuid, number: &str, meeting: &Meeting, made: Option<&Draft>, on: NaiveDate) -> Release {
    let made = made.cloned().unwrap_or_default();
    Release {
        id,
        number: number.to_string(),
        meeting_id: Some(meeting.id),
        unit: meeting.scheduled.unit.clone(),
        held_on: Some(meeting.scheduled.held_on),
        status: ReleaseStatus::Draft,
        titles: Texts::default(),
        texts: made.texts,
        figures: made.figures,
        tags: Tags { units: vec![meeting.scheduled.unit.clone()], topics: vec!["board".into()] },
        drafted_on: on,
        approved_on: None,
        published_on: None,
        publish_at: None,
    }
}

pub(crate) fn write(id: Uuid, number: &str, w: &WriteRelease, on: NaiveDate) -> Release {
    let trimmed = |t: &Texts| Texts { az: t.az.trim().into(), ru: t.ru.trim().into(), en: t.en.trim().into() };
    Release {
        id,
        number: number.to_string(),
        meeting_id: None,
        unit: w.unit.clone(),
        held_on: None,
        status: ReleaseStatus::Draft,
        titles: trimmed(&w.titles),
        texts: trimmed(&w.texts),
        figures: vec![],
        tags: w.tags.deduplicated(),
        drafted_on: on,
        approved_on: None,
        published_on: None,
        publish_at: None,
    }
}

pub(crate) fn edit(release: &mut Release, e: &EditRelease) {
    release.texts.set(e.lang, e.text.trim().to_string());
    if let Some(title) = &e.title {
        release.titles.set(e.lang, title.trim().to_string());
    }
    if let Some(tags) = &e.tags {
        release.tags = tags.deduplicated();
    }
}

pub(crate) fn approve(release: &mut Release, on: NaiveDate) {
    release.status = ReleaseStatus::Approved;
    release.approved_on = Some(on);
}

pub(crate) fn publish(release: &mut Release, p: &PublishRelease, on: NaiveDate) {
    release.status = ReleaseStatus::Published;
    release.published_on = Some(on);
    release.publish_at = p.at;
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

    /// The journal keeps acts and the index states as first written: those
    /// written before titles, tags and schedules read as none of them, and
    /// an act without them is written back byte for byte (its hash).
    #[test]
    fn acts_and_states_from_before_titles_tags_and_schedules_still_read() {
        let id = "7f1c6d3e-9a57-4b43-8d3f-1a2b3c4d5e6f";
        let edit = format!(r#"{{"release_id":"{id}","lang":"en","text":"The Board met."}}"#);
        let read: EditRelease = serde_json::from_str(&edit).unwrap();
        assert_eq!((read.title.as_deref(), read.tags.as_ref()), (None, None));
        assert_eq!(serde_json::to_string(&read).unwrap(), edit);
        let publish = format!(r#"{{"release_id":"{id}"}}"#);
        let read: PublishRelease = serde_json::from_str(&publish).unwrap();
        assert_eq!((read.at, serde_json::to_string(&read).unwrap()), (None, publish));
        let state = format!(
            r#"{{"id":"{id}","number":"PR-AZ-2024-000001","meeting_id":"{id}","unit":"AZ","held_on":"2024-04-18",
            "status":"published","texts":{{"az":"a","ru":"b","en":"c"}},"figures":[],"drafted_on":"2024-04-18",
            "approved_on":"2024-04-18","published_on":"2024-04-19"}}"#
        );
        let release: Release = serde_json::from_str(&state).unwrap();
        assert_eq!((&release.titles, &release.tags), (&Texts::default(), &Tags::default()));
        assert_eq!(release.public_from(), NaiveDate::from_ymd_opt(2024, 4, 19).and_then(|d| d.and_hms_opt(0, 0, 0)));
        assert_eq!(release.languages(), Language::ALL.to_vec());
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
