//! Any text as the article catalogue (data/jurisdictions/azerbaijan/articles.toml). An accepted
//! catalogue classifies consistently: the gravity class never falls as the
//! maximum penalty grows, each entry is the one in force over its own span
//! and its class is the one its penalty gives, and every code reads back.
#![no_main]

use crimeboard_domain::catalogue::{ArticleRef, Catalogue, MaxPenalty};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(catalogue) = Catalogue::from_toml(text) else { return };
    // A catalogue without gravity has no classes to hold in order.
    let fallback = crimeboard_domain::catalogue::GravityThresholds {
        not_great_public_danger_max_months: 24,
        less_serious_max_months: 84,
        serious_max_months: 144,
    };
    let t = catalogue.gravity.as_ref().unwrap_or(&fallback);
    let mut months: Vec<u32> = [t.not_great_public_danger_max_months, t.less_serious_max_months, t.serious_max_months]
        .iter()
        .flat_map(|m| [m.saturating_sub(1), *m, m.saturating_add(1)])
        .chain([0, u32::MAX])
        .collect();
    months.sort();
    let classes: Vec<_> = months.iter().map(|m| t.classify(MaxPenalty::Months(*m))).collect();
    assert!(classes.windows(2).all(|w| w[0] <= w[1]), "gravity falls as the penalty grows: {months:?} {classes:?}");
    assert!(classes.iter().all(|c| *c <= t.classify(MaxPenalty::Life)));

    for e in catalogue.entries() {
        assert_eq!(ArticleRef::parse(&e.code.to_string()).as_ref(), Some(&e.code));
        let mut days = vec![e.effective_from];
        if let Some(to) = e.effective_to {
            days.push(to.pred_opt().expect("effective_to is after effective_from"));
        }
        for day in days {
            let found = catalogue.entry("articles[0]", &e.code, day).expect("an entry is in force over its span");
            assert_eq!(found.effective_from, e.effective_from, "{} on {day}", e.code);
            let c = catalogue.classify("articles[0]", &e.code, day).unwrap();
            let expected = catalogue.gravity.as_ref().zip(e.max_penalty).map(|(g, max)| g.classify(max));
            assert_eq!(c.gravity, expected);
            assert_eq!(c.tags, e.tags);
        }
    }
});
