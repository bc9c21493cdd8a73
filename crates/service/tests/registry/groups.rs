//! Figures split by the flags a case carries and the catalogue's groupings
//! it falls in: a case counts in the group of each, the maintained counters
//! follow a reclassification, and the recount, the scan, the report and the
//! open data agree, on every backend.

use crate::support::*;
use chrono::NaiveDate;
use crimeboard_domain::Command;
use crimeboard_domain::case::{CaseFlags, Reclassify};
use crimeboard_domain::catalogue::ArticleRef;
use crimeboard_domain::jurisdiction::Adoption;
use crimeboard_service::{Jurisdiction, Structure, demo_files};
use crimeboard_stats::Period;

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

/// Each backend's registry, under the demo's pack with these counting rules adopted.
fn each_grouped_backend(test: impl Fn(&Env)) {
    each_backend(|env| {
        let mut files = demo_files();
        files.0.insert("indicators.toml".into(), GROUPED.into());
        let adoption = Adoption { files, effective_from: NaiveDate::from_ymd_opt(2024, 4, 1).unwrap() };
        env.registry.adopt_jurisdiction(&as_system(&env.registry), "Order No. 1", adoption).unwrap();
        test(env);
    })
}

#[test]
fn a_pack_whose_counting_rules_ask_what_its_catalogue_lacks_is_refused() {
    let england_wales = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/jurisdictions/england-wales/articles.toml");
    let mut files = demo_files();
    files.0.insert("articles.toml".into(), std::fs::read_to_string(england_wales).unwrap());
    let problems = Jurisdiction::from_files(&files).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].file, "indicators.toml");
    assert!(problems[0].problem.contains("filter.gravity, but catalogue"), "{}", problems[0]);
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

        let data = env.registry.open_data(april(), 1, Structure::InForce).unwrap();
        let nasimi = data
            .cells
            .iter()
            .find(|c| c.month == "2024-04" && c.unit.as_str() == "BAK-NSM" && c.indicator == "by_flag/public_place")
            .expect("the open data has the flag's group");
        assert_eq!(nasimi.value, Some(1));
        // A grouping is named by the catalogue's name for it, in the report and
        // in the open data's names; a flag is shown as it is written.
        let named = |code: &str| report.figure(code).map(|f| f.name.clone()).expect(code);
        assert_eq!(named("by_tag/property").en, "By grouping: Crimes against property");
        assert_eq!(named("by_tag/property").az, "a: Mülkiyyət əleyhinə cinayətlər");
        assert_eq!(named("by_flag/public_place").en, "By flag: public_place");
        let open = data.indicators.iter().find(|i| i.code == "by_tag/fraud").expect("the grouping in the open data");
        assert_eq!(open.name.en, "By grouping: Fraud");
    });
}
