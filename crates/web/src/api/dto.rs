//! What the API reads and writes besides the domain's own types. Each
//! derives its OpenAPI schema, so the document describes what is sent.

use chrono::{DateTime, NaiveDate, Utc};
use crimeboard_domain::journal::JournalEntry;
use crimeboard_domain::late::StatedReason;
use crimeboard_domain::registers::{NewAccident, NewAccountability, NewSeizure, Registered};
use crimeboard_domain::{Command, EntityKind};
use crimeboard_service::{ListPage, ListParams, ListSort, Receipt, Verification};
use crimeboard_store::{ChainReport, Record, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A submission to one register's endpoint: the entry under `data`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Filing<T> {
    /// Who records it (service number or name).
    pub actor: String,
    /// The provision of law the recording rests on.
    pub legal_ground: String,
    pub data: T,
    /// Why the entry comes late: registered longer after its receipt than
    /// the rules allow, or changing a published figure. Required then,
    /// refused otherwise.
    #[serde(default)]
    pub late: Option<StatedReason>,
}

/// Any act: `command.act` names it, the rest are its fields.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = Submission)]
#[allow(dead_code)] // documents the body that `body::submission` reads
pub struct SubmissionBody {
    pub actor: String,
    pub legal_ground: String,
    pub command: Command,
    /// Why the act comes late (see `Filing.late`).
    pub late: Option<StatedReason>,
}

/// Up to 1000 submissions, recorded together or not at all.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = Batch)]
#[allow(dead_code)] // documents the body that `body::batch` reads
pub struct BatchBody {
    #[schema(min_items = 1, max_items = 1000)]
    pub submissions: Vec<SubmissionBody>,
}

/// What the registry gives back for a recorded act.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Receipt)]
pub struct ReceiptView {
    pub act_id: Uuid,
    /// The act's name, e.g. `register_report`.
    pub act: String,
    /// The unit whose journal holds the act.
    pub unit: String,
    /// Its number in that unit's journal.
    pub seq: i64,
    /// Its place in the order of recording across units.
    pub position: i64,
    /// The entity created or changed.
    pub entity_id: Uuid,
    /// The register number, when the act created the entity.
    pub number: Option<String>,
    /// Ids given to the persons the act brought in, in the order given.
    pub person_ids: Vec<Uuid>,
}

impl From<Receipt> for ReceiptView {
    fn from(r: Receipt) -> Self {
        let Receipt { act_id, act, unit, seq, position, entity_id, number, person_ids } = r;
        ReceiptView { act_id, act, unit, seq, position, entity_id, number, person_ids }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BatchReceipts {
    pub receipts: Vec<ReceiptView>,
}

/// An entry of a register as it stands. `S` names the schema of `state`.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordView<S> {
    pub kind: EntityKind,
    pub id: Uuid,
    pub unit: String,
    /// Its register number (a person's is that of their case or report).
    pub number: String,
    pub status: String,
    /// The day lists filter by: received, registered, seized, occurred (Baku time).
    pub day: NaiveDate,
    /// The case or report it belongs to, if any.
    pub parent: Option<Uuid>,
    pub state: S,
    /// The acts that made it, oldest first (not listed in lists, nor for persons).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<HistoryItem>>,
}

impl RecordView<Value> {
    /// The stored JSON state is the registry's own writing: if it does not
    /// parse, the store is corrupt, and that is an internal error.
    pub fn of(r: Record) -> Result<RecordView<Value>, StoreError> {
        let state =
            serde_json::from_str(&r.state).map_err(|e| StoreError::Corrupt(format!("state of {}: {e}", r.id)))?;
        Ok(RecordView {
            kind: r.kind,
            id: r.id,
            unit: r.unit,
            number: r.number,
            status: r.status,
            day: r.day,
            parent: r.parent,
            state,
            history: None,
        })
    }
}

// The states of the simple registers get names of their own in the
// document: utoipa names a generic inside a generic wrongly
// (`ListView<Registered<NewSeizure>>` becomes `RecordView_Registered`).

/// A narcotics seizure as recorded.
#[derive(ToSchema)]
#[schema(as = Seizure)]
#[allow(dead_code)]
pub struct SeizureState(Registered<NewSeizure>);

/// A person held accountable, as recorded.
#[derive(ToSchema)]
#[schema(as = Accountability)]
#[allow(dead_code)]
pub struct AccountabilityState(Registered<NewAccountability>);

/// A traffic accident as recorded.
#[derive(ToSchema)]
#[schema(as = Accident)]
#[allow(dead_code)]
pub struct AccidentState(Registered<NewAccident>);

/// One act in an entity's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryItem {
    pub unit: String,
    pub seq: i64,
    pub position: i64,
    pub act_id: Uuid,
    pub kind: String,
    pub recorded_at: DateTime<Utc>,
    pub actor: String,
    pub legal_ground: String,
    /// Whether a later act annulled it.
    pub annulled: bool,
    /// The act as recorded: the command and what the system assigned.
    #[schema(value_type = crimeboard_domain::Act)]
    pub act: Value,
}

