//! The Board's figures: read from the maintained counters, recounted from
//! the registers to prove the counters right, or recounted from the journal
//! as it stood at a past position to reproduce a published report.

use crate::adoption::adopted_pack;
use crate::{Jurisdiction, Registry, Result, ServiceError, stored_act, stored_entity};
use chrono::NaiveDate;
use crimeboard_domain::error::{Rejected, Violation};
use crimeboard_domain::identifier::IdentifierKey;
use crimeboard_domain::series::Linking;
use crimeboard_domain::units::{Language, Names, UnitCode, UnitTree};
use crimeboard_domain::{Command, Context, Loaded};
use crimeboard_stats::board::{self, BoardReport, Naming, Stamp, Sums};
use crimeboard_stats::briefing::{self, Briefing, BriefingRequest};
use crimeboard_stats::signals::SignalReading;
use crimeboard_stats::trend::{self, MonthFigure, Trend};
use crimeboard_stats::{Cell, Period};
use crimeboard_store::{CountSum, SumQuery};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// The day a typed briefing's tasks are counted on: the day after the
/// period under review, so they stand as at its end.
pub fn tasks_day_of(period: Period) -> NaiveDate {
    period.to.succ_opt().unwrap_or(period.to)
}

/// Under which unit tree a report rolls its figures up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Structure {
    /// The tree in force on the period's last day: a change dated after it
    /// is not yet seen, one dated on or before it is.
    #[default]
    InForce,
    /// The tree with every change recorded, whatever the period: the same
    /// counters rolled up under today's units.
    Current,
}

impl Structure {
    /// `in_force` or `current`, as the command line and the API write it.
    pub fn parse(s: &str) -> Option<Structure> {
        match s {
            "in_force" => Some(Structure::InForce),
            "current" => Some(Structure::Current),
            _ => None,
        }
    }

    /// As [`Structure::parse`] reads it.
    pub fn as_str(self) -> &'static str {
        match self {
            Structure::InForce => "in_force",
            Structure::Current => "current",
        }
    }
}

/// The longest trend: ten years, two monthly sums a month.
pub const MAX_TREND_MONTHS: usize = 120;

/// The registers as they stood at a past position: every entity, the pack
/// in force and the analysts' decisions on linking in force.
struct Replayed {
    entities: Loaded,
    pack: Arc<Jurisdiction>,
    linkings: BTreeMap<IdentifierKey, Linking>,
}

/// A counter that differs from what the registers say it should be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounterMismatch {
    pub unit: String,
    pub indicator: String,
    pub day: NaiveDate,
    pub counter: i64,
    pub recount: i64,
}

/// Contributions summed into a period and the same period a year before.
struct PeriodSums {
    period: Period,
    previous_period: Period,
    current: Sums,
    previous: Sums,
}

impl PeriodSums {
    fn new(period: Period) -> PeriodSums {
        PeriodSums { period, previous_period: period.year_before(), current: Sums::new(), previous: Sums::new() }
    }

    fn add(&mut self, cells: Vec<Cell>) {
        for c in cells {
            let target = if self.period.contains(c.day) {
                &mut self.current
            } else if self.previous_period.contains(c.day) {
                &mut self.previous
            } else {
                continue;
            };
            *target.entry((c.unit, c.indicator)).or_default() += c.value;
        }
    }

    fn assemble(
        &self,
        pack: &Jurisdiction,
        registry: &Registry,
        scope: &UnitCode,
        position: i64,
        structure: Structure,
    ) -> BoardReport {
        let tree = registry.tree_for(self.period, structure);
        let naming = naming(pack);
        let stamp = stamp(pack, position, &naming);
        board::assemble(&pack.indicators, &tree, scope, self.period, &self.current, &self.previous, stamp)
    }
}

fn stamp<'a>(pack: &'a Jurisdiction, position: i64, naming: &'a Naming) -> Stamp<'a> {
    let c = &pack.catalogue;
    Stamp {
        position,
        catalogue: &c.version,
        catalogue_illustrative: c.illustrative,
        recorded_by: &pack.institution,
        currency: &pack.currency,
        naming,
    }
}

