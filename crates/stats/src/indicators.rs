//! The counting rules: which register an indicator counts, by which date,
//! with which filters and which measure. They are data (`data/jurisdictions/azerbaijan/indicators.toml`)
//! under a version that every report prints.

use crate::signals::{Signal, SolvingAgainstRecording};
use chrono::NaiveDate;
use crimeboard_domain::appeal::Appeal;
use crimeboard_domain::case::{CriminalCase, Direction, Procedural};
use crimeboard_domain::catalogue::{Catalogue, Gravity, Tag};
use crimeboard_domain::freeze::FreezeRequest;
use crimeboard_domain::registers::Liability;
use crimeboard_domain::report::{CrimeReport, ReportOutcome};
use crimeboard_domain::rules::Rules;
use crimeboard_domain::units::{Agency, Names};
use crimeboard_domain::{Entity, EntityKind};
use serde::Deserialize;

/// Which date of an entity places it in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOf {
    Registered,
    Solved,
    Suspended,
    Received,
    Decided,
    Rated,
    Seized,
    Occurred,
    Requested,
    Done,
    /// An appeal's answer, or its referral: the day the applicant was replied to.
    Answered,
    /// The last day an appeal's deadline in force allows.
    Due,
    /// The day a case's cancellation was approved.
    Cancelled,
    /// The day of each of a case's reclassifications (of those in the
    /// filter's `reclassified` direction, when it names one).
    Reclassified,
    /// A freeze request sent to its bank or payment service.
    Sent,
    /// Frozen money given back to a victim: each return on its own day.
    Returned,
}

fn unescape(part: &str) -> String {
    let mut out = String::with_capacity(part.len());
    let mut rest = part;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        if let Some(r) = after.strip_prefix("%25") {
            out.push('%');
            rest = r;
        } else if let Some(r) = after.strip_prefix("%2F") {
            out.push('/');
            rest = r;
        } else {
            out.push('%');
            rest = &after[1..];
        }
    }
    out.push_str(rest);
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Count,
    DamageQepik,
    ReimbursedQepik,
    NetGrams,
    Killed,
    Injured,
    Score,
    /// What a freeze request asked to be frozen.
    AskedQepik,
    /// What the institution froze.
    FrozenQepik,
    /// What was given back to victims: each return's amount on its day.
    ReturnedQepik,
}

/// The catalogue's grouping whose offences make a case IT-enabled whether
/// or not the case says so itself (fraud by computer, for one).
pub const IT_TAG: &str = "it";

/// A circumstance of a case the Board counts; the last two are derived from persons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseFlag {
    ItEnabled,
    Group,
    FamilyConflict,
    PublicPlace,
    Intoxication,
    NonObvious,
    ByMinor,
    ByPreviouslyConvicted,
}

impl CaseFlag {
    pub const ALL: [CaseFlag; 8] = [
        CaseFlag::ItEnabled,
        CaseFlag::Group,
        CaseFlag::FamilyConflict,
        CaseFlag::PublicPlace,
        CaseFlag::Intoxication,
        CaseFlag::NonObvious,
        CaseFlag::ByMinor,
        CaseFlag::ByPreviouslyConvicted,
    ];

    /// The name the counting rules write it by (`public_place`).
    pub fn as_str(self) -> &'static str {
        match self {
            CaseFlag::ItEnabled => "it_enabled",
            CaseFlag::Group => "group",
            CaseFlag::FamilyConflict => "family_conflict",
            CaseFlag::PublicPlace => "public_place",
            CaseFlag::Intoxication => "intoxication",
            CaseFlag::NonObvious => "non_obvious",
            CaseFlag::ByMinor => "by_minor",
            CaseFlag::ByPreviouslyConvicted => "by_previously_convicted",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    OpenCase,
    Refuse,
    Transfer,
    Attach,
}

/// Which cases a filter lets through by their cancellation: a cancelled
/// crime is no recorded crime, so without the filter it counts nowhere.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cancelled {
    /// Cases not cancelled (what no filter means).
    #[default]
    Excluded,
    /// Cancelled cases alone.
    Only,
    /// Both: the crimes as first recorded.
    Included,
}

impl Cancelled {
    fn lets_through(self, cancelled: bool) -> bool {
        match self {
            Cancelled::Excluded => !cancelled,
            Cancelled::Only => cancelled,
            Cancelled::Included => true,
        }
    }
}

/// Which reclassifications a filter lets through, by the direction the
/// catalogue gives them (`Reclassification::direction`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reclassified {
    /// To a lighter article: a lighter gravity, or of equal gravity a shorter maximum penalty.
    Down,
    Up,
    /// Either way; a reclassification that moved neither way is left out.
    Either,
}

impl Reclassified {
    fn matches(self, direction: Option<Direction>) -> bool {
        match (self, direction) {
            (_, None) => false,
            (Reclassified::Either, Some(_)) => true,
            (Reclassified::Down, Some(d)) => d == Direction::Down,
            (Reclassified::Up, Some(d)) => d == Direction::Up,
        }
    }
}

/// Every filter is optional; all that are given must hold.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    pub agency: Option<Agency>,
    #[serde(default)]
    pub any_tag: Vec<Tag>,
    #[serde(default)]
    pub gravity: Vec<Gravity>,
    #[serde(default)]
    pub flags: Vec<CaseFlag>,
    /// Cases solved as of the counting (the cohort measure).
    pub solved_now: Option<bool>,
    pub outcome: Option<OutcomeKind>,
    /// Reports decided after their deadline.
    pub late: Option<bool>,
    pub liability: Option<Liability>,
    pub narcotics: Option<bool>,
    pub identified_person: Option<bool>,
    /// Ratings at or above this score.
    pub min_score: Option<i64>,
    /// Appeals closed (answered, referred, passed on) before their deadline.
    pub on_time: Option<bool>,
    /// Appeals given more checking or an extension.
    pub extended: Option<bool>,
    /// Appeals not closed before their deadline: closed late, or still open
    /// (counted by their deadline's day, so a day past is counted exactly).
    pub overdue: Option<bool>,
    /// Appeals telling of an offence.
    pub mentions_offence: Option<bool>,
    /// Appeals a crime report was registered from.
    pub led_to_report: Option<bool>,
    /// Reports registered longer after their receipt than the rules'
    /// `[registration] late_after_hours` (marked `late_registration`).
    pub registered_late: Option<bool>,
    /// Only the days that fall in the last N days of their calendar quarter:
    /// of the days the indicator counts an entity by, the others are left out.
    pub last_days_of_quarter: Option<u32>,
    /// Cases by their cancellation; a case cancelled is left out unless
    /// this says `only` or `included`.
    #[serde(default)]
    pub cancelled: Cancelled,
    /// Cases reclassified at least once in this direction; an indicator
    /// counted `by = "reclassified"` counts those reclassifications' days alone.
    pub reclassified: Option<Reclassified>,
    /// Cases with damage assessed under an article the catalogue gives an
    /// amount threshold (`[[amount_threshold]]`): the amounts that could lie
    /// just below one.
    pub amount_measured: Option<bool>,
    /// Cases whose damage lies at or within this many percent below an
    /// amount threshold of their articles: still the lighter offence, but
    /// only just (a threshold is exceeded, not reached, to be the heavier).
    pub amount_below_threshold_pct: Option<u32>,
}

/// Whether an amount lies at a threshold or within `pct` % below it.
pub fn just_below_threshold(amount_qepik: i64, thresholds_qepik: &[i64], pct: u32) -> bool {
    amount_qepik > 0
        && thresholds_qepik.iter().any(|&t| {
            amount_qepik <= t && i128::from(amount_qepik) * 100 >= i128::from(t) * i128::from(100 - pct.min(100))
        })
}

