//! Reference data loaded at start: the article catalogue and the deadline
//! rules. The files shipped in `data/` are embedded as defaults; an
//! installation points at its own files instead.

use crimeboard_domain::catalogue::Catalogue;
use crimeboard_domain::rules::Rules;
use crimeboard_domain::units::Unit;
use crimeboard_stats::IndicatorSet;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Clone)]
pub struct ReferenceData {
    pub catalogue: Arc<Catalogue>,
    pub rules: Arc<Rules>,
    pub indicators: Arc<IndicatorSet>,
}

impl ReferenceData {
    pub fn defaults() -> ReferenceData {
        ReferenceData {
            catalogue: Arc::new(default_catalogue()),
            rules: Arc::new(default_rules()),
            indicators: Arc::new(default_indicators()),
        }
    }

    /// Loads a catalogue and rules from files, falling back to the shipped ones.
    pub fn load(catalogue: Option<&std::path::Path>, rules: Option<&std::path::Path>) -> Result<ReferenceData, String> {
        let read = |p: &std::path::Path| std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));
        let catalogue = match catalogue {
            Some(p) => Catalogue::from_toml(&read(p)?).map_err(|e| format!("{}: {e}", p.display()))?,
            None => default_catalogue(),
        };
        let rules = match rules {
            Some(p) => Rules::from_toml(&read(p)?).map_err(|e| format!("{}: {e}", p.display()))?,
            None => default_rules(),
        };
        Ok(ReferenceData {
            catalogue: Arc::new(catalogue),
            rules: Arc::new(rules),
            indicators: Arc::new(default_indicators()),
        })
    }
}

pub fn default_catalogue() -> Catalogue {
    Catalogue::from_toml(include_str!("../../../data/articles.toml")).expect("the shipped catalogue is valid")
}

pub fn default_indicators() -> IndicatorSet {
    IndicatorSet::from_toml(include_str!("../../../data/indicators.toml"))
        .expect("the shipped counting rules are valid")
}

pub fn default_rules() -> Rules {
    Rules::from_toml(include_str!("../../../data/rules.toml")).expect("the shipped rules are valid")
}

#[derive(Deserialize)]
struct UnitsFile {
    unit: Vec<Unit>,
}

/// The demo's territorial units, parents before children.
pub fn demo_units() -> Vec<Unit> {
    let file: UnitsFile =
        toml::from_str(include_str!("../../../data/units.toml")).expect("the shipped units are valid");
    file.unit
}
