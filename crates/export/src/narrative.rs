//! The Board's narrative, in the manner of the Ministry's press releases:
//! the solved share of the crimes recorded, which crime categories fell
//! against last year, better solving of non-obvious crimes, narcotics,
//! traffic, reports and applicants' satisfaction, citizens' appeals, damage
//! reimbursed; and a closing line saying how and from what the figures were
//! counted.
//!
//! Every figure is read from the report's scope unit. A sentence whose
//! figures are absent or all zero is left out rather than printed as "0".
//! The text claims no more than the figures support: with nothing counted
//! for the period before, it says so and claims no rise or fall; each share
//! printed names its definition from the counting rules; and a share whose
//! denominator holds one kind of case alone (nothing counted of the others in
//! either period, as a source that records no suspensions) is not printed as
//! a per cent that could be nothing else, but said for what it is.

use crate::case::{capitalize, lower_first};
use crate::locale::{Args, Catalog, Value, catalog};
use crate::numbers::{decimal, integer, money, weight};
use crate::period_phrase::{compared_with, during};
use crate::{Lang, name_in};
use crimeboard_domain::release::{Figure as Marked, token};
use crimeboard_domain::units::Names;
use crimeboard_stats::Change;
use crimeboard_stats::board::{BoardReport, Figure, Revision, Share, UnitFigures};

/// The crime categories the Board reports a fall in, in its order.
const CRIME_CATEGORIES: &[&str] = &[
    "serious",
    "serious_harm",
    "property",
    "theft",
    "robbery",
    "fraud",
    "extortion",
    "it_enabled",
    "group",
    "family_conflict",
    "by_previously_convicted",
    "by_minors",
];

/// Indicators of non-obvious crimes solved, one per kind of crime.
const NON_OBVIOUS_SOLVED_PREFIX: &str = "non_obvious_solved_";

pub fn narrative(report: &BoardReport, lang: Lang) -> String {
    let c = catalog(lang);
    let mut blocks: Vec<String> = match report.units.first() {
        Some(scope) => Writer { c, lang, report, scope, marks: None }.paragraphs(),
        None => Vec::new(),
    };
    if let Some(revision) = &report.revised {
        blocks.push(revised(c, lang, report, revision));
    }
    blocks.push(footer(c, report));
    let mut text = blocks.join("\n\n");
    text.push('\n');
    text
}

/// The narrative's paragraphs with each figure of `marks` it states written
/// as its token (`{{fig:N}}`, N its place in `marks`), for a press release
/// whose figures keep their provenance; without the closing line, which a
/// release states per figure instead.
pub(crate) fn marked_paragraphs(report: &BoardReport, lang: Lang, marks: &[Marked]) -> Vec<String> {
    let c = catalog(lang);
    match report.units.first() {
        Some(scope) => Writer { c, lang, report, scope, marks: Some(marks) }.paragraphs(),
        None => Vec::new(),
    }
}

/// What changed since the period's publication: "Revised since its
/// publication on 10 April 2024 (PB-…, revision 1): the figures in the first
/// quarter of 2024 now differ by +1 in Baku (reports received)."
fn revised(c: &Catalog, lang: Lang, report: &BoardReport, revision: &Revision) -> String {
    let fallback = &report.name_fallback;
    let changes: Vec<String> = revision
        .changes
        .iter()
        .map(|f| {
            let args = Args::new()
                .text("difference", format!("{:+}", f.difference))
                .text("unit", name_in(&f.unit_name, lang, fallback))
                .text("indicator", lower_first(name_in(&f.name, lang, fallback), lang));
            c.fill("revised.change", &args)
        })
        .collect();
    let args = Args::new()
        .text("period", during(c, &report.period))
        .text("day", crate::period_phrase::date(c, revision.published_on))
        .text("publication", revision.publication.as_str())
        .text("revision", revision.revision.to_string())
        .text("changes", changes.join("; "));
    c.fill("revised.sentence", &args)
}

/// The closing line: counting rules, catalogue, journal position.
fn footer(c: &Catalog, report: &BoardReport) -> String {
    let key = if report.catalogue_illustrative { "footer.illustrative" } else { "footer.plain" };
    let args = Args::new()
        .text("rules", report.counting_rules.as_str())
        .text("catalogue", report.catalogue.as_str())
        .text("position", report.position.to_string());
    c.fill(key, &args)
}

