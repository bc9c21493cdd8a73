//! Figures split by the flags a case carries and the catalogue's groupings
//! it falls in: a case counts in the group of each, the maintained counters
//! follow a reclassification, and the recount, the scan, the report and the
//! open data agree, on every backend.

use crate::support::*;
use crimeboard_domain::Command;
use crimeboard_domain::case::{CaseFlags, Reclassify};
use crimeboard_domain::catalogue::ArticleRef;
use crimeboard_service::{ReferenceData, Registry, demo_units};
use crimeboard_stats::{IndicatorSet, Period};
use std::sync::Arc;

const GROUPED: &str = r#"
version = "grouped-1"
[[indicator]]
code = "crimes_recorded"
name = { az = "a", ru = "r", en = "Crimes" }
counts = "case"
by = "registered"
measure = "count"

[[indicator]]
code = "by_flag"
name = { az = "a", ru = "r", en = "By flag" }
counts = "case"
by = "registered"
measure = "count"
group_by = "flag"

[[indicator]]
code = "by_tag"
name = { az = "a", ru = "r", en = "By grouping" }
counts = "case"
by = "registered"
measure = "count"
group_by = "tag"

[[indicator]]
code = "by_category_flag"
name = { az = "a", ru = "r", en = "By category and flag" }
counts = "case"
by = "registered"
measure = "count"
group_by = ["category", "flag"]
"#;

fn each_grouped_backend(test: impl Fn(&Env)) {
    for db in crimeboard_store::testing::backends() {
        let indicators = IndicatorSet::from_toml(GROUPED).unwrap();
        let reference = ReferenceData { indicators: Arc::new(indicators), ..ReferenceData::defaults() };
        reference.indicators.check_against(&reference.catalogue).unwrap();
        let registry = Registry::new(db.store.clone(), reference, Arc::new(|| at(NOW))).unwrap();
        registry.add_units(&as_system(&registry), &demo_units()).unwrap();
        let env = Env { db, registry };
        eprintln!("-- backend: {}", env.db.name);
        test(&env);
    }
}

fn open(env: &Env, article: &str, category: &str, flags: CaseFlags) -> uuid::Uuid {
    let mut c = new_case(vec![], "2024-04-03T09:00:00Z");
    c.detected_by_police = true;
    c.articles = vec![ArticleRef::parse(article).unwrap()];
    c.category = Some(category.into());
    c.flags = flags;
    ok(env, Command::OpenCase(c)).entity_id
}

#[test]
fn a_case_counts_once_in_each_of_its_flags_and_groupings() {
    each_grouped_backend(|env| {
        let both = CaseFlags { public_place: true, non_obvious: true, ..CaseFlags::default() };
        let theft = open(env, "177.2", "Burglary", both);
        open(env, "178.1", "Fraud", CaseFlags { group: true, ..CaseFlags::default() });
        let april = || Period::parse("2024-04").unwrap();
        let report = env.registry.report(april(), None).unwrap();
        let figure = |report: &crimeboard_stats::board::BoardReport, code: &str| {
            report.figure(code).map_or(0, |f| f.change.current)
        };
        assert_eq!(figure(&report, "crimes_recorded"), 2);
        for (code, n) in [
            ("by_flag/public_place", 1),
            ("by_flag/non_obvious", 1),
            ("by_flag/group", 1),
            ("by_flag/intoxication", 0),
            ("by_tag/property", 2),
            ("by_tag/theft", 1),
            ("by_tag/fraud", 1),
            ("by_category_flag/Burglary/public_place", 1),
            ("by_category_flag/Burglary/non_obvious", 1),
            ("by_category_flag/Fraud/group", 1),
            ("by_category_flag/Fraud/public_place", 0),
        ] {
            assert_eq!(figure(&report, code), n, "{code} on {}", env.db.name);
        }
        let by_scan = env.registry.report_by_scan(april(), None).unwrap();
        assert_eq!(by_scan.scope().figures, report.scope().figures, "the scan counts the same");

        // Reclassified from theft to fraud, the case moves between the groupings.
        let reclassify = Reclassify {
            case_id: theft,
            articles: vec![ArticleRef::parse("178.1").unwrap()],
            reason: "Fraud, not theft".into(),
            decided_at: at("2024-04-05T09:00:00Z"),
        };
        ok(env, Command::Reclassify(reclassify));
        let report = env.registry.report(april(), None).unwrap();
        assert_eq!((figure(&report, "by_tag/theft"), figure(&report, "by_tag/fraud")), (0, 2));
        assert_eq!(figure(&report, "by_tag/property"), 2);
        assert_eq!(env.registry.verify_counters().unwrap(), vec![], "counters equal a recount on {}", env.db.name);

        let data = env.registry.open_data(april(), 1).unwrap();
        let nasimi = data
            .cells
            .iter()
            .find(|c| c.month == "2024-04" && c.unit.as_str() == "BAK-NSM" && c.indicator == "by_flag/public_place")
            .expect("the open data has the flag's group");
        assert_eq!(nasimi.value, Some(1));
    });
}
