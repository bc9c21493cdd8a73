//! `crimeboard receptions schedule FILE`: a chief's schedule recorded as one
//! batch, each session numbered in its unit's register; a file scheduling the
//! same chief twice at overlapping hours is refused naming the session and
//! the rule in the language asked for, and nothing of it is written.

use super::{TempDir, crimeboard, fails, ok, registry};
use crimeboard_domain::EntityKind;
use crimeboard_service::ListParams;

const PACK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/jurisdictions/azerbaijan");

/// A session of the Nasimi district's chief on a day far ahead, from `from` to `to`.
fn session(day: &str, from: &str, to: &str) -> String {
    format!(
        "[[session]]\nunit = \"BAK-NSM\"\nday = \"{day}\"\nfrom = \"{from}\"\nto = \"{to}\"\n\
         place = \"Room 12\"\ncapacity = 10\nchief = {{ full_name = \"Rauf Əliyev\", position = \"Chief\" }}\n\n"
    )
}

fn sessions(db: &str) -> usize {
    let params = ListParams { kind: Some(EntityKind::Reception), ..Default::default() };
    registry(db).list(&params).expect("list").items.len()
}

#[test]
fn a_schedule_file_is_recorded_whole_or_not_at_all() {
    let dir = TempDir::new("receptions");
    let db = dir.file("receptions.sqlite");
    let out = crimeboard(&["init", "--db", &db, "--jurisdiction", PACK]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let schedule = dir.file("schedule.toml");
    std::fs::write(&schedule, session("2099-03-02", "10:00", "13:00") + &session("2099-03-09", "10:00", "13:00"))
        .expect("write");
    let printed = ok(&["receptions", "schedule", "--db", &db, &schedule]);
    let numbers: Vec<&str> = printed.lines().filter_map(|l| l.split('\t').next()).collect();
    assert_eq!(numbers, ["RC-BAK-NSM-2099-000001", "RC-BAK-NSM-2099-000002"], "{printed}");

    // The same chief again on the 16th, and twice on the 23rd: refused at the fourth, nothing written.
    let clashing = dir.file("clashing.toml");
    let file = session("2099-03-16", "10:00", "13:00")
        + &session("2099-03-23", "10:00", "13:00")
        + &session("2099-03-23", "12:00", "14:00");
    std::fs::write(&clashing, file).expect("write");
    let err = fails(&["receptions", "schedule", "--db", &db, "--lang", "en", &clashing]);
    assert!(err.contains("item 2") && err.contains("already holds a session at these hours"), "{err}");
    assert_eq!(sessions(&db), 2, "nothing of the refused file is written");

    let unknown = dir.file("unknown.toml");
    std::fs::write(&unknown, session("2099-03-30", "10:00", "13:00").replace("capacity", "seats")).expect("write");
    let err = fails(&["receptions", "schedule", "--db", &db, &unknown]);
    assert!(err.contains("seats"), "{err}");
    assert_eq!(sessions(&db), 2);
}
