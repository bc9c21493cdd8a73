//! The England and Wales pack as it ships: it loads whole, its civil days
//! are London's, summer and winter, its bank holidays are no working days,
//! its offences are police.uk's categories without gravity, and its counting
//! rules name only the groupings its catalogue declares.

use chrono::{NaiveDate, TimeZone, Utc};
use crimeboard_domain::catalogue::{ArticleRef, CodeForm, Tag};
use crimeboard_domain::jurisdiction::SymbolPosition;
use crimeboard_service::{Jurisdiction, read_folder};

fn pack() -> Jurisdiction {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/jurisdictions/england-wales");
    Jurisdiction::from_files(&read_folder(&dir).unwrap()).unwrap_or_else(|p| panic!("{p:?}"))
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn the_pack_counts_londons_days_and_bank_holidays() {
    let ew = pack();
    assert_eq!((ew.code.as_str(), ew.currency.code.as_str(), ew.default_language.as_str()), ("EW", "GBP", "en"));
    assert_eq!((ew.currency.symbol.as_str(), ew.currency.name.en.form("other")), ("£", "pounds"));
    assert_eq!((ew.currency.symbol_position, ew.currency.symbol_is_spaced()), (SymbolPosition::Before, false));
    let rules = &ew.rules;
    // 23:30 UTC is the next day in summer (BST) and the same day in winter (GMT).
    assert_eq!(rules.local_date(Utc.with_ymd_and_hms(2018, 7, 14, 23, 30, 0).unwrap()), day("2018-07-15"));
    assert_eq!(rules.local_date(Utc.with_ymd_and_hms(2018, 1, 14, 23, 30, 0).unwrap()), day("2018-01-14"));
    for holiday in ["2018-08-27", "2020-05-08", "2022-06-03", "2022-09-19", "2023-05-08", "2021-12-28"] {
        assert!(!rules.is_working_day(day(holiday)), "{holiday} is a bank holiday");
    }
    assert!(rules.is_working_day(day("2020-05-04")), "the early May holiday of 2020 moved to VE Day");
}

#[test]
fn the_packs_offences_are_police_uk_categories_in_home_office_groups() {
    let ew = pack();
    let catalogue = &ew.catalogue;
    assert_eq!((catalogue.codes, catalogue.gravity.is_none()), (CodeForm::Plain, true));
    assert_eq!(catalogue.entries().count(), 13, "police.uk's crime types less anti-social behaviour");
    let burglary =
        catalogue.classify("articles[0]", &ArticleRef::parse("burglary").unwrap(), day("2018-07-15")).unwrap();
    assert_eq!((burglary.gravity, burglary.tags), (None, vec![Tag::new("theft_offences")]));
    for entry in catalogue.entries() {
        assert_eq!(entry.tags.len(), 1, "{}: one Home Office group", entry.code);
    }
    assert_eq!(ew.indicators.check_against(catalogue), Ok(()));
    assert!(ew.units.iter().any(|u| u.code.as_str() == "WYP-LDS"));
}