/// How the pack names things in the figures: names fall back with its
/// default language first, and its catalogue's groupings are shown by name.
pub(crate) fn naming(pack: &Jurisdiction) -> Naming {
    let default = Language::from_code(&pack.default_language).unwrap_or(Language::Az);
    let tags = pack
        .catalogue
        .tags
        .iter()
        .map(|t| {
            let given = |name: &Option<String>| name.clone().unwrap_or_default();
            let names = Names { az: given(&t.name.az), ru: given(&t.name.ru), en: given(&t.name.en) };
            (t.code.as_str().to_string(), names)
        })
        .collect();
    Naming::new(default, tags)
}

pub(crate) fn sum_query(p: &Period) -> SumQuery {
    let (months, loose) = p.split_months();
    SumQuery {
        months: months.into_iter().map(|(y, m)| format!("{y:04}-{m:02}")).collect(),
        days: loose.into_iter().map(|d| (d.from, d.to)).collect(),
    }
}

fn to_sums(rows: Vec<CountSum>) -> Sums {
    let mut sums = Sums::new();
    for r in rows {
        *sums.entry((r.unit, r.indicator)).or_default() += r.value;
    }
    sums
}

impl Registry {
    pub(crate) fn scope(&self, unit: Option<&str>) -> Result<UnitCode> {
        let tree = self.units();
        match unit {
            Some(code) => {
                let code = UnitCode::parse(code)?;
                tree.require("unit", &code)?;
                Ok(code)
            }
            None => tree
                .all()
                .find(|u| u.parent.is_none())
                .map(|u| u.code.clone())
                .ok_or_else(|| Violation::new("unit", "unit.none_defined").into()),
        }
    }

    /// The first and the last day with figures (any counter non-zero), None
    /// before anything is counted: the period pages open on and the years
    /// they offer.
    pub fn counted_days(&self) -> Result<Option<(NaiveDate, NaiveDate)>> {
        Ok(self.store.counted_days()?)
    }

    /// The unit tree a report of `period` rolls up under.
    pub fn tree_for(&self, period: Period, structure: Structure) -> Arc<UnitTree> {
        let dated = self.dated_units();
        match structure {
            Structure::InForce => dated.as_of(period.to),
            Structure::Current => dated.current(),
        }
    }

    /// Whether a change of the unit tree is dated inside the period (after
    /// its first day) or after it, so that its days stood under another tree
    /// than the one a report rolls them up under, and a report should say
    /// which it shows.
    pub fn structure_matters(&self, period: Period) -> bool {
        let dated = self.dated_units();
        // `as_of` hands back the current tree itself when no change is dated later.
        !Arc::ptr_eq(&dated.as_of(period.from), &dated.current())
    }

    /// The Board's report under the unit tree in force on the period's last
    /// day (see [`Registry::report_under`]).
    pub fn report(&self, period: Period, unit: Option<&str>) -> Result<BoardReport> {
        self.report_under(period, unit, Structure::InForce)
    }

    /// The signs of under-recording for a period over the units directly
    /// below a unit (the whole tree's root by default): the counting rules'
    /// signals read from the report under the tree in force, which comes
    /// with them so the units can be named (docs/integrity.md).
    pub fn signals(&self, period: Period, unit: Option<&str>) -> Result<(BoardReport, Vec<SignalReading>)> {
        let report = self.report(period, unit)?;
        let readings = crimeboard_stats::signals::read(&report, &self.jurisdiction().indicators);
        Ok((report, readings))
    }