impl Filter {
    /// Whether the filter lets every entity through: the filter setting
    /// nothing narrows it, which holds only when it sets nothing either.
    pub fn is_empty(&self) -> bool {
        Filter::default().narrows(self)
    }

    /// Whether everything this filter lets through the `wider` one lets
    /// through too, read from the conditions themselves: each that `wider`
    /// sets, this one sets as narrowly or more (all conditions hold together).
    pub fn narrows(&self, wider: &Filter) -> bool {
        let Filter {
            agency,
            any_tag,
            gravity,
            flags,
            solved_now,
            outcome,
            late,
            liability,
            narcotics,
            identified_person,
            min_score,
            on_time,
            extended,
            overdue,
            mentions_offence,
            led_to_report,
            registered_late,
            last_days_of_quarter,
            cancelled,
            reclassified,
            amount_measured,
            amount_below_threshold_pct,
        } = wider;
        fn same<T: PartialEq>(wider: &Option<T>, this: &Option<T>) -> bool {
            wider.is_none() || wider == this
        }
        // A list of alternatives (any of them) narrows to some of them.
        fn within<T: PartialEq>(wider: &[T], this: &[T]) -> bool {
            wider.is_empty() || (!this.is_empty() && this.iter().all(|t| wider.contains(t)))
        }
        same(agency, &self.agency)
            && within(any_tag, &self.any_tag)
            && within(gravity, &self.gravity)
            && flags.iter().all(|f| self.flags.contains(f))
            && same(solved_now, &self.solved_now)
            && same(outcome, &self.outcome)
            && same(late, &self.late)
            && same(liability, &self.liability)
            && same(narcotics, &self.narcotics)
            && same(identified_person, &self.identified_person)
            && min_score.is_none_or(|w| self.min_score.is_some_and(|m| m >= w))
            && same(on_time, &self.on_time)
            && same(extended, &self.extended)
            && same(overdue, &self.overdue)
            && same(mentions_offence, &self.mentions_offence)
            && same(led_to_report, &self.led_to_report)
            && same(registered_late, &self.registered_late)
            && last_days_of_quarter.is_none_or(|w| self.last_days_of_quarter.is_some_and(|n| n <= w))
            && (*cancelled == Cancelled::Included || *cancelled == self.cancelled)
            && match reclassified {
                None | Some(Reclassified::Either) => reclassified.is_none() || self.reclassified.is_some(),
                Some(direction) => self.reclassified == Some(*direction),
            }
            && same(amount_measured, &self.amount_measured)
            && amount_below_threshold_pct.is_none_or(|w| self.amount_below_threshold_pct.is_some_and(|n| n <= w))
    }
}

/// A value an indicator can split its count by: one figure per value found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKey {
    /// The source system's own classification of a case or report, verbatim.
    Category,
    /// The status of a case or report (e.g. `solved`, `refused`).
    Status,
    /// The last outcome the source system gave an imported record, verbatim.
    SourceOutcome,
    /// Each flag a case carries (`public_place`, ...): a case with several
    /// counts once in each of their groups, one without any in none.
    Flag,
    /// Each of the catalogue's groupings a case falls in (`theft`, ...),
    /// counted like flags.
    Tag,
}

impl GroupKey {
    /// Whether an entity may have several values of it, and so count in several groups.
    pub fn is_many_valued(self) -> bool {
        match self {
            GroupKey::Flag | GroupKey::Tag => true,
            GroupKey::Category | GroupKey::Status | GroupKey::SourceOutcome => false,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(GroupKey),
    Many(Vec<GroupKey>),
}

fn group_keys<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<GroupKey>, D::Error> {
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(k) => vec![k],
        OneOrMany::Many(v) => v,
    })
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub code: String,
    pub name: Names,
    pub counts: EntityKind,
    pub by: DateOf,
    pub measure: Measure,
    #[serde(default)]
    pub filter: Filter,
    /// How the figure is shown: a plain number, money (qəpik) or weight (grams).
    #[serde(default)]
    pub unit: ValueUnit,
    /// Splits the count by these values: the counters hold one cell per
    /// combination, coded `<code>/<value>[/<value>]` (see [`group_code`]), and
    /// an entity that lacks any of the values is not counted here at all;
    /// one with several flags or groupings counts in the group of each.
    #[serde(default, deserialize_with = "group_keys")]
    pub group_by: Vec<GroupKey>,
}

impl Indicator {
    pub fn is_grouped(&self) -> bool {
        !self.group_by.is_empty()
    }
}

/// The counter code of one group of a grouped indicator: the indicator's
/// code and each value, `/`-separated, with `%` and `/` in a value written
/// `%25` and `%2F` so that any label survives the round trip.
pub fn group_code(code: &str, values: &[String]) -> String {
    let mut out = String::with_capacity(code.len() + values.iter().map(|v| v.len() + 1).sum::<usize>());
    out.push_str(code);
    for v in values {
        out.push('/');
        for c in v.chars() {
            match c {
                '%' => out.push_str("%25"),
                '/' => out.push_str("%2F"),
                c => out.push(c),
            }
        }
    }
    out
}

/// The indicator code and the values of a group's counter code; None for
/// the code of an ungrouped indicator.
pub fn split_group_code(code: &str) -> Option<(&str, Vec<String>)> {
    let mut parts = code.split('/');
    let base = parts.next()?;
    let values: Vec<String> = parts.map(unescape).collect();
    (!values.is_empty()).then_some((base, values))
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueUnit {
    #[default]
    Number,
    Qepik,
    Grams,
}

/// A share computed from counted indicators: numerator / sum of denominators.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ratio {
    pub code: String,
    pub name: Names,
    /// What the share means, e.g. "solved / (solved + suspended)".
    pub method: Names,
    pub numerator: String,
    pub denominator: Vec<String>,
    /// Whether the report compares the units below its scope on a funnel
    /// plot (`crate::funnel`): only a share of counts, its numerator counted
    /// within its denominator, may say so.
    #[serde(default)]
    pub funnel: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorFile {
    version: String,
    #[serde(default)]
    headline: Headline,
    indicator: Vec<Indicator>,
    #[serde(default)]
    ratio: Vec<Ratio>,
    #[serde(default)]
    signal: Vec<Signal>,
    #[serde(default)]
    solving_against_recording: Option<SolvingAgainstRecording>,
    #[serde(default)]
    series_indicator: Vec<crate::series::SeriesIndicator>,
}

/// What the narrative's headline states besides the count of crimes recorded.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Headline {
    /// A ratio's code; none: the count alone.
    share: Option<String>,
}

#[derive(Debug, Clone)]
pub struct IndicatorSet {
    pub version: String,
    pub indicators: Vec<Indicator>,
    pub ratios: Vec<Ratio>,
    /// The ratio the narrative's headline gives with the crimes recorded
    /// (`[headline] share`), None for the count alone.
    pub headline_share: Option<String>,
    /// The signs of under-recording an inspector asks about (`[[signal]]`),
    /// each reading a ratio on a funnel plot.
    pub signals: Vec<Signal>,
    /// The question of a unit solving much while recording less than a year
    /// before (`[solving_against_recording]`); None: not asked.
    pub solving_against_recording: Option<SolvingAgainstRecording>,
    /// The figures of series (`[[series_indicator]]`), counted from the
    /// series as they stand, not from the counters (`crate::series`).
    pub series: Vec<crate::series::SeriesIndicator>,
}

