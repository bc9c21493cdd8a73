//! Any text as the deadline rules (data/jurisdictions/azerbaijan/rules.toml). Accepted rules answer
//! every question the registry asks of them without a panic, for any day a
//! record can carry: the civil day of an instant, the start of a day, and
//! the deadline with each extension the rule allows (and a refusal past them).
#![no_main]

use chrono::{DateTime, NaiveDate, Utc};
use crimeboard_domain::rules::{Procedure, Rules};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(rules) = Rules::from_toml(text) else { return };
    for at in instants() {
        let day = rules.local_date(at);
        let _ = rules.local_time(at);
        let _ = rules.start_of_day(day);
        for procedure in [Procedure::CrimeReport, Procedure::CitizenAppeal] {
            let allowed = rules.extensions(procedure, at).len();
            let mut due = Vec::new();
            for n in 0..=allowed + 1 {
                match rules.deadline(procedure, at, n) {
                    Ok(d) => due.push(d),
                    Err(v) => assert!(!v.rule.is_empty()),
                }
            }
            if rules.rule_for(procedure, day).is_some() {
                assert_eq!(due.len(), allowed + 1, "each allowed extension has its deadline");
            }
        }
    }
});

/// The days records carry: the rules' own, and the ends of the four-digit years.
fn instants() -> Vec<DateTime<Utc>> {
    let days = ["0001-01-01", "2000-09-01", "2016-03-16", "2016-03-17", "2024-02-29", "2024-12-31", "9999-12-31"];
    days.iter().map(|d| d.parse::<NaiveDate>().unwrap().and_hms_opt(21, 30, 0).unwrap().and_utc()).collect()
}