struct Writer<'a> {
    c: &'a Catalog,
    lang: Lang,
    report: &'a BoardReport,
    scope: &'a UnitFigures,
    /// The figures to write as tokens, when the text is a release's draft.
    marks: Option<&'a [Marked]>,
}

/// How a share reads in a sentence.
enum Reading {
    /// Its per cent, and its definition as the sentence carries it: " (calculated as …)".
    Percent(Value, String),
    /// A share made of one kind of case: the sentence that says so, in place of the per cent.
    OneKind(String),
}

impl Writer<'_> {
    fn paragraphs(&self) -> Vec<String> {
        let groups = [
            vec![Some(self.headline()), self.decreases()],
            vec![self.non_obvious(), self.narcotics(), self.traffic()],
            vec![self.reports(), self.satisfaction(), self.appeals(), self.damage()],
            vec![crate::it::sentence(self.report, self.lang)],
        ];
        groups
            .into_iter()
            .map(|sentences| sentences.into_iter().flatten().collect::<Vec<_>>().join(" "))
            .filter(|paragraph| !paragraph.is_empty())
            .collect()
    }

    fn change(&self, code: &str) -> Option<&Change> {
        self.scope.figures.iter().find(|f| f.code == code).map(|f| &f.change)
    }

    fn current(&self, code: &str) -> i64 {
        self.change(code).map_or(0, |c| c.current)
    }

    fn figure(&self, code: &str) -> Option<&Figure> {
        self.scope.figures.iter().find(|f| f.code == code)
    }

    /// A share of the current period, as it reads: its per cent with its
    /// definition, or what it is made of when that is one kind of case.
    fn share(&self, code: &str) -> Option<Reading> {
        let share = self.scope.shares.iter().find(|s| s.code == code)?;
        let current = share.current?;
        let method = name_in(&share.method, self.lang, &self.report.name_fallback);
        if let Some(absent) = self.absent_kinds(share) {
            let args = Args::new()
                .text("share", name_in(&share.name, self.lang, &self.report.name_fallback))
                .text("method", method)
                .text("absent", self.c.list(&absent))
                .with("value", self.percent(current));
            return Some(Reading::OneKind(self.sentence("share.one_kind", &args)));
        }
        let definition = self.c.fill("share.definition", &Args::new().text("method", method));
        let percent = self.percent(current);
        let percent = match self.mark(code) {
            Some(text) => Value { text, count: percent.count },
            None => percent,
        };
        Some(Reading::Percent(percent, definition))
    }

    /// The names of the kinds of case a share's denominator adds up that
    /// were counted in neither period, when every kind but one is such.
    fn absent_kinds(&self, share: &Share) -> Option<Vec<String>> {
        if share.denominator.len() < 2 {
            return None;
        }
        let parts: Vec<&Figure> = share.denominator.iter().map(|code| self.figure(code)).collect::<Option<_>>()?;
        let absent: Vec<String> = parts
            .into_iter()
            .filter(|f| f.change.current == 0 && f.change.previous == 0)
            .map(|f| name_in(&f.name, self.lang, &self.report.name_fallback).to_string())
            .collect();
        (absent.len() == share.denominator.len() - 1).then_some(absent)
    }

    /// Nothing was counted for the scope in the period compared with: no
    /// change can be claimed.
    fn no_previous(&self) -> bool {
        self.scope.figures.iter().all(|f| f.change.previous == 0)
    }

    /// A sentence with a share: `key` filled with the share's per cent as
    /// `share_arg` and its definition, or the share's own sentence after
    /// `without` (if any) when it is made of one kind of case.
    fn with_share(
        &self,
        code: &str,
        key: &str,
        share_arg: &'static str,
        args: Args,
        without: Option<&str>,
    ) -> Option<String> {
        match self.share(code)? {
            Reading::Percent(percent, definition) => {
                Some(self.sentence(key, &args.with(share_arg, percent).text("definition", definition)))
            }
            Reading::OneKind(said) => match without {
                Some(without) => Some(format!("{} {said}", self.sentence(without, &args))),
                None => Some(said),
            },
        }
    }

    /// The token of the figure `code`, when the text marks its figures.
    fn mark(&self, code: &str) -> Option<String> {
        self.marks?.iter().position(|f| f.indicator == code).map(token)
    }

    /// An indicator's current value as a number, or its token (the word
    /// after it still agrees with the number).
    fn count(&self, code: &str) -> Value {
        let value = self.number(self.current(code));
        match self.mark(code) {
            Some(text) => Value { text, count: value.count },
            None => value,
        }
    }

    fn number(&self, n: i64) -> Value {
        integer(self.c, n)
    }

    fn percent(&self, x: f64) -> Value {
        decimal(self.c, x)
    }

    /// An indicator's name as it reads inside a sentence: "thefts".
    fn inline_name(&self, names: &Names) -> String {
        lower_first(name_in(names, self.lang, &self.report.name_fallback), self.lang)
    }

    fn sentence(&self, key: &str, args: &Args) -> String {
        capitalize(&self.c.fill(key, args), self.lang)
    }

    fn previous_period(&self) -> String {
        compared_with(self.c, &self.report.previous)
    }

    /// "…, within what chance alone explains" when the change is noise.
    fn chance(&self, change: &Change) -> &str {
        if change.significant == Some(false) { self.c.text("change.chance") } else { "" }
    }

    fn headline(&self) -> String {
        let recorded = self.count("crimes_recorded");
        let args = Args::new()
            .text("period", during(self.c, &self.report.period))
            .text("recorder", self.recorder())
            .with("recorded", recorded);
        let Some(share) = &self.report.headline_share else { return self.sentence("headline.no_share", &args) };
        self.with_share(share, "headline.share", "share", args.clone(), Some("headline.no_share"))
            .unwrap_or_else(|| self.sentence("headline.no_share", &args))
    }

    /// Who recorded the crimes: the pack's institution at the root, else the unit.
    fn recorder(&self) -> String {
        if self.scope.parent.is_none() {
            return name_in(&self.report.recorded_by, self.lang, &self.report.name_fallback).to_string();
        }
        let name = name_in(&self.scope.name, self.lang, &self.report.name_fallback);
        self.c.fill("recorder.unit", &Args::new().text("unit", name))
    }

    fn decreases(&self) -> Option<String> {
        let is_category = |code: &String| CRIME_CATEGORIES.contains(&code.as_str());
        let mut categories: Vec<_> = self.scope.figures.iter().filter(|f| is_category(&f.code)).collect();
        if categories.is_empty() {
            return None;
        }
        categories.sort_by_key(|f| CRIME_CATEGORIES.iter().position(|c| *c == f.code));
        let previous = self.previous_period();
        if self.no_previous() {
            return Some(self.sentence("decrease.no_previous", &Args::new().text("previous", previous)));
        }
        let items: Vec<String> = categories
            .into_iter()
            .filter(|f| f.change.absolute < 0)
            .map(|f| self.item(&self.inline_name(&f.name), &f.code, &f.change))
            .collect();
        if items.is_empty() {
            return Some(self.sentence("decrease.none", &Args::new().text("previous", previous)));
        }
        let args = Args::new().text("items", self.c.list(&items)).text("previous", previous);
        Some(self.sentence("decrease.sentence", &args))
    }

    /// "thefts (by 23.1 percent)" or "hooliganism (up 40 percent, within what chance alone explains)".
    fn item(&self, name: &str, code: &str, change: &Change) -> String {
        let how = match change.percent {
            Some(p) if change.absolute < 0 => {
                self.c.fill("change.down", &Args::new().with("percent", self.percent(-p)))
            }
            Some(p) => self.c.fill("change.up", &Args::new().with("percent", self.percent(p))),
            None => self.c.fill("change.from_zero", &Args::new().with("current", self.count(code))),
        };
        let args = Args::new().text("name", name).text("change", how).text("chance", self.chance(change));
        self.c.fill("change.item", &args)
    }

    fn non_obvious(&self) -> Option<String> {
        // Better than nothing counted is no improvement.
        if self.no_previous() {
            return None;
        }
        let items: Vec<String> = self
            .scope
            .figures
            .iter()
            .filter(|f| f.code.starts_with(NON_OBVIOUS_SOLVED_PREFIX) && f.change.absolute > 0)
            .map(|f| {
                self.item(
                    &lower_first(kind_of(name_in(&f.name, self.lang, &self.report.name_fallback)), self.lang),
                    &f.code,
                    &f.change,
                )
            })
            .collect();
        if items.is_empty() {
            return None;
        }
        Some(self.sentence("non_obvious.sentence", &Args::new().text("items", self.c.list(&items))))
    }

    fn narcotics(&self) -> Option<String> {
        let (grams, persons) = (self.current("narcotics_grams"), self.current("drug_persons_accountable"));
        let weight = self.mark("narcotics_grams").unwrap_or_else(|| weight(self.c, grams));
        let args = Args::new().text("weight", weight).with("persons", self.count("drug_persons_accountable"));
        let key = match (grams > 0, persons > 0) {
            (true, true) => "narcotics.both",
            (true, false) => "narcotics.weight_only",
            (false, true) => "narcotics.persons_only",
            (false, false) => return None,
        };
        Some(self.sentence(key, &args))
    }

    fn traffic(&self) -> Option<String> {
        let accidents = self.change("traffic_accidents").copied()?;
        let none = Change::of_counts(0, 0);
        let killed = self.change("traffic_killed").copied().unwrap_or(none);
        let injured = self.change("traffic_injured").copied().unwrap_or(none);
        let all = [accidents, killed, injured];
        if all.iter().all(|c| c.current == 0 && c.previous == 0) {
            return None;
        }
        let args = Args::new()
            .with("killed", self.count("traffic_killed"))
            .text("killed_note", self.year_earlier(&killed))
            .with("injured", self.count("traffic_injured"))
            .text("injured_note", self.year_earlier(&injured));
        let casualties = self.c.fill("traffic.casualties", &args);
        Some(capitalize(&(self.traffic_trend(&accidents) + &casualties), self.lang))
    }

    fn traffic_trend(&self, accidents: &Change) -> String {
        let args = Args::new().text("chance", self.chance(accidents));
        match accidents.percent {
            None => self.c.fill("traffic.count", &args.with("accidents", self.count("traffic_accidents"))),
            Some(_) if accidents.absolute == 0 => self.c.text("traffic.same").to_string(),
            Some(p) if p < 0.0 => self.c.fill("traffic.down", &args.with("percent", self.percent(-p))),
            Some(p) => self.c.fill("traffic.up", &args.with("percent", self.percent(p))),
        }
    }

    /// " (16 a year earlier, within what chance alone explains)", or nothing
    /// when the figure did not change.
    fn year_earlier(&self, change: &Change) -> String {
        if change.absolute == 0 || self.no_previous() {
            return String::new();
        }
        let args = Args::new().with("previous", self.number(change.previous)).text("chance", self.chance(change));
        self.c.fill("traffic.note", &args)
    }

    fn damage(&self) -> Option<String> {
        let damage = self.current("damage");
        if damage <= 0 {
            return None;
        }
        let damage = self.mark("damage").unwrap_or_else(|| money(self.c, &self.report.currency, damage));
        let args = Args::new().text("damage", damage);
        self.with_share("reimbursed_share", "damage.sentence", "share", args, None)
    }

    fn reports(&self) -> Option<String> {
        let decided = self.count("reports_decided");
        self.with_share("in_time_share", "reports.sentence", "share", Args::new().with("decided", decided), None)
    }

    fn satisfaction(&self) -> Option<String> {
        let rated = self.count("satisfaction_rated");
        self.with_share("satisfied_share", "satisfaction.sentence", "share", Args::new().with("rated", rated), None)
    }

    /// The citizens' appeals received, the share answered (or referred) on
    /// time and the share of the applicants who rated the handling that were
    /// satisfied; nothing under counting rules that count no appeals, or in
    /// a period without any. A share without a denominator is left out.
    fn appeals(&self) -> Option<String> {
        let received = self.figure("appeals_received")?;
        if received.change.current == 0 {
            return None;
        }
        let mut parts =
            vec![self.c.fill("appeals.received", &Args::new().with("received", self.count(&received.code)))];
        let shares = [
            ("appeals_on_time_share", "appeals.on_time", "answered", "appeals_answered"),
            ("appeals_satisfied_share", "appeals.satisfied", "rated", "appeals_rated"),
        ];
        for (share, key, arg, counted) in shares {
            // Both shares are of one kind of case, so they always read as a per cent.
            if let Some(Reading::Percent(percent, definition)) = self.share(share) {
                let args =
                    Args::new().with(arg, self.count(counted)).with("share", percent).text("definition", definition);
                parts.push(self.c.fill(key, &args));
            }
        }
        Some(capitalize(&format!("{}.", parts.join("; ")), self.lang))
    }
}

/// The kind in a name like "Non-obvious crimes solved: theft" ("theft"):
/// the catalogue names the kind after the colon in every language.
fn kind_of(name: &str) -> &str {
    name.split_once(": ").map_or(name, |(_, kind)| kind)
}