/// One counter cell: what an entity adds to an indicator on a day in a unit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cell {
    pub unit: String,
    pub indicator: String,
    pub day: NaiveDate,
    pub value: i64,
}

impl IndicatorSet {
    pub fn from_toml(text: &str) -> Result<IndicatorSet, String> {
        let f: IndicatorFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let set = IndicatorSet {
            version: f.version,
            indicators: f.indicator,
            ratios: f.ratio,
            headline_share: f.headline.share,
            signals: f.signal,
            solving_against_recording: f.solving_against_recording,
            series: f.series_indicator,
        };
        set.check()?;
        Ok(set)
    }

    fn check(&self) -> Result<(), String> {
        let mut codes = std::collections::BTreeSet::new();
        for i in &self.indicators {
            if !codes.insert(i.code.as_str()) {
                return Err(format!("indicator {} defined twice", i.code));
            }
            if !dates_of(i.counts).contains(&i.by) {
                return Err(format!("indicator {}: a {} has no {:?} date", i.code, i.counts.as_str(), i.by));
            }
            if i.code.is_empty() || i.code.contains('/') {
                return Err(format!("indicator {:?}: a code is not empty and has no '/'", i.code));
            }
            if i.is_grouped() && !matches!(i.counts, EntityKind::Case | EntityKind::Report) {
                return Err(format!("indicator {}: only cases and reports can be grouped", i.code));
            }
            if let Some(k) = i.group_by.iter().find(|k| k.is_many_valued() && i.counts != EntityKind::Case) {
                return Err(format!("indicator {}: only cases carry the flags and groupings of {k:?}", i.code));
            }
            if i.group_by.iter().enumerate().any(|(n, k)| i.group_by[..n].contains(k)) {
                return Err(format!("indicator {}: group_by names a value twice", i.code));
            }
            if i.filter.amount_below_threshold_pct.is_some_and(|pct| !(1..=50).contains(&pct)) {
                return Err(format!(
                    "indicator {}: filter.amount_below_threshold_pct is a percentage from 1 to 50",
                    i.code
                ));
            }
        }
        if let Some(s) = self.series.iter().find(|s| s.code.is_empty() || !codes.insert(s.code.as_str())) {
            return Err(format!("series_indicator {:?}: a code is not empty and names one figure only", s.code));
        }
        for r in &self.ratios {
            for part in std::iter::once(&r.numerator).chain(&r.denominator) {
                match self.get(part) {
                    None => return Err(format!("ratio {}: unknown indicator {part}", r.code)),
                    Some(i) if i.is_grouped() => {
                        return Err(format!("ratio {}: {part} is grouped, so it has no single figure", r.code));
                    }
                    Some(_) => {}
                }
            }
        }
        if let Some(r) = self.ratios.iter().find(|r| r.funnel && !self.counts_within(r)) {
            return Err(format!(
                "ratio {}: funnel = true needs a share of counts, its numerator one of its denominators or \
                 counting the register of a denominator by the same date with a filter that narrows the \
                 denominator's (none narrows nothing)",
                r.code
            ));
        }
        crate::signals::check(self)?;
        if let Some(share) = self.headline_share.as_ref().filter(|s| !self.ratios.iter().any(|r| &r.code == *s)) {
            let defined: Vec<&str> = self.ratios.iter().map(|r| r.code.as_str()).collect();
            return Err(format!(
                "headline.share: {share:?} is not a ratio of this file (its [[ratio]] codes: {})",
                if defined.is_empty() { "none".to_string() } else { defined.join(", ") }
            ));
        }
        Ok(())
    }

    /// Whether a ratio is a share of counts whose numerator counts nothing
    /// its denominator does not: the numerator is one of the denominators, or
    /// a denominator counts the numerator's register by the same date with a
    /// filter the numerator's narrows (none, or fewer of the same
    /// conditions), which a funnel's binomial limits assume.
    fn counts_within(&self, r: &Ratio) -> bool {
        let Some(numerator) = self.get(&r.numerator) else { return false };
        let parts: Vec<&Indicator> = r.denominator.iter().filter_map(|d| self.get(d)).collect();
        let counted = |i: &Indicator| i.measure == Measure::Count;
        counted(numerator)
            && parts.len() == r.denominator.len()
            && parts.iter().all(|d| counted(d))
            && parts.iter().any(|d| {
                d.code == numerator.code
                    || (d.counts == numerator.counts
                        && d.by == numerator.by
                        && !d.is_grouped()
                        && numerator.filter.narrows(&d.filter))
            })
    }

    /// The counting rules against the catalogue they count under: a filter
    /// by gravity needs a catalogue with gravity, and a filter by grouping
    /// names groupings the catalogue declares. Loading a jurisdiction's pack
    /// calls it, as neither file alone can tell.
    pub fn check_against(&self, catalogue: &Catalogue) -> Result<(), String> {
        for i in &self.indicators {
            if !i.filter.gravity.is_empty() && catalogue.gravity.is_none() {
                return Err(format!(
                    "indicator {}: filter.gravity, but catalogue {} has no [gravity] classes",
                    i.code, catalogue.version
                ));
            }
            let by_amount = i.filter.amount_measured.is_some() || i.filter.amount_below_threshold_pct.is_some();
            if by_amount && catalogue.amount_thresholds.is_empty() {
                return Err(format!(
                    "indicator {}: filter by amount threshold, but catalogue {} declares no [[amount_threshold]]",
                    i.code, catalogue.version
                ));
            }
            if let Some(tag) = i.filter.any_tag.iter().find(|t| !catalogue.has_tag(t)) {
                return Err(format!(
                    "indicator {}: filter.any_tag names \"{tag}\", which catalogue {} does not declare in [[tag]]",
                    i.code, catalogue.version
                ));
            }
        }
        Ok(())
    }

    pub fn get(&self, code: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.code == code)
    }

    /// Everything an entity, as it stands, adds to the counters.
    pub fn contributions(&self, entity: &Entity, rules: &Rules) -> Vec<Cell> {
        let view = View::of(entity, rules);
        let mut cells = Vec::new();
        let mut days = Vec::new();
        for ind in self.indicators.iter().filter(|i| i.counts == entity.kind()) {
            if !view.passes(&ind.filter) {
                continue;
            }
            let value = view.measure(ind.measure);
            if value == 0 {
                continue;
            }
            if let (Entity::Freeze(f), DateOf::Returned) = (entity, ind.by) {
                view.push_returns(f, ind, &mut cells);
                continue;
            }
            days.clear();
            view.days(ind.by, &ind.filter, &mut days);
            if let Some(last) = ind.filter.last_days_of_quarter {
                days.retain(|day| in_last_days_of_quarter(*day, last));
            }
            if days.is_empty() {
                continue;
            }
            if !ind.is_grouped() {
                view.push_cells(ind.code.clone(), &days, value, &mut cells);
                continue;
            }
            for values in view.group_values(&ind.group_by) {
                view.push_cells(group_code(&ind.code, &values), &days, value, &mut cells);
            }
        }
        cells
    }
}

/// Whether a day lies within the last `last` days of its calendar quarter
/// (the quarter's last day being the first of them).
pub fn in_last_days_of_quarter(day: NaiveDate, last: u32) -> bool {
    let quarter_end = crate::period::quarter_of(day).to;
    (quarter_end - day).num_days() < i64::from(last)
}