impl HistoryItem {
    pub fn of(e: JournalEntry, annulled: bool) -> Result<HistoryItem, StoreError> {
        Ok(HistoryItem {
            act: payload_of(&e)?,
            unit: e.unit,
            seq: e.seq,
            position: e.position,
            act_id: e.act_id,
            kind: e.kind,
            recorded_at: e.recorded_at,
            actor: e.actor,
            legal_ground: e.legal_ground,
            annulled,
        })
    }
}

fn payload_of(e: &JournalEntry) -> Result<Value, StoreError> {
    serde_json::from_str(&e.payload).map_err(|err| StoreError::Corrupt(format!("act {}/{}: {err}", e.unit, e.seq)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ListView<S> {
    pub items: Vec<RecordView<S>>,
    pub page: u64,
    pub per_page: u64,
    /// Whether more entries match beyond this page.
    pub has_more: bool,
}

impl ListView<Value> {
    pub fn of(p: ListPage) -> Result<ListView<Value>, StoreError> {
        let items = p.items.into_iter().map(RecordView::of).collect::<Result<_, _>>()?;
        Ok(ListView { items, page: p.page, per_page: p.per_page, has_more: p.has_more })
    }
}

/// Filters of a register's list; all optional.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// A unit's code: the list covers it and every unit below it.
    #[param(pattern = "^[A-Z0-9-]{1,32}$")] // as `UnitCode::parse` reads one
    pub unit: Option<String>,
    /// First day (YYYY-MM-DD, Baku time), inclusive.
    pub from: Option<NaiveDate>,
    /// Last day (YYYY-MM-DD, Baku time), inclusive.
    pub to: Option<NaiveDate>,
    /// e.g. `awaiting_decision`, `investigating`, `suspect`.
    #[param(pattern = "^[^\\x00]*$")] // U+0000 is refused in every parameter
    pub status: Option<String>,
    /// Only entries of this case or report.
    pub parent: Option<Uuid>,
    /// The register number, exactly.
    #[param(pattern = "^[^\\x00]*$")] // U+0000 is refused in every parameter
    pub number: Option<String>,
    /// Words to search for: names in Azerbaijani, Russian or Latin spelling find each
    /// other, a word finds the words it begins, "177.2" finds that article. Newest first.
    #[param(pattern = "^[^\\x00]*$")] // U+0000 is refused in every parameter
    pub q: Option<String>,
    /// Cases with this offence code: an article (177, 177.2, 177.2.1) or a part or point of
    /// it, or a code of a catalogue of plain codes (burglary), matched exactly.
    #[param(pattern = "^[^\\x00]*$")] // U+0000 is refused in every parameter
    pub article: Option<String>,
    /// Cases with this flag: it_enabled, group, family_conflict, public_place, intoxication, non_obvious.
    #[param(pattern = "^[^\\x00]*$")] // U+0000 is refused in every parameter
    pub flag: Option<String>,
    /// Appeals of this kind: application, proposal, complaint.
    #[param(pattern = "^[^\\x00]*$")] // U+0000 is refused in every parameter
    pub appeal_kind: Option<String>,
    /// Appeals that came by this channel: written, online, email, reception, telephone.
    #[param(pattern = "^[^\\x00]*$")] // U+0000 is refused in every parameter
    pub appeal_channel: Option<String>,
    /// The order: newest first if not given (with `q`, newest recorded first). With `q`,
    /// an order by number, unit or deadline sorts the 10,000 newest matches.
    #[param(inline)]
    pub sort: Option<ListOrder>,
    /// From 1.
    #[param(minimum = 1, maximum = 100_000)]
    pub page: Option<u64>,
    /// 1 to 200; 50 if not given.
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<u64>,
    /// Language of messages: az, ru or en, of those the installation's jurisdiction pack offers
    /// (another is refused, 422), its default language if not given; wins over Accept-Language.
    #[allow(dead_code)] // read by the problem middleware; here so it is checked and documented
    #[param(inline)]
    pub lang: Option<Language>,
}

/// The languages of messages and reports. `?lang=` is read by the problem
/// middleware whatever its value; the API's own parameters name it so that a
/// value outside these is refused instead of silently falling back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Az,
    Ru,
    En,
}

/// The order of a list; each ends with the id, so pages never overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ListOrder {
    /// The latest day first (received, registered, seized, occurred).
    Newest,
    /// The earliest day first.
    Oldest,
    /// By register number, A to Z (within a unit and year, in number order).
    Number,
    /// By register number, Z to A.
    NumberDesc,
    /// By unit code, A to Z; each unit's entries newest first.
    Unit,
    /// By unit code, Z to A; each unit's entries newest first.
    UnitDesc,
    /// Reports only: awaiting a decision by statutory deadline, earliest first; decided ones after.
    Deadline,
    /// Reports only: awaiting a decision by statutory deadline, latest first; decided ones after.
    DeadlineDesc,
}

