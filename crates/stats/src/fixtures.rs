//! What the crate's unit tests build their reports from: a district of the
//! tree and the demo pack's currency, one copy for every module's tests.

use crimeboard_domain::jurisdiction::Currency;
use crimeboard_domain::units::{Agency, Names, Unit, UnitCode, UnitKind};

/// A district named by its code in every language, under `parent`.
pub(crate) fn unit(code: &str, parent: Option<&str>) -> Unit {
    Unit {
        code: UnitCode::parse(code).unwrap(),
        parent: parent.map(|p| UnitCode::parse(p).unwrap()),
        kind: UnitKind::District,
        agency: Agency::Mia,
        names: Names { az: code.into(), ru: code.into(), en: code.into() },
    }
}

/// The manat, as the demo pack writes it.
pub(crate) fn demo_currency() -> Currency {
    let about: toml::Table =
        toml::from_str(include_str!("../../../data/jurisdictions/azerbaijan/jurisdiction.toml")).unwrap();
    about["currency"].clone().try_into().unwrap()
}