fn dates_of(kind: EntityKind) -> &'static [DateOf] {
    use DateOf::*;
    match kind {
        EntityKind::Case => &[Registered, Solved, Suspended, Cancelled, Reclassified],
        EntityKind::Report => &[Received, Decided, Rated],
        EntityKind::Seizure => &[Seized],
        EntityKind::Accountability => &[Decided],
        EntityKind::Accident => &[Occurred],
        EntityKind::Examination => &[Requested, Done],
        EntityKind::Appeal => &[Received, Answered, Rated, Due],
        EntityKind::Freeze => &[Sent, Answered, Returned],
        // The Board's own work (its meetings, tasks and releases) is followed up, not counted.
        EntityKind::Person
        | EntityKind::Meeting
        | EntityKind::Task
        | EntityKind::Release
        | EntityKind::Reception
        | EntityKind::Publication
        | EntityKind::Sample => &[],
    }
}

/// The facts of one entity that filters, measures and dates read.
struct View<'a> {
    entity: &'a Entity,
    rules: &'a Rules,
    unit: String,
}

impl<'a> View<'a> {
    fn of(entity: &'a Entity, rules: &'a Rules) -> View<'a> {
        View { entity, rules, unit: entity.unit().to_string() }
    }

    fn day(&self, at: chrono::DateTime<chrono::Utc>) -> NaiveDate {
        self.rules.local_date(at)
    }

    /// Adds the days the entity is counted on by this date (none, one, or
    /// for suspensions one each) to `days`.
    fn days(&self, by: DateOf, filter: &Filter, days: &mut Vec<NaiveDate>) {
        let one = |at: Option<chrono::DateTime<chrono::Utc>>| at.map(|a| self.day(a));
        let found = match (self.entity, by) {
            (Entity::Case(c), DateOf::Registered) => one(Some(c.registered_at)),
            (Entity::Case(c), DateOf::Solved) => one(c.solved_at),
            (Entity::Case(c), DateOf::Cancelled) => one(c.cancelled_at()),
            (Entity::Case(c), DateOf::Reclassified) => {
                let wanted =
                    c.reclassifications.iter().filter(|r| filter.reclassified.is_none_or(|w| w.matches(r.direction)));
                days.extend(wanted.map(|r| self.day(r.at)));
                None
            }
            (Entity::Case(c), DateOf::Suspended) => {
                let suspended = c.history.iter().filter(|h| matches!(h.decision, Procedural::Suspended));
                days.extend(suspended.map(|h| self.day(h.at)));
                None
            }
            (Entity::Report(r), DateOf::Received) => one(Some(r.received_at)),
            (Entity::Report(r), DateOf::Decided) => one(r.decision.as_ref().map(|d| d.decided_at)),
            // A rating is dated by the decision it rates: the period's handling.
            (Entity::Report(r), DateOf::Rated) => one(r.satisfaction.and(r.decision.as_ref().map(|d| d.decided_at))),
            (Entity::Seizure(s), DateOf::Seized) => one(Some(s.entry.seized_at)),
            (Entity::Accountability(a), DateOf::Decided) => one(Some(a.entry.decided_at)),
            (Entity::Accident(a), DateOf::Occurred) => one(Some(a.entry.occurred_at)),
            (Entity::Examination(e), DateOf::Requested) => one(Some(e.request.requested_at)),
            (Entity::Examination(e), DateOf::Done) => one(e.result.as_ref().map(|r| r.done_at)),
            (Entity::Appeal(a), DateOf::Received) => one(Some(a.received_at)),
            (Entity::Appeal(a), DateOf::Answered) => one(a.replied_at()),
            // As a report's, a rating is dated by the reply it rates.
            (Entity::Appeal(a), DateOf::Rated) => one(a.satisfaction.and(a.replied_at())),
            (Entity::Freeze(f), DateOf::Sent) => one(Some(f.request.sent_at)),
            (Entity::Freeze(f), DateOf::Answered) => one(f.answer.as_ref().map(|a| a.answered_at)),
            (Entity::Appeal(a), DateOf::Due) => {
                one(a.has_deadline().then(|| a.deadline - chrono::Duration::seconds(1)))
            }
            _ => None,
        };
        days.extend(found);
    }

    /// A freeze request's returns, each on its day: one, or its amount.
    fn push_returns(&self, f: &FreezeRequest, ind: &Indicator, cells: &mut Vec<Cell>) {
        for r in &f.returns {
            let value = if ind.measure == Measure::Count { 1 } else { r.amount_qepik };
            let (unit, day) = (self.unit.clone(), self.day(r.returned_at));
            cells.push(Cell { unit, indicator: ind.code.clone(), day, value });
        }
    }

    /// One cell per day for a counter code (nearly always one day: the code
    /// moves into its cell, cloned only for a second).
    fn push_cells(&self, indicator: String, days: &[NaiveDate], value: i64, cells: &mut Vec<Cell>) {
        if let Some((last, others)) = days.split_last() {
            for day in others {
                cells.push(Cell { unit: self.unit.clone(), indicator: indicator.clone(), day: *day, value });
            }
            cells.push(Cell { unit: self.unit.clone(), indicator, day: *last, value });
        }
    }

    /// Every combination of the entity's values of the keys, in the keys'
    /// order: none if it lacks a value of any key, several if it has several
    /// flags or groupings.
    fn group_values(&self, keys: &[GroupKey]) -> Vec<Vec<String>> {
        let mut combinations: Vec<Vec<String>> = vec![Vec::with_capacity(keys.len())];
        for key in keys {
            let values = self.values_of(*key);
            combinations = combinations
                .into_iter()
                .flat_map(|done| {
                    values.iter().map(move |v| {
                        let mut next = done.clone();
                        next.push(v.clone());
                        next
                    })
                })
                .collect();
        }
        combinations
    }

    /// The entity's values of one key: none, one, or for flags and groupings any number.
    fn values_of(&self, key: GroupKey) -> Vec<String> {
        match (self.entity, key) {
            (Entity::Case(c), GroupKey::Category) => c.category.iter().cloned().collect(),
            (Entity::Case(c), GroupKey::Status) => vec![c.status.as_str().to_string()],
            (Entity::Case(c), GroupKey::SourceOutcome) => c.source.iter().filter_map(|s| s.outcome.clone()).collect(),
            (Entity::Case(c), GroupKey::Flag) => {
                CaseFlag::ALL.into_iter().filter(|f| self.case_has(c, *f)).map(|f| f.as_str().to_string()).collect()
            }
            (Entity::Case(c), GroupKey::Tag) => c.tags.iter().map(|t| t.as_str().to_string()).collect(),
            (Entity::Report(r), GroupKey::Category) => r.category.iter().cloned().collect(),
            (Entity::Report(r), GroupKey::Status) => vec![r.status().to_string()],
            (Entity::Report(r), GroupKey::SourceOutcome) => r.source.iter().filter_map(|s| s.outcome.clone()).collect(),
            _ => Vec::new(),
        }
    }

    fn measure(&self, m: Measure) -> i64 {
        match (self.entity, m) {
            (_, Measure::Count) => 1,
            (Entity::Case(c), Measure::DamageQepik) => c.damage_qepik(),
            (Entity::Case(c), Measure::ReimbursedQepik) => c.reimbursed_qepik(),
            (Entity::Seizure(s), Measure::NetGrams) => s.entry.net_grams,
            (Entity::Accident(a), Measure::Killed) => a.entry.killed,
            (Entity::Accident(a), Measure::Injured) => a.entry.injured,
            (Entity::Report(r), Measure::Score) => r.satisfaction.unwrap_or(0),
            (Entity::Appeal(a), Measure::Score) => a.satisfaction.unwrap_or(0),
            (Entity::Freeze(f), Measure::AskedQepik) => f.request.amount_qepik,
            (Entity::Freeze(f), Measure::FrozenQepik) => f.frozen_qepik(),
            (Entity::Freeze(f), Measure::ReturnedQepik) => f.returned_qepik(),
            _ => 0,
        }
    }

    fn passes(&self, f: &Filter) -> bool {
        match self.entity {
            Entity::Case(c) => self.case_passes(c, f),
            Entity::Report(r) => report_passes(r, f),
            Entity::Accountability(a) => {
                f.liability.is_none_or(|l| l == a.entry.liability) && f.narcotics.is_none_or(|n| n == a.entry.narcotics)
            }
            Entity::Examination(e) => {
                f.identified_person.is_none_or(|want| e.result.as_ref().is_some_and(|r| r.identified_person == want))
            }
            Entity::Appeal(a) => appeal_passes(a, f),
            // Every freeze request is about a crime committed through accounts.
            Entity::Seizure(_) | Entity::Accident(_) | Entity::Freeze(_) => true,
            Entity::Meeting(_)
            | Entity::Task(_)
            | Entity::Release(_)
            | Entity::Reception(_)
            | Entity::Publication(_)
            | Entity::Sample(_) => false,
        }
    }

    fn case_passes(&self, c: &CriminalCase, f: &Filter) -> bool {
        f.agency.is_none_or(|a| a == c.agency)
            && (f.any_tag.is_empty() || f.any_tag.iter().any(|t| c.tags.contains(t)))
            && (f.gravity.is_empty() || c.gravity.is_some_and(|g| f.gravity.contains(&g)))
            && f.flags.iter().all(|flag| self.case_has(c, *flag))
            && f.solved_now.is_none_or(|want| want == c.solved_at.is_some())
            && f.cancelled.lets_through(c.cancelled_at().is_some())
            && f.reclassified.is_none_or(|want| c.reclassifications.iter().any(|r| want.matches(r.direction)))
            && f.amount_measured
                .is_none_or(|want| want == (c.damage_qepik() > 0 && !c.amount_thresholds_qepik.is_empty()))
            && f.amount_below_threshold_pct
                .is_none_or(|pct| just_below_threshold(c.damage_qepik(), &c.amount_thresholds_qepik, pct))
    }

    fn case_has(&self, c: &CriminalCase, flag: CaseFlag) -> bool {
        match flag {
            CaseFlag::ItEnabled => c.flags.it_enabled || c.tags.iter().any(|t| t.as_str() == IT_TAG),
            CaseFlag::Group => c.flags.group,
            CaseFlag::FamilyConflict => c.flags.family_conflict,
            CaseFlag::PublicPlace => c.flags.public_place,
            CaseFlag::Intoxication => c.flags.intoxication,
            CaseFlag::NonObvious => c.flags.non_obvious,
            CaseFlag::ByMinor => c.by_minor(self.rules),
            CaseFlag::ByPreviouslyConvicted => c.by_previously_convicted(),
        }
    }
}