    /// Every cancellation of a recorded crime decided in a period, approved
    /// or refused, in a unit and every unit below it (the whole tree's root by
    /// default), by the day of the decision: who asked and on what ground, who
    /// decided and whether the victim was told, so an inspector reads the
    /// cancellations signal's cases beside it (docs/integrity.md). It reads
    /// the registers of the units, not the counters.
    pub fn cancellations_decided(&self, period: Period, unit: Option<&str>) -> Result<Vec<DecidedCancellation>> {
        let scope = self.scope(unit)?;
        let tree = self.units();
        let rules = self.jurisdiction().rules.clone();
        let mut rows = Vec::new();
        for u in tree.all().filter(|u| tree.is_within(&u.code, &scope)) {
            self.each_entity(u.code.as_str(), &mut |e| {
                let crimeboard_domain::Entity::Case(case) = e else { return };
                for asked in &case.cancellations {
                    let Some(decision) = asked.decision.as_ref().filter(|d| period.contains(rules.local_date(d.at)))
                    else {
                        continue;
                    };
                    rows.push(DecidedCancellation {
                        unit: case.unit.to_string(),
                        case_id: case.id,
                        case_number: case.number.clone(),
                        ground: asked.ground.clone(),
                        requested_by: asked.requested_by.clone(),
                        requested_at: asked.requested_at,
                        decided_by: decision.by.clone(),
                        decided_at: decision.at,
                        approved: decision.approved,
                        victim_told: decision.victim_told.clone(),
                    });
                }
            })?;
        }
        rows.sort_by(|a, b| (a.decided_at, &a.case_number).cmp(&(b.decided_at, &b.case_number)));
        Ok(rows)
    }

    /// The Board's report for a period and a unit (the whole tree by
    /// default), from the counters: its cost does not grow with the registers.
    /// The counters stay keyed by the unit they were recorded in; they roll
    /// up under the tree `structure` names, the same tree for the period a
    /// year before, so the two compare. A period the Board has published for
    /// the scope carries what changed since its latest publication
    /// (`BoardReport::revised`, which the narrative states).
    pub fn report_under(&self, period: Period, unit: Option<&str>, structure: Structure) -> Result<BoardReport> {
        let mut report = self.counted_report(period, unit, structure)?;
        report.revised = self.revision_of(&report)?;
        Ok(report)
    }

    /// The report from the counters, without the revision of its publication.
    pub(crate) fn counted_report(
        &self,
        period: Period,
        unit: Option<&str>,
        structure: Structure,
    ) -> Result<BoardReport> {
        let scope = self.scope(unit)?;
        let pack = self.jurisdiction();
        let tree = self.tree_for(period, structure);
        self.report_in(&pack, &tree, &scope, period)
    }

    /// The Board's report from the counters as committed, under the pack and
    /// the tree given: the write path hands in those it holds (a press
    /// release's draft is written from it).
    pub(crate) fn report_in(
        &self,
        pack: &Jurisdiction,
        tree: &UnitTree,
        scope: &UnitCode,
        period: Period,
    ) -> Result<BoardReport> {
        let (mut sums, position) = self.store.sum_counts(&[sum_query(&period), sum_query(&period.year_before())])?;
        let previous = to_sums(sums.pop().unwrap_or_default());
        let current = to_sums(sums.pop().unwrap_or_default());
        let naming = naming(pack);
        let mut report =
            board::assemble(&pack.indicators, tree, scope, period, &current, &previous, stamp(pack, position, &naming));
        self.add_series_figures(&mut report, pack, tree)?;
        Ok(report)
    }

