//! The Board's narrative, in the manner of the Ministry's press releases:
//! the solved share of the crimes recorded, which crime categories fell
//! against last year, better solving of non-obvious crimes, narcotics,
//! traffic, reports and applicants' satisfaction, damage reimbursed; and a
//! closing line saying how and from what the figures were counted.
//!
//! Every figure is read from the report's scope unit. A sentence whose
//! figures are absent or all zero is left out rather than printed as "0".

use crate::case::{capitalize, lower_first};
use crate::locale::{Args, Catalog, Value, catalog};
use crate::numbers::{decimal, integer, money, weight};
use crate::period_phrase::{compared_with, during};
use crate::{Lang, name_in};
use crimeboard_domain::units::Names;
use crimeboard_stats::Change;
use crimeboard_stats::board::{BoardReport, UnitFigures};

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
        Some(scope) => Writer { c, lang, report, scope }.paragraphs(),
        None => Vec::new(),
    };
    blocks.push(footer(c, report));
    let mut text = blocks.join("\n\n");
    text.push('\n');
    text
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
}

impl Writer<'_> {
    fn paragraphs(&self) -> Vec<String> {
        let groups = [
            vec![Some(self.headline()), self.decreases()],
            vec![self.non_obvious(), self.narcotics(), self.traffic()],
            vec![self.reports(), self.satisfaction(), self.damage()],
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

    /// A share of the current period, in per cent.
    fn share(&self, code: &str) -> Option<f64> {
        self.scope.shares.iter().find(|s| s.code == code).and_then(|s| s.current)
    }

    fn number(&self, n: i64) -> Value {
        integer(self.c, n)
    }

    fn percent(&self, x: f64) -> Value {
        decimal(self.c, x)
    }

    /// An indicator's name as it reads inside a sentence: "thefts".
    fn inline_name(&self, names: &Names) -> String {
        lower_first(name_in(names, self.lang), self.lang)
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
        let recorded = self.number(self.current("crimes_recorded"));
        let args = Args::new()
            .text("period", during(self.c, &self.report.period))
            .text("recorder", self.recorder())
            .with("recorded", recorded);
        match self.share("solved_share") {
            Some(share) => self.sentence("headline.share", &args.with("solved_share", self.percent(share))),
            None => self.sentence("headline.no_share", &args),
        }
    }

    /// Who recorded the crimes: both bodies at the root, else the unit.
    fn recorder(&self) -> String {
        if self.scope.parent.is_none() {
            return self.c.text("recorder.root").to_string();
        }
        let name = name_in(&self.scope.name, self.lang);
        self.c.fill("recorder.unit", &Args::new().text("unit", name))
    }

    fn decreases(&self) -> Option<String> {
        let is_category = |code: &String| CRIME_CATEGORIES.contains(&code.as_str());
        let mut categories: Vec<_> = self.scope.figures.iter().filter(|f| is_category(&f.code)).collect();
        if categories.is_empty() {
            return None;
        }
        categories.sort_by_key(|f| CRIME_CATEGORIES.iter().position(|c| *c == f.code));
        let items: Vec<String> = categories
            .into_iter()
            .filter(|f| f.change.absolute < 0)
            .map(|f| self.item(&self.inline_name(&f.name), &f.change))
            .collect();
        let previous = self.previous_period();
        if items.is_empty() {
            return Some(self.sentence("decrease.none", &Args::new().text("previous", previous)));
        }
        let args = Args::new().text("items", self.c.list(&items)).text("previous", previous);
        Some(self.sentence("decrease.sentence", &args))
    }

    /// "thefts (by 23.1 percent)" or "hooliganism (up 40 percent, within what chance alone explains)".
    fn item(&self, name: &str, change: &Change) -> String {
        let how = match change.percent {
            Some(p) if change.absolute < 0 => {
                self.c.fill("change.down", &Args::new().with("percent", self.percent(-p)))
            }
            Some(p) => self.c.fill("change.up", &Args::new().with("percent", self.percent(p))),
            None => self.c.fill("change.from_zero", &Args::new().with("current", self.number(change.current))),
        };
        let args = Args::new().text("name", name).text("change", how).text("chance", self.chance(change));
        self.c.fill("change.item", &args)
    }

    fn non_obvious(&self) -> Option<String> {
        let items: Vec<String> = self
            .scope
            .figures
            .iter()
            .filter(|f| f.code.starts_with(NON_OBVIOUS_SOLVED_PREFIX) && f.change.absolute > 0)
            .map(|f| self.item(&lower_first(kind_of(name_in(&f.name, self.lang)), self.lang), &f.change))
            .collect();
        if items.is_empty() {
            return None;
        }
        Some(self.sentence("non_obvious.sentence", &Args::new().text("items", self.c.list(&items))))
    }

    fn narcotics(&self) -> Option<String> {
        let (grams, persons) = (self.current("narcotics_grams"), self.current("drug_persons_accountable"));
        let args = Args::new().text("weight", weight(self.c, grams)).with("persons", self.number(persons));
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
            .with("killed", self.number(killed.current))
            .text("killed_note", self.year_earlier(&killed))
            .with("injured", self.number(injured.current))
            .text("injured_note", self.year_earlier(&injured));
        let casualties = self.c.fill("traffic.casualties", &args);
        Some(capitalize(&(self.traffic_trend(&accidents) + &casualties), self.lang))
    }

    fn traffic_trend(&self, accidents: &Change) -> String {
        let args = Args::new().text("chance", self.chance(accidents));
        match accidents.percent {
            None => self.c.fill("traffic.count", &args.with("accidents", self.number(accidents.current))),
            Some(_) if accidents.absolute == 0 => self.c.text("traffic.same").to_string(),
            Some(p) if p < 0.0 => self.c.fill("traffic.down", &args.with("percent", self.percent(-p))),
            Some(p) => self.c.fill("traffic.up", &args.with("percent", self.percent(p))),
        }
    }

    /// " (16 a year earlier, within what chance alone explains)", or nothing
    /// when the figure did not change.
    fn year_earlier(&self, change: &Change) -> String {
        if change.absolute == 0 {
            return String::new();
        }
        let args = Args::new().with("previous", self.number(change.previous)).text("chance", self.chance(change));
        self.c.fill("traffic.note", &args)
    }

    fn damage(&self) -> Option<String> {
        let damage = self.current("damage");
        let share = self.share("reimbursed_share").filter(|_| damage > 0)?;
        let args = Args::new().with("share", self.percent(share)).text("damage", money(self.c, damage));
        Some(self.sentence("damage.sentence", &args))
    }

    fn reports(&self) -> Option<String> {
        let share = self.share("in_time_share")?;
        let decided = self.number(self.current("reports_decided"));
        let args = Args::new().with("share", self.percent(share)).with("decided", decided);
        Some(self.sentence("reports.sentence", &args))
    }

    fn satisfaction(&self) -> Option<String> {
        let share = self.share("satisfied_share")?;
        let rated = self.number(self.current("satisfaction_rated"));
        let args = Args::new().with("share", self.percent(share)).with("rated", rated);
        Some(self.sentence("satisfaction.sentence", &args))
    }
}

/// The kind in a name like "Non-obvious crimes solved: theft" ("theft"):
/// the catalogue names the kind after the colon in every language.
fn kind_of(name: &str) -> &str {
    name.split_once(": ").map_or(name, |(_, kind)| kind)
}