impl From<ListOrder> for ListSort {
    fn from(o: ListOrder) -> ListSort {
        match o {
            ListOrder::Newest => ListSort::Newest,
            ListOrder::Oldest => ListSort::Oldest,
            ListOrder::Number => ListSort::Number,
            ListOrder::NumberDesc => ListSort::NumberDesc,
            ListOrder::Unit => ListSort::Unit,
            ListOrder::UnitDesc => ListSort::UnitDesc,
            ListOrder::Deadline => ListSort::Deadline,
            ListOrder::DeadlineDesc => ListSort::DeadlineDesc,
        }
    }
}

impl ListQuery {
    pub fn params(self, kind: EntityKind) -> ListParams {
        ListParams {
            kind: Some(kind),
            unit: self.unit,
            from: self.from,
            to: self.to,
            status: self.status,
            parent: self.parent,
            number: self.number,
            q: self.q,
            article: self.article,
            flag: self.flag,
            appeal_kind: self.appeal_kind,
            appeal_channel: self.appeal_channel,
            sort: self.sort.map(ListSort::from),
            page: self.page,
            per_page: self.per_page,
            within: None,
        }
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct JournalQuery {
    /// Only this unit's journal.
    #[param(pattern = "^[A-Z0-9-]{1,32}$")] // as `UnitCode::parse` reads one
    pub unit: Option<String>,
    /// Entries recorded after this position (0, or the `next_after` of the page before).
    pub after: Option<i64>,
    /// 1 to 1000; 100 if not given.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u64>,
    /// Language of messages: az, ru or en, of those the installation's jurisdiction pack offers
    /// (another is refused, 422), its default language if not given.
    #[allow(dead_code)] // read by the problem middleware; here so it is checked and documented
    #[param(inline)]
    pub lang: Option<Language>,
}

/// One journal entry, its act as JSON.
#[derive(Debug, Serialize, ToSchema)]
pub struct JournalItem {
    pub unit: String,
    pub seq: i64,
    pub position: i64,
    pub act_id: Uuid,
    pub kind: String,
    pub recorded_at: DateTime<Utc>,
    pub actor: String,
    pub legal_ground: String,
    #[schema(value_type = crimeboard_domain::Act)]
    pub act: Value,
    /// The hash of the unit's entry before, or 64 zeros for the first.
    pub prev_hash: String,
    pub hash: String,
}

impl JournalItem {
    pub fn of(e: JournalEntry) -> Result<JournalItem, StoreError> {
        Ok(JournalItem {
            act: payload_of(&e)?,
            unit: e.unit,
            seq: e.seq,
            position: e.position,
            act_id: e.act_id,
            kind: e.kind,
            recorded_at: e.recorded_at,
            actor: e.actor,
            legal_ground: e.legal_ground,
            prev_hash: e.prev_hash,
            hash: e.hash,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JournalPage {
    pub entries: Vec<JournalItem>,
    /// Pass as `after` for the next page.
    pub next_after: i64,
}

/// Whether every unit's hash chain holds.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerificationView {
    pub ok: bool,
    /// Entries checked in the chains that hold.
    pub entries: i64,
    pub chains: Vec<ChainView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChainView {
    pub unit: String,
    pub ok: bool,
    /// How many entries, when the chain holds.
    pub entries: Option<i64>,
    /// Where it breaks, when it does not.
    pub broken: Option<ChainBreakView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChainBreakView {
    pub seq: i64,
    /// `altered`, `removed`, `reordered` or `truncated`.
    pub problem: String,
    pub detail: String,
}

impl From<Verification> for VerificationView {
    fn from(v: Verification) -> Self {
        VerificationView {
            ok: v.ok(),
            entries: v.entries(),
            chains: v.chains.into_iter().map(ChainView::from).collect(),
        }
    }
}

impl From<ChainReport> for ChainView {
    fn from(c: ChainReport) -> Self {
        match c.result {
            Ok(n) => ChainView { unit: c.unit, ok: true, entries: Some(n), broken: None },
            Err(b) => {
                let problem = serde_json::to_value(b.problem)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                let broken = ChainBreakView { seq: b.seq, problem, detail: b.to_string() };
                ChainView { unit: c.unit, ok: false, entries: None, broken: Some(broken) }
            }
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok` when the store answers.
    pub status: String,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// The last journal position recorded.
    pub position: i64,
}

/// Which Board report, and as what.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// The period: `2024Q1`, `2024H1`, `2024-03`, `2024`, `ytd:2024-04-19`, `28d:2024-04-19`,
    /// `week:2024-04-15` or `2024-01-01..2024-03-31`, within the years 1900 to 2999. Each figure
    /// is compared with the same days a year before.
    #[param(required = true, value_type = String, example = "2024Q1")]
    pub period: Option<String>,
    /// A unit's code: the report covers it and every unit below it. The whole country if not given.
    #[param(pattern = "^[A-Z0-9-]{1,32}$")] // as `UnitCode::parse` reads one
    pub unit: Option<String>,
    /// The file: `json` (default), `text` (the narrative), `csv` or `xlsx`.
    #[param(inline)]
    pub format: Option<ReportFormat>,
    /// A journal position (e.g. the `position` of a published report): the report as it read
    /// then, recounted from the journal up to that position. An audit, slower than the default,
    /// which reads the maintained counters.
    #[param(minimum = 0)]
    pub at: Option<i64>,
    /// The unit tree the figures roll up under: `in_force` (default), the tree on the period's
    /// last day, a change of the tree dated after it not yet seen; or `current`, every change
    /// recorded, the same counters rolled up under today's units.
    #[param(inline)]
    pub structure: Option<ReportStructure>,
    /// Language of the report and of messages: az, ru or en, of those the installation's jurisdiction
    /// pack offers (another is refused, 422); else `Accept-Language`, else the pack's default language.
    #[allow(dead_code)] // read through `Lang::negotiate`; here so it is checked and documented
    #[param(inline)]
    pub lang: Option<Language>,
}

/// The unit tree a report rolls up under.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportStructure {
    /// The tree in force on the period's last day.
    #[default]
    InForce,
    /// The tree with every change recorded.
    Current,
}

impl From<ReportStructure> for crimeboard_service::Structure {
    fn from(s: ReportStructure) -> Self {
        match s {
            ReportStructure::InForce => crimeboard_service::Structure::InForce,
            ReportStructure::Current => crimeboard_service::Structure::Current,
        }
    }
}

/// The file format of a report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    /// The report as JSON, with its narrative.
    #[default]
    Json,
    /// The narrative as plain UTF-8 text.
    Text,
    /// The figures as CSV (UTF-8 with a byte-order mark), as an attachment.
    Csv,
    /// The figures as an Excel workbook, as an attachment.
    Xlsx,
    /// The printable report (A4, fonts embedded), as an attachment.
    Pdf,
}

impl From<ReportFormat> for crimeboard_export::Format {
    fn from(f: ReportFormat) -> Self {
        match f {
            ReportFormat::Json => crimeboard_export::Format::Json,
            ReportFormat::Text => crimeboard_export::Format::Text,
            ReportFormat::Csv => crimeboard_export::Format::Csv,
            ReportFormat::Xlsx => crimeboard_export::Format::Xlsx,
            ReportFormat::Pdf => crimeboard_export::Format::Pdf,
        }
    }
}

/// A file as bytes (documents the `xlsx` and `pdf` responses).
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub struct Download(Vec<u8>);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::decode_query;

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct F {
        format: Option<ReportFormat>,
    }

    #[test]
    fn an_unknown_value_of_a_closed_list_is_named_with_the_allowed_ones() {
        let p = decode_query::<F>(Some("format=docx")).unwrap_err();
        assert_eq!((p.errors[0].field.as_str(), p.errors[0].rule.as_str()), ("format", "param.variant"));
        let expected = p.errors[0].params.iter().find(|(k, _)| k == "expected").map(|(_, v)| v.as_str());
        assert_eq!(expected, Some("json, text, csv, xlsx, pdf"));
        assert_eq!(decode_query::<F>(Some("format=xlsx")).unwrap().format, Some(ReportFormat::Xlsx));
    }
}

// The report's JSON as `crimeboard_export` writes it, described for the
// document only (the export crate knows nothing of OpenAPI); a test reads a
// real report against these names (tests/api/report.rs).

/// The Board's report as JSON: its stamp, what each indicator and share
/// counts (once, in the language asked for), each unit's figures by code,
/// and the narrative.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ReportDocument {
    /// `az`, `ru` or `en`: the language of the names and the narrative.
    lang: String,
    period: ReportPeriod,
    /// The same days a year before.
    previous: ReportPeriod,
    /// The journal position the figures reflect.
    position: i64,
    /// The counting rules' version.
    counting_rules: String,
    catalogue: String,
    catalogue_illustrative: bool,
    /// What amounts (`unit` `qepik`) are counted in: whole minor units of this currency.
    currency: ReportCurrency,
    indicators: Vec<ReportIndicator>,
    shares: Vec<ReportShare>,
    /// The unit asked for first, then every unit below it, parents first.
    units: Vec<ReportUnit>,
    narrative: String,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ReportPeriod {
    from: chrono::NaiveDate,
    /// Inclusive.
    to: chrono::NaiveDate,
}

/// The currency of the jurisdiction pack the report was counted under.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ReportCurrency {
    /// ISO 4217: `AZN`, `GBP`.
    code: String,
    /// `₼`, `£`.
    symbol: String,
    /// Decimal places of the minor unit: an amount of 12345 with 2 is 123.45.
    #[schema(minimum = 0, maximum = 4)]
    minor_units: u8,
}

/// What a figure's code counts.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ReportIndicator {
    /// The indicator's code; for one group of a grouped indicator, `<code>/<value>[/<value>]`.
    code: String,
    name: String,
    /// `number`, `qepik` (money, in minor units of the report's `currency`) or `grams` (weight).
    unit: String,
    /// The group's values, verbatim, for a group of a grouped indicator.
    group: Option<Vec<String>>,
}

/// What a share's code divides.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ReportShare {
    code: String,
    name: String,
    /// How the share is computed, in words.
    method: String,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ReportUnit {
    unit: String,
    name: String,
    parent: Option<String>,
    figures: Vec<ReportFigure>,
    shares: Vec<ReportShareValue>,
}

/// A unit's figure of the indicator `code` names, against the year before.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ReportFigure {
    code: String,
    change: ReportChange,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ReportChange {
    current: i64,
    previous: i64,
    absolute: i64,
    /// None when last year's figure is zero.
    percent: Option<f64>,
    /// Two-sided p-value of equal rates; None for sums that are not counts.
    p_value: Option<f64>,
    /// True when chance alone does not explain the change (p < 0.05).
    significant: Option<bool>,
}

/// A unit's share, in per cent; None when the denominator is zero.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ReportShareValue {
    code: String,
    current: Option<f64>,
    previous: Option<f64>,
}

/// Which briefing pack, and as what.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BriefingQuery {
    /// A meeting of the Board (its id): the pack for its period under review, its agenda and
    /// its reporting units (its rapporteurs' units, then its agenda items'), each unit's tasks
    /// as they stood on the meeting's day. Give either `meeting` or `period`, `agenda` and
    /// `units`: both or neither is refused naming `meeting`.
    #[param(required = false, value_type = String, format = Uuid)]
    pub meeting: Option<String>,
    /// The period under review, in any form the report takes (`2024Q1`, `2024-03`, ...),
    /// compared with the same days a year before. Required without `meeting`.
    #[param(required = false, value_type = String, example = "2024Q1")]
    pub period: Option<String>,
    /// The agenda: one item a line (or between semicolons), its topic, a colon and the codes
    /// of its indicators (ungrouped indicators of the counting rules) separated by commas:
    /// `Theft: theft, robbery; Roads: traffic_accidents`. At most 20 items. Required without
    /// `meeting`.
    #[param(required = false, value_type = String, pattern = "^[^\\x00]*$",
        example = "Theft: theft, robbery; Reports: reports_received")]
    pub agenda: Option<String>,
    /// The reporting units' codes, separated by commas: `BAK-NSM,BAK-YAS`. At most 100.
    /// Required without `meeting`.
    #[param(required = false, value_type = String, pattern = "^[^\\x00]*$", example = "BAK-NSM,BAK-YAS")]
    pub units: Option<String>,
    /// A journal position: the pack as it read then, recounted from the journal up to it
    /// (the Board's report at that position has the same figures).
    #[param(minimum = 0)]
    pub at: Option<i64>,
    /// `json` (default), or the pack as an attachment: `pdf` (A4, fonts embedded) or `xlsx`.
    #[param(inline)]
    pub format: Option<BriefingFormat>,
    /// Language of the names, the files and the messages: az, ru or en, of those the
    /// installation's jurisdiction pack offers; else `Accept-Language`, else its default.
    #[allow(dead_code)] // read through `Lang::negotiate`; here so it is checked and documented
    #[param(inline)]
    pub lang: Option<Language>,
}

/// A task's line in a queue or the controller's sheet.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = TaskLine)]
pub struct TaskLineView {
    pub id: Uuid,
    pub number: String,
    pub text: String,
    pub owner: String,
    pub co_executors: Vec<String>,
    /// The login of the one who may close, extend or return it.
    pub controller: String,
    pub meeting_id: Option<Uuid>,
    pub parent_task_id: Option<Uuid>,
    pub status: crimeboard_domain::task::TaskStatus,
    /// The due date in force (moved by each extension).
    pub due_on: NaiveDate,
    pub extensions: u32,
    /// Where it stands on the ladder: due in 7 days, due today, overdue, overdue 14 days.
    pub step: Option<crimeboard_domain::task::EscalationStep>,
    /// In this queue because it escalated from a unit below.
    pub escalated: bool,
    /// The owner's last report's confidence.
    pub owner_confidence: Option<crimeboard_domain::task::Confidence>,
    /// The controller's last decision's confidence.
    pub controller_confidence: Option<crimeboard_domain::task::Confidence>,
}

impl From<crimeboard_service::TaskLine> for TaskLineView {
    fn from(l: crimeboard_service::TaskLine) -> Self {
        TaskLineView {
            id: l.id,
            number: l.number,
            text: l.text,
            owner: l.owner.to_string(),
            co_executors: l.co_executors.iter().map(ToString::to_string).collect(),
            controller: l.controller,
            meeting_id: l.meeting_id,
            parent_task_id: l.parent_task_id,
            status: l.status,
            due_on: l.due_on,
            extensions: l.extensions,
            step: l.step,
            escalated: l.escalated,
            owner_confidence: l.owner_confidence,
            controller_confidence: l.controller_confidence,
        }
    }
}

/// A page of tasks.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = TaskPage)]
pub struct TaskPageView {
    pub items: Vec<TaskLineView>,
    pub page: u64,
    pub per_page: u64,
    /// Tasks over every page.
    pub total: u64,
    pub has_more: bool,
    /// The civil day the ladder's steps were counted on.
    pub today: NaiveDate,
}

impl From<crimeboard_service::TaskPage> for TaskPageView {
    fn from(p: crimeboard_service::TaskPage) -> Self {
        TaskPageView {
            items: p.items.into_iter().map(TaskLineView::from).collect(),
            page: p.page,
            per_page: p.per_page,
            total: p.total as u64,
            has_more: p.has_more,
            today: p.today,
        }
    }
}

/// A page of a unit's queue or of the sheet.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TaskPageQuery {
    /// From 1.
    #[param(minimum = 1, maximum = 100_000)]
    pub page: Option<u64>,
    /// 1 to 200; 50 if not given.
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<u64>,
    /// Language of messages: az, ru or en, of those the installation's jurisdiction pack offers
    /// (another is refused, 422), its default language if not given; wins over Accept-Language.
    #[allow(dead_code)] // read by the problem middleware; here so it is checked and documented
    #[param(inline)]
    pub lang: Option<Language>,
}

/// The file format of a briefing pack.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum BriefingFormat {
    #[default]
    Json,
    Xlsx,
    Pdf,
}

// The briefing pack's JSON as `crimeboard_export` writes it, described for
// the document only; a test reads a real pack against these names
// (tests/api/briefing.rs).

/// The briefing pack before a Board meeting: for each agenda item and each reporting
/// unit, the item's indicators against the same period a year before as the Board's
/// report at the same journal position has them, with the unit's rank among its peers;
/// for each unit, its tasks and deadlines kept.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct BriefingDocument {
    /// `az`, `ru` or `en`: the language of the names.
    lang: String,
    period: ReportPeriod,
    /// The same days a year before.
    previous: ReportPeriod,
    /// The journal position the figures reflect.
    position: i64,
    counting_rules: String,
    catalogue: String,
    catalogue_illustrative: bool,
    currency: ReportCurrency,
    /// The reporting units, in the order asked for.
    units: Vec<BriefingUnit>,
    items: Vec<BriefingItem>,
}

#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct BriefingUnit {
    unit: String,
    name: String,
    parent: Option<String>,
    /// Its tasks from earlier meetings, from the register of the Board's tasks: those it owns or
    /// co-executes, as they stood when the meeting's day began (for a typed agenda, the day
    /// after the period under review): open (issued before that day and not closed by then),
    /// and of them overdue (due before that day). Never null from this API.
    tasks: Option<BriefingTasks>,
    /// Null when the counting rules count no reports decided in time.
    deadlines_kept: Option<BriefingDeadlines>,
}

#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct BriefingTasks {
    open: u32,
    overdue: u32,
}

/// Crime reports decided within their deadline out of all decided in the period.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct BriefingDeadlines {
    in_time: i64,
    decided: i64,
    /// Per cent; null when none was decided.
    percent: Option<f64>,
}

#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct BriefingItem {
    topic: String,
    indicators: Vec<BriefingIndicator>,
    /// One row per reporting unit, in the order asked for.
    rows: Vec<BriefingRow>,
}

#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct BriefingIndicator {
    code: String,
    name: String,
    /// `number`, `qepik` (money, in minor units of the `currency`) or `grams`.
    unit: String,
}

#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct BriefingRow {
    unit: String,
    /// In the order of the item's indicators.
    figures: Vec<BriefingFigure>,
}

#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct BriefingFigure {
    code: String,
    change: ReportChange,
    rank: BriefingRank,
}

/// The unit's place among the units with the same parent by the figure of the period:
/// 1 for the highest, equal figures sharing a place.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct BriefingRank {
    place: u32,
    /// How many units are ranked, the unit included.
    of: u32,
}

/// The controller's sheet's filters; all optional.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TaskSheetQuery {
    #[param(inline)]
    pub status: Option<crimeboard_domain::task::TaskStatus>,
    /// The owner unit's code: it and every unit below it.
    #[param(pattern = "^[A-Z0-9-]{1,32}$")] // as `UnitCode::parse` reads one
    pub unit: Option<String>,
    pub meeting_id: Option<Uuid>,
    /// The controller's login, exactly.
    #[param(pattern = "^[^\\x00]*$")] // U+0000 is refused in every parameter
    pub controller: Option<String>,
    /// Due on or after this day.
    pub due_from: Option<NaiveDate>,
    /// Due on or before this day.
    pub due_to: Option<NaiveDate>,
    /// From 1.
    #[param(minimum = 1, maximum = 100_000)]
    pub page: Option<u64>,
    /// 1 to 200; 50 if not given.
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<u64>,
    /// Language of messages: az, ru or en, of those the installation's jurisdiction pack offers
    /// (another is refused, 422), its default language if not given; wins over Accept-Language.
    #[allow(dead_code)] // read by the problem middleware; here so it is checked and documented
    #[param(inline)]
    pub lang: Option<Language>,
}

/// A figure the counters held for the owner unit and the units below it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Reading)]
pub struct ReadingView {
    pub indicator: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub value: i64,
    /// The journal position the counters stood at.
    pub position: i64,
}

impl From<crimeboard_domain::task::Reading> for ReadingView {
    fn from(r: crimeboard_domain::task::Reading) -> Self {
        ReadingView { indicator: r.indicator, from: r.from, to: r.to, value: r.value, position: r.position }
    }
}

/// A target measured now against its baseline.
#[derive(Debug, Serialize, ToSchema)]
pub struct TargetProgressView {
    pub indicator: String,
    pub expected: crimeboard_domain::task::Expected,
    /// Over the meeting's period under review, when the task was issued.
    pub baseline: ReadingView,
    /// Over as many days, ending on the last whole day before today.
    pub now: ReadingView,
    pub absolute: i64,
    /// None on a zero baseline.
    pub percent: Option<f64>,
    /// Whether chance alone does not explain the change (the report's mark).
    pub significant: Option<bool>,
    pub met: bool,
}

/// A task as it stands, its sub-tasks counted by status and its targets evaluated.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = TaskProgress)]
pub struct TaskProgressView {
    pub id: Uuid,
    pub number: String,
    pub status: crimeboard_domain::task::TaskStatus,
    pub due_on: NaiveDate,
    pub extensions: u32,
    pub step: Option<crimeboard_domain::task::EscalationStep>,
    /// The task as recorded: what was issued, the reports back and the decisions.
    #[schema(value_type = Object)]
    pub task: Value,
    /// Sub-tasks per status: open, closure_asked, extension_asked, closed.
    pub subtasks: BTreeMap<String, u64>,
    pub targets: Vec<TargetProgressView>,
}

impl TaskProgressView {
    pub fn of(p: crimeboard_service::TaskProgress) -> Result<TaskProgressView, StoreError> {
        let targets = p
            .targets
            .into_iter()
            .map(|t| TargetProgressView {
                indicator: t.target.indicator,
                expected: t.target.expected,
                baseline: t.target.baseline.into(),
                now: t.now.into(),
                absolute: t.change.absolute,
                percent: t.change.percent,
                significant: t.change.significant,
                met: t.met,
            })
            .collect();
        let task = serde_json::to_value(&p.task).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(TaskProgressView {
            id: p.task.id,
            number: p.task.number.clone(),
            status: p.task.status,
            due_on: p.task.due_on,
            extensions: p.task.extensions,
            step: p.step,
            task,
            subtasks: p.subtasks.into_iter().map(|(s, n)| (s.as_str().to_string(), n as u64)).collect(),
            targets,
        })
    }
}

/// Every task a meeting created, dated the meeting's day.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CommitmentsMemo)]
pub struct CommitmentsMemoView {
    pub meeting_id: Uuid,
    pub meeting_number: String,
    pub title: String,
    pub dated: NaiveDate,
    pub tasks: Vec<TaskLineView>,
}

impl From<crimeboard_service::CommitmentsMemo> for CommitmentsMemoView {
    fn from(m: crimeboard_service::CommitmentsMemo) -> Self {
        CommitmentsMemoView {
            meeting_id: m.meeting.id,
            meeting_number: m.meeting.number,
            title: m.meeting.scheduled.title,
            dated: m.dated,
            tasks: m.tasks.into_iter().map(TaskLineView::from).collect(),
        }
    }
}

/// An open appeal in its unit's queue.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = AppealQueueItem)]
pub struct AppealQueueItemView {
    /// The deadline in force: the answer's, or for an anonymous appeal
    /// about an offence, the day its content is to be passed on by.
    pub deadline: DateTime<Utc>,
    /// The deadline has passed.
    pub overdue: bool,
    /// Due by the end of today (Baku time), not yet overdue.
    pub due_today: bool,
    #[schema(value_type = RecordView<crimeboard_domain::appeal::Appeal>)]
    pub appeal: RecordView<Value>,
}

/// A page of a unit's open appeals, nearest deadline first, with the
/// counts over the whole queue.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = AppealQueue)]
pub struct AppealQueueView {
    pub items: Vec<AppealQueueItemView>,
    pub page: u64,
    pub per_page: u64,
    pub has_more: bool,
    /// Open appeals over every page.
    pub waiting: i64,
    pub overdue: i64,
    pub due_today: i64,
    /// The instant the queue was read at.
    pub now: DateTime<Utc>,
}

impl AppealQueueView {
    pub fn of(q: crimeboard_service::Queue) -> Result<AppealQueueView, StoreError> {
        let (now, due_by) = (q.now, q.due_by);
        let items = q
            .items
            .into_iter()
            .map(|record| {
                let appeal: crimeboard_domain::appeal::Appeal = serde_json::from_str(&record.state)
                    .map_err(|e| StoreError::Corrupt(format!("state of {}: {e}", record.id)))?;
                Ok(AppealQueueItemView {
                    deadline: appeal.deadline,
                    overdue: appeal.deadline <= now,
                    due_today: appeal.deadline > now && appeal.deadline <= due_by,
                    appeal: RecordView::of(record)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(AppealQueueView {
            items,
            page: q.page,
            per_page: q.per_page,
            has_more: q.has_more,
            waiting: q.total.waiting,
            overdue: q.total.overdue,
            due_today: q.total.due_today,
            now,
        })
    }
}