    /// An indicator (a counter code: see [`trend::counter`]) month by month
    /// over `months` for a unit and every unit below it (the whole tree by
    /// default), each month against the same days a year before; from the
    /// counters, all months read in one snapshot. At most
    /// [`MAX_TREND_MONTHS`] months.
    pub fn trend(&self, code: &str, unit: Option<&str>, months: Period) -> Result<Trend> {
        let scope = self.scope(unit)?;
        let pack = self.jurisdiction();
        let naming = naming(&pack);
        let (name, value_unit) = trend::counter(&pack.indicators, code, &naming)
            .ok_or_else(|| Violation::new("indicator", "reference.not_found"))?;
        let spans = months.months();
        if spans.len() > MAX_TREND_MONTHS {
            let violation = Violation::new("months", "number.range").with("min", 1).with("max", MAX_TREND_MONTHS);
            return Err(violation.into());
        }
        let queries: Vec<SumQuery> = spans.iter().flat_map(|m| [sum_query(m), sum_query(&m.year_before())]).collect();
        let (sums, position) = self.store.sum_counts(&queries)?;
        let tree = self.units();
        // Each month and its year-before twin under the tree in force at the month's end.
        let value = |month: &Period, rows: &[CountSum]| {
            let sums = to_sums(rows.iter().filter(|r| r.indicator == code).cloned().collect());
            trend::value_within(&self.tree_for(*month, Structure::InForce), &scope, code, &sums)
        };
        let figures = spans
            .iter()
            .zip(sums.chunks(2))
            .map(|(month, pair)| MonthFigure {
                month: *month,
                value: value(month, &pair[0]),
                year_before: value(month, &pair[1]),
            })
            .collect();
        let unit_name = tree.get(&scope).map(|u| u.names.clone()).unwrap_or_default();
        let currency = pack.currency.clone();
        Ok(Trend {
            unit: scope,
            unit_name,
            code: code.to_string(),
            name,
            value_unit,
            currency,
            months: figures,
            position,
            name_fallback: naming.fallback,
        })
    }

    /// The same report as it would have read at a past journal position,
    /// recounted from the acts recorded up to it (and the annulments made by
    /// then). Reads the journal up to that point: an audit, not a dashboard.
    pub fn report_at(&self, period: Period, unit: Option<&str>, position: i64) -> Result<BoardReport> {
        self.report_at_under(period, unit, position, Structure::InForce)
    }

    /// [`Registry::report_at`] rolled up under the tree `structure` names.
    pub fn report_at_under(
        &self,
        period: Period,
        unit: Option<&str>,
        position: i64,
        structure: Structure,
    ) -> Result<BoardReport> {
        let scope = self.scope(unit)?;
        let replayed = self.replay_checked(position)?;
        Ok(self.report_of(&replayed, period, &scope, position, structure))
    }

    /// The entities and the pack as they stood at `position`, which must be
    /// a position of the journal.
    fn replay_checked(&self, position: i64) -> Result<Replayed> {
        let now = self.store.position()?;
        if position < 0 || position > now {
            return Err(Violation::new("position", "number.range").with("min", 0).with("max", now).into());
        }
        self.replay_until(position)
    }

    /// The report counted from replayed entities, its series figures from
    /// the series they formed then.
    fn report_of(
        &self,
        replayed: &Replayed,
        period: Period,
        scope: &UnitCode,
        position: i64,
        structure: Structure,
    ) -> BoardReport {
        let Replayed { entities, pack, linkings } = replayed;
        let mut sums = PeriodSums::new(period);
        for e in entities.values() {
            sums.add(pack.indicators.contributions(e, &pack.rules));
        }
        let mut report = sums.assemble(pack, self, scope, position, structure);
        let tree = self.tree_for(period, structure);
        crate::series_figures::add_replayed(&mut report, pack, &tree, entities, linkings);
        report
    }

    /// The briefing pack before a Board meeting (see [`crimeboard_stats::briefing`]),
    /// with the tasks the request gives: from the whole tree's report, read
    /// from the counters, or at `position` from the report as it stood there.
    pub fn briefing(&self, request: &BriefingRequest, position: Option<i64>) -> Result<Briefing> {
        let report = match position {
            None => self.report(request.period, None)?,
            Some(at) => self.report_at(request.period, None, at)?,
        };
        Ok(briefing::brief(request, &report)?)
    }