/// An appeal's filters read its state alone, so what it adds stays a pure
/// function of the appeal: one still open is overdue on its deadline's day.
fn appeal_passes(a: &Appeal, f: &Filter) -> bool {
    f.on_time.is_none_or(|want| a.closed_on_time() == want)
        && f.extended.is_none_or(|want| a.extensions.is_empty() != want)
        && f.overdue.is_none_or(|want| a.overdue() == want)
        && f.mentions_offence.is_none_or(|want| a.mentions_offence == want)
        && f.led_to_report.is_none_or(|want| a.report.is_some() == want)
        && f.min_score.is_none_or(|min| a.satisfaction.is_some_and(|s| s >= min))
}

fn report_passes(r: &CrimeReport, f: &Filter) -> bool {
    let outcome_ok = f.outcome.is_none_or(|want| {
        r.decision.as_ref().is_some_and(|d| {
            matches!(
                (want, &d.outcome),
                (OutcomeKind::OpenCase, ReportOutcome::OpenCase { .. })
                    | (OutcomeKind::Refuse, ReportOutcome::Refuse { .. })
                    | (OutcomeKind::Transfer, ReportOutcome::Transfer { .. })
                    | (OutcomeKind::Attach, ReportOutcome::Attach { .. })
            )
        })
    });
    let late_ok = f.late.is_none_or(|want| r.decision.as_ref().is_some_and(|d| d.late == want));
    let score_ok = f.min_score.is_none_or(|min| r.satisfaction.is_some_and(|s| s >= min));
    let registered_late_ok = f.registered_late.is_none_or(|want| r.late_registration.is_some() == want);
    outcome_ok && late_ok && score_ok && registered_late_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_counting_rules_load() {
        let set =
            IndicatorSet::from_toml(include_str!("../../../data/jurisdictions/azerbaijan/indicators.toml")).unwrap();
        assert!(set.indicators.len() > 40);
        assert!(set.get("crimes_recorded").is_some());
        assert_eq!(set.ratios.len(), 15);
        assert_eq!(set.headline_share.as_deref(), Some("solved_share"));
    }

    #[test]
    fn the_headline_names_a_share_the_file_defines_or_none() {
        let demo = include_str!("../../../data/jurisdictions/azerbaijan/indicators.toml");
        let chosen = demo.replacen("share = \"solved_share\"", "share = \"cohort_solved_share\"", 1);
        assert_eq!(IndicatorSet::from_toml(&chosen).unwrap().headline_share.as_deref(), Some("cohort_solved_share"));
        let absent = demo.replacen("[headline]\nshare = \"solved_share\"\n", "", 1);
        assert_ne!(absent, demo);
        assert_eq!(IndicatorSet::from_toml(&absent).unwrap().headline_share, None, "the count alone");
        let undefined = demo.replacen("share = \"solved_share\"", "share = \"clearance_rate\"", 1);
        let refused = IndicatorSet::from_toml(&undefined).unwrap_err();
        assert!(refused.starts_with("headline.share: \"clearance_rate\" is not a ratio of this file"), "{refused}");
        assert!(refused.contains("solved_share, cohort_solved_share"), "{refused}");
    }

    #[test]
    fn a_group_code_keeps_any_label() {
        for values in [
            vec!["Vehicle crime".to_string()],
            vec!["Burglary".into(), "Investigation complete; no suspect identified".into()],
            vec!["a/b".into(), "100%".into(), "%2F".into(), "".into()],
        ] {
            let code = group_code("cases_by_category", &values);
            assert_eq!(split_group_code(&code), Some(("cases_by_category", values.clone())), "{code}");
        }
        assert_eq!(group_code("x", &["a/b%".into()]), "x/a%2Fb%25");
        assert_eq!(split_group_code("crimes_recorded"), None);
    }

    #[test]
    fn grouped_indicators_count_only_what_has_every_value() {
        let set = IndicatorSet::from_toml(
            r#"
version = "t"
[[indicator]]
code = "by_category"
name = { az = "a", ru = "r", en = "e" }
counts = "case"
by = "registered"
measure = "count"
group_by = "category"

[[indicator]]
code = "by_category_outcome"
name = { az = "a", ru = "r", en = "e" }
counts = "case"
by = "registered"
measure = "count"
group_by = ["category", "source_outcome"]
"#,
        )
        .unwrap();
        let rules = Rules::from_toml(include_str!("../../../data/jurisdictions/azerbaijan/rules.toml")).unwrap();
        let mut case: CriminalCase = serde_json::from_value(serde_json::json!({
            "id": "00000000-0000-0000-0000-000000000001", "number": "C-1", "unit": "WYP-LDS", "agency": "mia",
            "report_ids": [], "detected_by_police": true, "articles": ["177.1"], "gravity": "not_great_public_danger",
            "tags": ["theft"], "occurred_at": "2018-07-15T08:00:00Z", "registered_at": "2018-07-15T08:00:00Z",
            "place": {"address": ""}, "flags": {}, "description": "x", "status": "investigating"
        }))
        .unwrap();
        let codes = |c: &CriminalCase| -> Vec<String> {
            set.contributions(&Entity::Case(c.clone()), &rules).into_iter().map(|c| c.indicator).collect()
        };
        assert!(codes(&case).is_empty(), "no category, no source: not counted in any group");
        case.category = Some("Vehicle crime".into());
        assert_eq!(codes(&case), ["by_category/Vehicle crime"]);
        case.source = Some(crimeboard_domain::source::SourceRef {
            system: "police.uk".into(),
            id: "abc".into(),
            outcome: Some("".into()),
        });
        assert_eq!(codes(&case), ["by_category/Vehicle crime", "by_category_outcome/Vehicle crime/"]);
    }

    #[test]
    fn a_case_counts_in_the_group_of_each_flag_and_grouping_it_has() {
        let set = IndicatorSet::from_toml(
            r#"
version = "t"
[[indicator]]
code = "by_flag"
name = { az = "a", ru = "r", en = "e" }
counts = "case"
by = "registered"
measure = "count"
group_by = "flag"

[[indicator]]
code = "by_tag"
name = { az = "a", ru = "r", en = "e" }
counts = "case"
by = "registered"
measure = "count"
group_by = "tag"

[[indicator]]
code = "by_category_flag"
name = { az = "a", ru = "r", en = "e" }
counts = "case"
by = "registered"
measure = "count"
group_by = ["category", "flag"]

[[indicator]]
code = "by_tag_flag"
name = { az = "a", ru = "r", en = "e" }
counts = "case"
by = "registered"
measure = "count"
group_by = ["tag", "flag"]
"#,
        )
        .unwrap();
        let rules = Rules::from_toml(include_str!("../../../data/jurisdictions/azerbaijan/rules.toml")).unwrap();
        let mut case: CriminalCase = serde_json::from_value(serde_json::json!({
            "id": "00000000-0000-0000-0000-000000000001", "number": "C-1", "unit": "WYP-LDS", "agency": "mia",
            "report_ids": [], "detected_by_police": true, "articles": ["burglary"],
            "tags": ["theft_offences", "property"], "occurred_at": "2018-07-15T08:00:00Z",
            "registered_at": "2018-07-15T08:00:00Z", "place": {"address": ""}, "flags": {}, "description": "x",
            "status": "investigating"
        }))
        .unwrap();
        let codes = |c: &CriminalCase| -> Vec<String> {
            set.contributions(&Entity::Case(c.clone()), &rules).into_iter().map(|c| c.indicator).collect()
        };
        assert_eq!(codes(&case), ["by_tag/theft_offences", "by_tag/property"], "no flag, no category: tags only");
        case.flags.public_place = true;
        case.flags.non_obvious = true;
        case.category = Some("Burglary".into());
        assert_eq!(
            codes(&case),
            [
                "by_flag/public_place",
                "by_flag/non_obvious",
                "by_tag/theft_offences",
                "by_tag/property",
                "by_category_flag/Burglary/public_place",
                "by_category_flag/Burglary/non_obvious",
                "by_tag_flag/theft_offences/public_place",
                "by_tag_flag/theft_offences/non_obvious",
                "by_tag_flag/property/public_place",
                "by_tag_flag/property/non_obvious",
            ]
        );
    }

    #[test]
    fn flags_and_groupings_group_cases_only_and_once() {
        let base = r#"
version = "t"
[[indicator]]
code = "g"
name = { az = "a", ru = "r", en = "e" }
counts = "report"
by = "received"
measure = "count"
group_by = GROUP
"#;
        let report_flags = base.replace("GROUP", "\"flag\"");
        assert!(IndicatorSet::from_toml(&report_flags).unwrap_err().contains("only cases carry"));
        let report_tags = base.replace("GROUP", "[\"category\", \"tag\"]");
        assert!(IndicatorSet::from_toml(&report_tags).unwrap_err().contains("only cases carry"));
        let twice = base.replace("GROUP", "[\"category\", \"category\"]");
        assert!(IndicatorSet::from_toml(&twice).unwrap_err().contains("names a value twice"));
    }

    /// `funnel = true` is for a share of counts whose numerator is counted
    /// within its denominator; a ratio says nothing of it by default.
    #[test]
    fn a_funnel_is_asked_of_a_share_of_counts_only() {
        let demo = include_str!("../../../data/jurisdictions/azerbaijan/indicators.toml");
        let set = IndicatorSet::from_toml(demo).unwrap();
        let funnels: Vec<&str> = set.ratios.iter().filter(|r| r.funnel).map(|r| r.code.as_str()).collect();
        assert_eq!(
            funnels,
            [
                "solved_share",
                "appeals_on_time_share",
                "appeals_satisfied_share",
                "refusal_share",
                "late_registration_share",
                "quarter_end_share",
                "appeals_unreported_share",
                "cancelled_share",
                "downgrade_share",
                "just_below_threshold_share"
            ],
            "the demo's, the others off by default"
        );
        let marked = |code: &str| {
            let at = demo.find(&format!("code = \"{code}\"")).unwrap();
            format!("{}funnel = true\n{}", &demo[..at], &demo[at..])
        };
        // Within: reports decided in time of reports decided (same register,
        // same date, an unfiltered denominator); solved of the crimes recorded.
        for within in ["in_time_share", "satisfied_share", "cohort_solved_share"] {
            assert!(IndicatorSet::from_toml(&marked(within)).is_ok(), "{within}");
        }
        let money = IndicatorSet::from_toml(&marked("reimbursed_share")).unwrap_err();
        assert!(money.starts_with("ratio reimbursed_share: funnel = true needs a share of counts"), "{money}");
        let by_other_date = demo
            .replacen("denominator = [\"crimes_recorded\"]", "denominator = [\"crimes_recorded\"]\nfunnel = true", 1)
            .replacen("numerator = \"cohort_solved\"", "numerator = \"solved_in_period\"", 1);
        let refused = IndicatorSet::from_toml(&by_other_date).unwrap_err();
        assert!(refused.starts_with("ratio cohort_solved_share: funnel = true"), "{refused}");
        let filtered = demo.replacen(
            "denominator = [\"reports_decided\"]",
            "denominator = [\"reports_decided_late\"]\nfunnel = true",
            1,
        );
        assert!(IndicatorSet::from_toml(&filtered).unwrap_err().starts_with("ratio in_time_share: funnel = true"));
    }

    /// The signals' filters: a report registered beyond the rules' limit,
    /// and only the days in the last N days of their quarter.
    #[test]
    fn late_registrations_and_the_quarters_last_days_are_filters() {
        let set = IndicatorSet::from_toml(
            r#"
version = "t"
[[indicator]]
code = "late"
name = { az = "a", ru = "r", en = "e" }
counts = "report"
by = "received"
measure = "count"
filter = { registered_late = true }

[[indicator]]
code = "end"
name = { az = "a", ru = "r", en = "e" }
counts = "case"
by = "registered"
measure = "count"
filter = { last_days_of_quarter = 7 }
"#,
        )
        .unwrap();
        let rules = Rules::from_toml(include_str!("../../../data/jurisdictions/azerbaijan/rules.toml")).unwrap();
        let codes = |e: Entity| -> Vec<(String, String)> {
            set.contributions(&e, &rules).into_iter().map(|c| (c.indicator, c.day.to_string())).collect()
        };
        let mut report: CrimeReport = serde_json::from_value(serde_json::json!({
            "id": "00000000-0000-0000-0000-000000000002", "register_no": "R-1", "receipt_no": "Q-R-1-0",
            "unit": "BAK-NSM", "procedure": "crime_report", "channel": "in_person",
            "received_at": "2024-03-01T08:00:00Z", "officer": "o", "summary": "s",
            "deadline": "2024-03-04T08:00:00Z"
        }))
        .unwrap();
        assert!(codes(Entity::Report(report.clone())).is_empty(), "registered in time");
        report.late_registration = Some(crimeboard_domain::late::Late {
            reason: "applicant_came_late".into(),
            text: "t".into(),
            hours_after_receipt: Some(80),
        });
        assert_eq!(codes(Entity::Report(report)), [("late".to_string(), "2024-03-01".to_string())]);
        let case_on = |registered_at: &str| -> Entity {
            Entity::Case(
                serde_json::from_value(serde_json::json!({
                    "id": "00000000-0000-0000-0000-000000000001", "number": "C-1", "unit": "BAK-NSM",
                    "agency": "mia", "report_ids": [], "detected_by_police": true, "articles": ["177.1"],
                    "tags": [], "occurred_at": "2024-01-02T08:00:00Z", "registered_at": registered_at,
                    "place": {"address": ""}, "flags": {}, "description": "x", "status": "investigating"
                }))
                .unwrap(),
            )
        };
        // Baku is UTC+4: 20:30Z on the 24th is already the 25th, the quarter's last 7th day.
        assert_eq!(codes(case_on("2024-03-24T20:30:00Z")), [("end".to_string(), "2024-03-25".to_string())]);
        assert!(codes(case_on("2024-03-24T19:30:00Z")).is_empty(), "the 24th: 8 days before the end");
        assert_eq!(codes(case_on("2024-06-30T12:00:00Z")).len(), 1);
    }

    /// A reclassification counts on its own day in its direction's
    /// indicator; one that moved neither way counts in neither.
    #[test]
    fn reclassifications_count_by_their_direction_on_their_day() {
        let set = IndicatorSet::from_toml(
            r#"
version = "t"
[[indicator]]
code = "down"
name = { az = "a", ru = "r", en = "e" }
counts = "case"
by = "reclassified"
measure = "count"
filter = { reclassified = "down" }

[[indicator]]
code = "either"
name = { az = "a", ru = "r", en = "e" }
counts = "case"
by = "reclassified"
measure = "count"
filter = { reclassified = "either" }

[[indicator]]
code = "up_cases"
name = { az = "a", ru = "r", en = "e" }
counts = "case"
by = "registered"
measure = "count"
filter = { reclassified = "up" }
"#,
        )
        .unwrap();
        let rules = Rules::from_toml(include_str!("../../../data/jurisdictions/azerbaijan/rules.toml")).unwrap();
        let step = |at: &str, direction: Option<&str>| {
            let mut r = serde_json::json!({"at": at, "from": ["177.2"], "to": ["177.1"], "reason": "r"});
            if let Some(d) = direction {
                r["direction"] = d.into();
            }
            r
        };
        let case = Entity::Case(
            serde_json::from_value(serde_json::json!({
                "id": "00000000-0000-0000-0000-000000000001", "number": "C-1", "unit": "BAK-NSM",
                "agency": "mia", "report_ids": [], "detected_by_police": true, "articles": ["177.1"],
                "tags": [], "occurred_at": "2024-01-02T08:00:00Z", "registered_at": "2024-01-03T08:00:00Z",
                "place": {"address": ""}, "flags": {}, "description": "x", "status": "investigating",
                "reclassifications": [
                    step("2024-02-01T08:00:00Z", Some("down")),
                    step("2024-02-10T08:00:00Z", None),
                    step("2024-03-01T08:00:00Z", Some("up")),
                    step("2024-04-01T08:00:00Z", Some("down")),
                ]
            }))
            .unwrap(),
        );
        let mut got: Vec<(String, String)> =
            set.contributions(&case, &rules).into_iter().map(|c| (c.indicator, c.day.to_string())).collect();
        got.sort();
        let want: Vec<(String, String)> = [
            ("down", "2024-02-01"),
            ("down", "2024-04-01"),
            ("either", "2024-02-01"),
            ("either", "2024-03-01"),
            ("either", "2024-04-01"),
            ("up_cases", "2024-01-03"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        assert_eq!(got, want);
        let down = Filter { reclassified: Some(Reclassified::Down), ..Filter::default() };
        let either = Filter { reclassified: Some(Reclassified::Either), ..Filter::default() };
        assert!(down.narrows(&either) && either.narrows(&Filter::default()));
        assert!(!either.narrows(&down) && !Filter::default().narrows(&either));
    }

    /// A cancelled crime leaves the crimes recorded; `cancelled = "only"`
    /// counts it on the approval's day, `"included"` as first recorded.
    #[test]
    fn a_cancelled_case_counts_only_where_a_filter_asks_for_it() {
        let set = IndicatorSet::from_toml(
            r#"
version = "t"
[[indicator]]
code = "recorded"
name = { az = "a", ru = "r", en = "e" }
counts = "case"
by = "registered"
measure = "count"

[[indicator]]
code = "cancelled"
name = { az = "a", ru = "r", en = "e" }
counts = "case"
by = "cancelled"
measure = "count"
filter = { cancelled = "only" }

[[indicator]]
code = "as_first_recorded"
name = { az = "a", ru = "r", en = "e" }
counts = "case"
by = "registered"
measure = "count"
filter = { cancelled = "included" }
"#,
        )
        .unwrap();
        let rules = Rules::from_toml(include_str!("../../../data/jurisdictions/azerbaijan/rules.toml")).unwrap();
        let codes = |e: &Entity| -> Vec<(String, String)> {
            set.contributions(e, &rules).into_iter().map(|c| (c.indicator, c.day.to_string())).collect()
        };
        let mut case: serde_json::Value = serde_json::json!({
            "id": "00000000-0000-0000-0000-000000000001", "number": "C-1", "unit": "BAK-NSM",
            "agency": "mia", "report_ids": [], "detected_by_police": true, "articles": ["177.1"],
            "tags": [], "occurred_at": "2024-01-02T08:00:00Z", "registered_at": "2024-01-03T08:00:00Z",
            "place": {"address": ""}, "flags": {}, "description": "x", "status": "investigating"
        });
        let as_entity = |v: &serde_json::Value| Entity::Case(serde_json::from_value(v.clone()).unwrap());
        let recorded =
            [("recorded".to_string(), "2024-01-03".to_string()), ("as_first_recorded".into(), "2024-01-03".into())];
        assert_eq!(codes(&as_entity(&case)), recorded);
        case["cancellations"] = serde_json::json!([{
            "ground": "recorded_twice", "text": "t", "evidence": "e",
            "requested_at": "2024-02-01T08:00:00Z", "requested_by": "inv"
        }]);
        assert_eq!(codes(&as_entity(&case)), recorded, "a request pending changes nothing");
        case["cancellations"][0]["decision"] = serde_json::json!({
            "approved": true, "by": "chief", "at": "2024-04-02T08:00:00Z", "note": "n",
            "victim_told": {"how": "letter", "at": "2024-04-01T08:00:00Z"}
        });
        assert_eq!(
            codes(&as_entity(&case)),
            [("cancelled".to_string(), "2024-04-02".to_string()), ("as_first_recorded".into(), "2024-01-03".into())]
        );
        case["cancellations"][0]["decision"]["approved"] = false.into();
        assert_eq!(codes(&as_entity(&case)), recorded, "a refusal leaves the crime recorded");
        let only = Filter { cancelled: Cancelled::Only, ..Filter::default() };
        let included = Filter { cancelled: Cancelled::Included, ..Filter::default() };
        assert!(only.narrows(&included) && Filter::default().narrows(&included));
        assert!(!only.narrows(&Filter::default()) && !included.narrows(&only));
    }

    /// A share whose numerator narrows its denominator's filter is counted
    /// within it; one that contradicts it, or asks less, is not.
    #[test]
    fn a_numerator_narrowing_its_denominators_filter_makes_a_share_of_counts() {
        let with = |numerator: &str, denominator: &str| {
            IndicatorSet::from_toml(&format!(
                r#"
version = "t"
[[indicator]]
code = "n"
name = {{ az = "a", ru = "r", en = "e" }}
counts = "appeal"
by = "received"
measure = "count"
filter = {numerator}

[[indicator]]
code = "d"
name = {{ az = "a", ru = "r", en = "e" }}
counts = "appeal"
by = "received"
measure = "count"
filter = {denominator}

[[ratio]]
code = "r"
name = {{ az = "a", ru = "r", en = "e" }}
method = {{ az = "a", ru = "r", en = "e" }}
numerator = "n"
denominator = ["d"]
funnel = true
"#
            ))
        };
        assert!(with("{ mentions_offence = true, led_to_report = false }", "{ mentions_offence = true }").is_ok());
        assert!(with("{ min_score = 5 }", "{ min_score = 4 }").is_ok(), "5 and over is within 4 and over");
        assert!(with("{ mentions_offence = true }", "{ mentions_offence = true, led_to_report = false }").is_err());
        assert!(with("{ mentions_offence = false }", "{ mentions_offence = true }").is_err());
        assert!(with("{ min_score = 3 }", "{ min_score = 4 }").is_err());
        let tags = Filter { any_tag: vec![Tag::new("theft")], ..Filter::default() };
        let wider = Filter { any_tag: vec![Tag::new("theft"), Tag::new("fraud")], ..Filter::default() };
        assert!(tags.narrows(&wider) && !wider.narrows(&tags));
        let end = Filter { last_days_of_quarter: Some(7), ..Filter::default() };
        assert!(end.narrows(&Filter { last_days_of_quarter: Some(10), ..Filter::default() }));
        assert!(!end.narrows(&Filter { last_days_of_quarter: Some(5), ..Filter::default() }));
        assert!(end.narrows(&Filter::default()) && !Filter::default().narrows(&end));
    }

    #[test]
    fn a_grouped_indicator_is_no_part_of_a_ratio_and_only_cases_and_reports_group() {
        let base = r#"
version = "t"
[[indicator]]
code = "g"
name = { az = "a", ru = "r", en = "e" }
counts = "COUNTS"
by = "BY"
measure = "count"
group_by = "category"
"#;
        let seizure = base.replace("COUNTS", "seizure").replace("BY", "seized");
        assert!(IndicatorSet::from_toml(&seizure).unwrap_err().contains("only cases and reports"));
        let ratio = base.replace("COUNTS", "case").replace("BY", "registered")
            + r#"
[[ratio]]
code = "r"
name = { az = "a", ru = "r", en = "e" }
method = { az = "a", ru = "r", en = "e" }
numerator = "g"
denominator = ["g"]
"#;
        assert!(IndicatorSet::from_toml(&ratio).unwrap_err().contains("is grouped"));
    }

    #[test]
    fn the_shipped_counting_rules_fit_the_shipped_catalogue() {
        let set =
            IndicatorSet::from_toml(include_str!("../../../data/jurisdictions/azerbaijan/indicators.toml")).unwrap();
        let catalogue =
            Catalogue::from_toml(include_str!("../../../data/jurisdictions/azerbaijan/articles.toml")).unwrap();
        assert_eq!(set.check_against(&catalogue), Ok(()));
    }

    #[test]
    fn gravity_and_groupings_the_catalogue_lacks_are_refused() {
        let catalogue = Catalogue::from_toml(
            r#"
version = "plain-1"
illustrative = false
notice = { az = "a", ru = "r", en = "e" }
codes = "plain"
[[tag]]
code = "property"
name = { en = "Property" }
[[article]]
code = "burglary"
title = { az = "a", ru = "r", en = "e" }
tags = ["property"]
effective_from = "2010-01-01"
"#,
        )
        .unwrap();
        let with_filter = |filter: &str| {
            IndicatorSet::from_toml(&format!(
                "version = \"t\"\n[[indicator]]\ncode = \"x\"\nname = {{ az = \"a\", ru = \"r\", en = \"e\" }}\n\
                 counts = \"case\"\nby = \"registered\"\nmeasure = \"count\"\nfilter = {filter}\n"
            ))
            .unwrap()
        };
        assert_eq!(with_filter(r#"{ any_tag = ["property"] }"#).check_against(&catalogue), Ok(()));
        assert_eq!(
            with_filter(r#"{ gravity = ["serious"] }"#).check_against(&catalogue).unwrap_err(),
            "indicator x: filter.gravity, but catalogue plain-1 has no [gravity] classes"
        );
        assert_eq!(
            with_filter(r#"{ any_tag = ["property", "theft"] }"#).check_against(&catalogue).unwrap_err(),
            "indicator x: filter.any_tag names \"theft\", which catalogue plain-1 does not declare in [[tag]]"
        );
        assert_eq!(
            with_filter("{ amount_measured = true }").check_against(&catalogue).unwrap_err(),
            "indicator x: filter by amount threshold, but catalogue plain-1 declares no [[amount_threshold]]"
        );
    }

    /// A threshold is exceeded to make the heavier offence, so an amount at
    /// it is still the lighter one and counts as just below.
    #[test]
    fn an_amount_is_just_below_a_threshold_at_it_or_within_the_percentage_under_it() {
        let thresholds = [50_000, 500_000];
        let below = |amount| just_below_threshold(amount, &thresholds, 10);
        assert!(!below(44_999) && below(45_000) && below(50_000) && !below(50_001));
        assert!(below(450_000) && !below(449_999) && !below(0));
        assert!(!just_below_threshold(50_000, &[], 10), "no threshold, nothing below one");
        let out_of_range = |pct: u32| {
            IndicatorSet::from_toml(&format!(
                "version = \"t\"\n[[indicator]]\ncode = \"x\"\nname = {{ az = \"a\", ru = \"r\", en = \"e\" }}\n\
                 counts = \"case\"\nby = \"registered\"\nmeasure = \"count\"\nfilter = {{ amount_below_threshold_pct = {pct} }}\n"
            ))
        };
        assert!(out_of_range(10).is_ok());
        assert_eq!(
            out_of_range(0).unwrap_err(),
            "indicator x: filter.amount_below_threshold_pct is a percentage from 1 to 50"
        );
        assert!(out_of_range(51).is_err());
    }

    #[test]
    fn a_date_the_register_lacks_is_refused() {
        let bad = r#"
version = "t"
[[indicator]]
code = "x"
name = { az = "a", ru = "r", en = "e" }
counts = "seizure"
by = "solved"
measure = "count"
"#;
        assert!(IndicatorSet::from_toml(bad).unwrap_err().contains("has no"));
    }
}
