//! What the fuzz targets share: the reference data the registry ships, and
//! the walk over a CSV file that the importer makes, with the promises each
//! row's outcome keeps.

use chrono::{DateTime, Utc};
use crimeboard_domain::Context;
use crimeboard_domain::catalogue::ArticleRef;
use crimeboard_domain::units::UnitTree;
use crimeboard_import::{Mapping, PlannedKind, PlannedRows, check_planned};
use crimeboard_service::ReferenceData;
use std::sync::LazyLock;

/// The shipped catalogue and rules, read once per process.
pub static REFERENCE: LazyLock<ReferenceData> = LazyLock::new(ReferenceData::defaults);

/// The England and Wales pack's catalogue, whose codes the police.uk mapping
/// files crimes under (with the shipped rules until the rules name zones).
pub static ENGLAND_WALES: LazyLock<ReferenceData> = LazyLock::new(|| {
    let text = include_str!("../../data/jurisdictions/england-wales/articles.toml");
    let catalogue = crimeboard_domain::catalogue::Catalogue::from_toml(text).expect("the pack's catalogue is valid");
    ReferenceData { catalogue: std::sync::Arc::new(catalogue), ..ReferenceData::defaults() }
});

/// "Now" for the rules that look at it (no date in the future).
pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2024-04-19T10:00:00Z").unwrap().with_timezone(&Utc)
}

/// Reads `data` as a CSV file through `mapping`, as `import` does, and checks
/// every row: an accepted row keeps its line, names its source and passes
/// the domain's own checks or is refused by them cleanly; a refused row says
/// why, in at least one problem with a rule and a message.
pub fn check_rows(mapping: &Mapping, reference: &ReferenceData, data: &[u8]) {
    let Ok(mut rows) = PlannedRows::new(data, mapping) else {
        return; // a header the mapping does not fit: the import stops before any row
    };
    // The units a registry would have after the mapping added its own.
    let units = UnitTree::new(mapping.unit_tree().to_vec()).ok();
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