    /// The briefing pack with each reporting unit's tasks read from the
    /// register of the Board's tasks as they stood when `tasks_on` began
    /// (`board::unit_tasks` states the rule), replacing any the request
    /// gives; at `position`, the register and the figures as they stood
    /// there, from one replay of the journal.
    pub fn briefing_with_tasks(
        &self,
        request: &BriefingRequest,
        tasks_on: NaiveDate,
        position: Option<i64>,
    ) -> Result<Briefing> {
        let mut request = request.clone();
        let report = match position {
            None => {
                let tasks = crate::board::all_tasks(self)?;
                request.tasks = crate::board::unit_tasks(&tasks, &request.units, tasks_on);
                self.report(request.period, None)?
            }
            Some(at) => {
                let scope = self.scope(None)?;
                let replayed = self.replay_checked(at)?;
                let tasks: Vec<_> = replayed
                    .entities
                    .values()
                    .filter_map(|e| match e {
                        crimeboard_domain::Entity::Task(t) => Some(t.clone()),
                        _ => None,
                    })
                    .collect();
                request.tasks = crate::board::unit_tasks(&tasks, &request.units, tasks_on);
                self.report_of(&replayed, request.period, &scope, at, Structure::InForce)
            }
        };
        Ok(briefing::brief(&request, &report)?)
    }

    /// The briefing pack for an agenda typed for a period: the tasks as
    /// they stood at the end of the period under review (when the day after
    /// its last began), so the pack says the same whenever it is made.
    pub fn briefing_for_period(&self, request: &BriefingRequest, position: Option<i64>) -> Result<Briefing> {
        self.briefing_with_tasks(request, tasks_day_of(request.period), position)
    }

    /// The briefing pack for a stored meeting: its period under review, its
    /// agenda's topics and indicators, its reporting units, and each unit's
    /// tasks as they stood when the meeting's day began: the tasks of
    /// earlier meetings.
    pub fn briefing_for_meeting(&self, meeting_id: uuid::Uuid, position: Option<i64>) -> Result<Briefing> {
        let (request, day) = self.meeting_briefing(meeting_id)?;
        self.briefing_with_tasks(&request, day, position)
    }

    /// What a stored meeting asks its briefing pack for
    /// (`board::meeting_request`), and the day its tasks are counted on:
    /// the meeting's.
    /// The request a briefing is made of and the day its tasks are counted on:
    /// an agenda typed (the day after its period) or a stored meeting (its own day).
    pub fn briefing_request(
        &self,
        typed: Option<BriefingRequest>,
        meeting: Option<uuid::Uuid>,
    ) -> Result<(BriefingRequest, NaiveDate)> {
        match (typed, meeting) {
            (Some(request), _) => {
                let day = tasks_day_of(request.period);
                Ok((request, day))
            }
            (None, Some(id)) => self.meeting_briefing(id),
            (None, None) => Err(Rejected::from(Violation::new("meeting", "param.meeting_or_agenda")).into()),
        }
    }

    pub fn meeting_briefing(&self, meeting_id: uuid::Uuid) -> Result<(BriefingRequest, NaiveDate)> {
        // Named by the field that asked for it: a briefing's meeting is a parameter, not an address.
        let meeting = self.meeting(meeting_id).map_err(|e| match e {
            ServiceError::NotFound => Rejected::from(Violation::new("meeting", "reference.not_found")).into(),
            other => other,
        })?;
        Ok((crate::board::meeting_request(&meeting)?, meeting.scheduled.held_on))
    }

    /// The same report computed the way a system without counters would: by
    /// reading every entity of the registers. For comparison in benchmarks,
    /// and as a second opinion on the counters.
    pub fn report_by_scan(&self, period: Period, unit: Option<&str>) -> Result<BoardReport> {
        let scope = self.scope(unit)?;
        let position = self.store.position()?;
        let pack = self.jurisdiction();
        let mut sums = PeriodSums::new(period);
        for u in self.units().all() {
            self.each_entity(u.code.as_str(), &mut |e| sums.add(pack.indicators.contributions(&e, &pack.rules)))?;
        }
        let mut report = sums.assemble(&pack, self, &scope, position, Structure::InForce);
        self.add_series_figures(&mut report, &pack, &self.tree_for(period, Structure::InForce))?;
        Ok(report)
    }

