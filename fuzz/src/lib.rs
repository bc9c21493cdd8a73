//! What the fuzz targets share: the reference data the registry ships, and
//! the walk over a CSV file that the importer makes, with the promises each
//! row's outcome keeps.

use chrono::{DateTime, Utc};
use crimeboard_domain::Context;
use crimeboard_domain::catalogue::ArticleRef;
use crimeboard_domain::units::UnitTree;
use crimeboard_import::{Mapping, PlannedKind, PlannedRows, check_planned};
use crimeboard_service::{Jurisdiction, PackFiles};
use std::sync::{Arc, LazyLock};

/// The shipped demo pack, read once per process.
pub static REFERENCE: LazyLock<Arc<Jurisdiction>> = LazyLock::new(Jurisdiction::demo);

/// The England and Wales pack, whose codes the police.uk mapping files crimes under.
pub static ENGLAND_WALES: LazyLock<Arc<Jurisdiction>> = LazyLock::new(|| {
    macro_rules! pack {
        ($($name:literal),*) => {
            PackFiles([$(($name.to_string(), include_str!(concat!("../../data/jurisdictions/england-wales/", $name)).to_string())),*].into())
        };
    }
    let files = pack!("jurisdiction.toml", "rules.toml", "articles.toml", "indicators.toml", "units.toml");
    Arc::new(Jurisdiction::from_files(&files).expect("the England and Wales pack is valid"))
});

/// "Now" for the rules that look at it (no date in the future).
pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2024-04-19T10:00:00Z").unwrap().with_timezone(&Utc)
}

/// Reads `data` as a CSV file through `mapping`, as `import` does, and checks
/// every row: an accepted row keeps its line, names its source and passes
/// the domain's own checks or is refused by them cleanly; a refused row says
/// why, in at least one problem with a rule and a message.
pub fn check_rows(mapping: &Mapping, reference: &Jurisdiction, data: &[u8]) {
    let Ok(mut rows) = PlannedRows::new(data, mapping) else {
        return; // a header the mapping does not fit: the import stops before any row
    };
    // The units a registry would have: the mapping's own tree, or the pack's.
    let units = match mapping.unit_tree() {
        [] => UnitTree::new(reference.units.clone()).ok(),
        own => UnitTree::new(own.to_vec()).ok(),
    };
    let mut last_end = 0;
    let mut last_line = 0;
    while let Ok(Some(row)) = rows.next_row(&reference.rules) {
        assert!(row.end >= last_end && row.end <= data.len() as u64, "row ends at {} of {}", row.end, data.len());
        assert!(row.line > last_line, "each row has a line of its own: {} after {}", row.line, last_line);
        (last_end, last_line) = (row.end, row.line);
        match &row.plan {
            Ok(planned) => {
                assert_eq!(planned.line, row.line);
                let source = planned.source();
                assert_eq!(source.system, mapping.system());
                assert!(!source.id.is_empty(), "an accepted row has an identity");
                if let PlannedKind::Case { case, .. } = &planned.kind {
                    for a in &case.articles {
                        assert_eq!(ArticleRef::parse(&a.to_string()).as_ref(), Some(a), "article {a} reads back");
                    }
                }
                if let Some(units) = &units {
                    let ctx = Context { catalogue: &reference.catalogue, rules: &reference.rules, units, now: now() };
                    if let Err(rejected) = check_planned(planned, &ctx) {
                        assert!(!rejected.0.is_empty(), "a refusal names a rule");
                    }
                }
            }
            Err(problems) => {
                assert!(!problems.is_empty(), "line {}: refused without a reason", row.line);
                for p in problems {
                    assert!(!p.rule.is_empty() && !p.message.is_empty(), "{p:?}");
                }
            }
        }
    }
}
