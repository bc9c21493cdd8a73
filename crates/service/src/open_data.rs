//! The figures for a government open-data portal: every unit of the tree
//! (rolled up as in the Board's report), every indicator, month by month,
//! read from the maintained counters (which hold no personal data), with
//! small cells and what would reveal them hidden (`crimeboard_stats::disclosure`).

use crate::{Registry, Result, Structure};
use crimeboard_domain::error::Violation;
use crimeboard_domain::publication::PublicationKind;
use crimeboard_stats::Period;
use crimeboard_stats::board::{Sums, group_name};
use crimeboard_stats::disclosure::{self, OpenData, OpenIndicator, OpenUnit};
use crimeboard_stats::indicators::split_group_code;
use crimeboard_store::SumQuery;
use std::collections::BTreeSet;

impl Registry {
    /// The open data of a period made of whole months, from the counters,
    /// cells above zero and below `threshold` (and what would reveal them)
    /// hidden, rolled up under the unit tree `structure` names, as a report is.
    pub fn open_data(&self, period: Period, threshold: i64, structure: Structure) -> Result<OpenData> {
        let (months, loose) = period.split_months();
        if !loose.is_empty() || months.is_empty() {
            return Err(Violation::new("period", "period.whole_months").with("period", period).into());
        }
        if threshold < 1 {
            return Err(Violation::new("threshold", "number.range").with("min", 1).into());
        }
        let months: Vec<String> = months.into_iter().map(|(y, m)| format!("{y:04}-{m:02}")).collect();
        let queries: Vec<SumQuery> =
            months.iter().map(|m| SumQuery { months: vec![m.clone()], days: vec![] }).collect();
        let (sums, position) = self.store.sum_counts(&queries)?;
        let own: Vec<(String, Sums)> = months
            .iter()
            .cloned()
            .zip(sums.into_iter().map(|rows| {
                let mut s = Sums::new();
                for r in rows {
                    *s.entry((r.unit, r.indicator)).or_default() += r.value;
                }
                s
            }))
            .collect();
        let pack = self.jurisdiction();
        let set = &pack.indicators;
        let naming = crate::figures::naming(&pack);
        let tree = self.tree_for(period, structure);
        let cells = disclosure::disclose(set, &tree, &own, threshold);

        let mut units: Vec<OpenUnit> = tree
            .all()
            .map(|u| OpenUnit { code: u.code.clone(), parent: u.parent.clone(), name: u.names.clone() })
            .collect();
        units.sort_by_key(|u| (tree.ancestors(&u.code).count(), u.code.clone()));
        let mut seen = BTreeSet::new();
        let mut indicators = Vec::new();
        for code in cells.iter().map(|c| &c.indicator) {
            if !seen.insert(code.clone()) {
                continue;
            }
            let (ind, name) = match split_group_code(code) {
                Some((base, values)) if code.contains('/') => {
                    let Some(ind) = set.get(base) else { continue };
                    (ind, group_name(ind, &values, &naming))
                }
                _ => {
                    let Some(ind) = set.get(code) else { continue };
                    (ind, ind.name.clone())
                }
            };
            indicators.push(OpenIndicator {
                code: code.clone(),
                name,
                measure: ind.measure,
                unit: ind.unit,
                counted: disclosure::is_counted(ind.measure),
                companion: disclosure::companion(set, ind).map(|c| c.code.clone()),
            });
        }
        let root = self.scope(None)?;
        let published = self.publications_of(period, &root)?;
        let revision = published.iter().filter(|p| p.kind == PublicationKind::OpenData).count();
        Ok(OpenData {
            period,
            months,
            position,
            revision: u32::try_from(revision).unwrap_or(u32::MAX),
            counting_rules: set.version.clone(),
            currency: pack.currency.clone(),
            threshold,
            generated_at: self.now(),
            units,
            indicators,
            cells,
            name_fallback: naming.fallback,
        })
    }
}