    /// Every entity as it stood at `position`: the acts up to it, less those
    /// annulled by then, applied in order, each under the pack in force when
    /// it was recorded; and the pack in force at `position`, which counts them.
    fn replay_until(&self, position: i64) -> Result<Replayed> {
        let units = self.units();
        let now = self.now();
        let mut pack = Jurisdiction::demo();
        let mut loaded = Loaded::new();
        let mut linkings = BTreeMap::new();
        self.store.each_entry_until(position, &mut |entry, annulled| {
            if entry.kind == Command::ADOPT_JURISDICTION {
                pack = adopted_pack(&entry)?;
            } else if !annulled {
                let act = stored_act(&entry)?;
                // The analysts' decisions in force then: the last on each key.
                if let Some((key, linking)) = crate::series::decision_of(&act.command) {
                    match linking {
                        Linking::ByRules => linkings.remove(key),
                        Linking::Excluded | Linking::Always => linkings.insert(key.clone(), linking),
                    };
                }
                let ctx = Context { catalogue: &pack.catalogue, rules: &pack.rules, units: &units, now };
                act.command.apply(&act.assigned, &mut loaded, &ctx);
            }
            Ok(())
        })?;
        Ok(Replayed { entities: loaded, pack, linkings })
    }

    /// Every entity of a unit, read back one at a time; stops at the first
    /// unreadable one.
    fn each_entity(&self, unit: &str, f: &mut dyn FnMut(crimeboard_domain::Entity)) -> Result<()> {
        self.store.each_record(unit, &mut |record| {
            f(stored_entity(&record)?);
            Ok(())
        })?;
        Ok(())
    }

    /// Recounts every counter from the registers' current state, unit by unit,
    /// and lists every cell where the maintained counter differs.
    pub fn verify_counters(&self) -> Result<Vec<CounterMismatch>> {
        let mut mismatches = Vec::new();
        let pack = self.jurisdiction();
        let (set, rules) = (&pack.indicators, &pack.rules);
        for unit in self.units().all() {
            let code = unit.code.to_string();
            let mut recount: BTreeMap<(String, NaiveDate), i64> = BTreeMap::new();
            self.each_entity(&code, &mut |e| {
                for Cell { indicator, day, value, .. } in set.contributions(&e, rules) {
                    *recount.entry((indicator, day)).or_default() += value;
                }
            })?;
            let counters: HashMap<(String, NaiveDate), i64> =
                self.store.unit_counts(&code)?.into_iter().map(|(i, d, v)| ((i, d), v)).collect();
            for ((indicator, day), &value) in &recount {
                let counter = counters.get(&(indicator.clone(), *day)).copied().unwrap_or(0);
                if counter != value {
                    mismatches.push(CounterMismatch {
                        unit: code.clone(),
                        indicator: indicator.clone(),
                        day: *day,
                        counter,
                        recount: value,
                    });
                }
            }
            for ((indicator, day), &counter) in &counters {
                if !recount.contains_key(&(indicator.clone(), *day)) {
                    mismatches.push(CounterMismatch {
                        unit: code.clone(),
                        indicator: indicator.clone(),
                        day: *day,
                        counter,
                        recount: 0,
                    });
                }
            }
        }
        mismatches.extend(self.verify_series_figures()?);
        Ok(mismatches)
    }
}

/// One decided cancellation, as [`Registry::cancellations_decided`] lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DecidedCancellation {
    pub unit: String,
    pub case_id: uuid::Uuid,
    pub case_number: String,
    /// The rules' ground's code.
    pub ground: String,
    pub requested_by: String,
    pub requested_at: chrono::DateTime<chrono::Utc>,
    pub decided_by: String,
    pub decided_at: chrono::DateTime<chrono::Utc>,
    pub approved: bool,
    /// How and when the victim was told; None: not told (or a refusal).
    pub victim_told: Option<crimeboard_domain::cancellation::VictimTold>,
}
