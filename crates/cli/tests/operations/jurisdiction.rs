//! A database bound to a jurisdiction pack that is not the demo's: every
//! command, given no configuration flag, works under the pack it holds.

use super::{DEMO_PACK, POLICE_UK_FILE, POLICE_UK_MAPPING, TempDir, crimeboard, fails, ok, postgres_database};
use std::path::Path;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../service/tests/fixtures/test-pack");

/// The service tests' test pack (its README) written out as a folder.
fn test_pack(dir: &TempDir) -> String {
    let folder = dir.0.join("test-pack");
    std::fs::create_dir_all(&folder).expect("folder");
    let read = |path: String| std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let demo = |name: &str| read(format!("{DEMO_PACK}/{name}"));
    let fixture = |name: &str| read(format!("{FIXTURE}/{name}"));
    let indicators =
        demo("indicators.toml").replacen("version = \"counting-2024.4\"", "version = \"counting-test-1\"", 1);
    let files = [
        ("jurisdiction.toml", fixture("jurisdiction.toml")),
        ("rules.toml", demo("rules.toml")),
        ("articles.toml", demo("articles.toml")),
        ("indicators.toml", indicators + "\n" + &fixture("indicators.extra.toml")),
        ("units.toml", demo("units.toml") + "\n" + &fixture("units.extra.toml")),
    ];
    for (name, text) in files {
        std::fs::write(folder.join(name), text).expect("write");
    }
    folder.display().to_string()
}

/// The police.uk mapping with every row filed under the test pack's own
/// unit and every crime under an article of its (the demo's) catalogue, and
/// the first rows of the police.uk file.
fn tiny_import(dir: &TempDir) -> (String, String) {
    let mapping = std::fs::read_to_string(POLICE_UK_MAPPING).expect("mapping");
    let mut tiny = String::new();
    let mut section = "";
    for line in mapping.lines() {
        if line.starts_with('[') {
            section = line;
        }
        let line = if line.starts_with("empty = ") || line.starts_with("otherwise = ") || line.contains("\" = \"WYP-") {
            format!("{} = \"BAK-TST\"", line.split(" = ").next().unwrap())
        } else if section == "[category.map]" && line.ends_with("\"]") {
            format!("{} = [\"177.1\"]", line.split(" = ").next().unwrap())
        } else {
            line.to_string()
        };
        tiny.push_str(&line);
        tiny.push('\n');
    }
    let csv: Vec<String> =
        std::fs::read_to_string(POLICE_UK_FILE).expect("csv").lines().take(41).map(String::from).collect();
    let (mapping, file) = (dir.file("tiny.toml"), dir.file("tiny.csv"));
    std::fs::write(&mapping, tiny).expect("write");
    std::fs::write(&file, csv.join("\n") + "\n").expect("write");
    (mapping, file)
}

/// A figure of the report's scope, from its JSON.
fn figure(report: &serde_json::Value, code: &str) -> Option<i64> {
    let figures = report["units"][0]["figures"].as_array().expect("figures");
    figures.iter().find(|f| f["code"] == code).map(|f| f["change"]["current"].as_i64().expect("a count"))
}

fn report(db: &str) -> serde_json::Value {
    let out = ok(&["report", "--db", db, "--period", "2018Q3", "--format", "json", "--lang", "en"]);
    serde_json::from_str(&out).expect("the report's JSON")
}

#[test]
fn every_command_works_under_the_pack_the_database_holds_sqlite() {
    let dir = TempDir::new("pack");
    works_under_the_pack(&dir.file("x.sqlite"), &dir);
}

#[test]
fn every_command_works_under_the_pack_the_database_holds_postgres() {
    let Some((_store, url)) = postgres_database() else { return };
    works_under_the_pack(&url, &TempDir::new("pack-pg"));
}

/// `init` with the test pack, then every command with no configuration
/// flag: the figures are the pack's, its own indicator included.
fn works_under_the_pack(db: &str, dir: &TempDir) {
    let pack = test_pack(dir);
    let db = db.to_string();
    let created = crimeboard(&["init", "--db", &db, "--jurisdiction", &pack]);
    let said = String::from_utf8_lossy(&created.stderr);
    assert!(created.status.success() && said.contains("XT") && said.contains("position 1"), "{said}");

    let (mapping, file) = tiny_import(dir);
    ok(&["import", &file, "--mapping", &mapping, "--db", &db]);
    let figures = report(&db);
    assert_eq!(figures["counting_rules"], "counting-test-1");
    let received = figure(&figures, "reports_received").expect("reports received");
    assert!(received > 0, "the import recorded reports: {figures}");
    assert_eq!(figure(&figures, "test_reports_in"), Some(received), "the pack's own indicator counts them");
    let text = ok(&["report", "--db", &db, "--period", "2018Q3", "--lang", "en"]);
    assert!(text.contains("recorded by the Testing Police"), "the narrative names the pack's institution: {text}");
    let unasked = ok(&["report", "--db", &db, "--period", "2018Q3"]);
    assert_eq!(unasked, text, "with no --lang, the report is in the pack's default language, English");

    ok(&["stats", "verify", "--db", &db]);
    ok(&["verify", "--db", &db]);
    let out = dir.file("open-data");
    ok(&["export", "open-data", "--db", &db, "--period", "2018Q3", "--out", &out]);
    let exported: String = std::fs::read_dir(&out)
        .expect("the export")
        .map(|f| std::fs::read_to_string(f.expect("file").path()).unwrap_or_default())
        .collect();
    assert!(exported.contains("test_reports_in") && exported.contains("counting-test-1"), "open data under the pack");

    let show = ok(&["jurisdiction", "show", "--db", &db]);
    assert!(show.contains("jurisdiction XT version test-1") && show.contains("the Testing Police"), "{show}");
    assert!(show.contains("adopted at position 1 (AZ/1)") && show.contains("by jurisdiction"), "{show}");
    assert!(show.contains("counting rules counting-test-1"), "{show}");
    let text = ok(&["jurisdiction", "show", "--db", &db, "indicators.toml"]);
    assert_eq!(text, std::fs::read_to_string(Path::new(&pack).join("indicators.toml")).unwrap());
}

#[test]
fn the_rules_and_the_catalogue_are_not_chosen_per_command() {
    let dir = TempDir::new("flags");
    let db = dir.file("x.sqlite");
    ok(&["init", "--db", &db, "--jurisdiction", DEMO_PACK]);
    let rules = format!("{DEMO_PACK}/rules.toml");
    for command in [&["report", "--period", "2024Q1"][..], &["stats", "verify"], &["verify"], &["serve"]] {
        let err = fails(&[command, &["--db", &db, "--rules", &rules]].concat());
        assert!(err.contains("--rules: the database holds its configuration"), "{command:?}: {err}");
        assert!(err.contains("crimeboard jurisdiction apply"), "{err}");
    }
    let err = fails(&["report", "--db", &db, "--period", "2024Q1", "--catalogue", &rules]);
    assert!(err.contains("--catalogue: the database holds its configuration"), "{err}");
}

#[test]
fn init_refuses_a_database_that_holds_a_registry() {
    let dir = TempDir::new("init-twice");
    let db = dir.file("x.sqlite");
    ok(&["init", "--db", &db, "--jurisdiction", DEMO_PACK]);
    let err = fails(&["init", "--db", &db, "--jurisdiction", DEMO_PACK]);
    assert!(err.contains("already holds a registry") && err.contains("jurisdiction apply"), "{err}");
    let broken = dir.0.join("broken");
    std::fs::create_dir_all(&broken).unwrap();
    for name in ["jurisdiction.toml", "rules.toml", "articles.toml", "indicators.toml", "units.toml"] {
        std::fs::copy(format!("{DEMO_PACK}/{name}"), broken.join(name)).unwrap();
    }
    std::fs::write(broken.join("indicators.toml"), "version = 2\n").unwrap();
    let other = dir.file("other.sqlite");
    let err = fails(&["init", "--db", &other, "--jurisdiction", &broken.display().to_string()]);
    assert!(err.contains("indicators.toml") && err.contains("version"), "names the file and the key: {err}");
    assert!(!Path::new(&other).exists(), "nothing created for an invalid pack");
}

#[test]
fn a_folder_is_compared_with_the_pack_in_force_and_applied() {
    let dir = TempDir::new("apply");
    let pack = test_pack(&dir);
    let db = dir.file("x.sqlite");
    ok(&["init", "--db", &db, "--jurisdiction", &pack]);
    let same = crimeboard(&["jurisdiction", "diff", "--db", &db, &pack]);
    assert_eq!(same.status.code(), Some(0), "{}", String::from_utf8_lossy(&same.stderr));
    let differs = crimeboard(&["jurisdiction", "diff", "--db", &db, DEMO_PACK]);
    assert_eq!(differs.status.code(), Some(1));
    let text = String::from_utf8_lossy(&differs.stdout);
    assert!(text.contains("--- stored/indicators.toml") && text.contains("code = \"test_reports_in\""), "{text}");
    assert!(text.contains("-   18 version = \"counting-test-1\"") && !text.contains("--- stored/rules.toml"), "{text}");

    let apply = ["jurisdiction", "apply", "--db", &db, DEMO_PACK, "--legal-ground", "Order 7", "--effective-from"];
    let applied = ok(&[&apply[..], &["2024-07-01"]].concat());
    assert!(
        applied.contains("adopted AZ") && applied.contains("counters rebuilt under counting rules counting-2024.4"),
        "{applied}"
    );
    ok(&["stats", "verify", "--db", &db]);
    let show = ok(&["jurisdiction", "show", "--db", &db]);
    assert!(show.contains("in effect from 2024-07-01") && show.contains("legal ground: Order 7"), "{show}");
    let again = fails(&[&apply[..], &["2024-07-02"]].concat());
    assert!(again.contains("already in force"), "an identical pack is refused: {again}");
}

#[test]
fn a_pack_written_as_one_file_binds_a_database_as_its_folder_does() {
    let dir = TempDir::new("one-file");
    let folder = test_pack(&dir);
    let from_folder = dir.file("folder.sqlite");
    ok(&["init", "--db", &from_folder, "--jurisdiction", &folder]);
    let written = |name: &str, text: &str| {
        let path = dir.file(name);
        std::fs::write(&path, text).expect("write");
        path
    };
    let one = ok(&["jurisdiction", "show", "--db", &from_folder, "--one-file"]);
    assert!(one.starts_with("[jurisdiction]\n") && one.contains("[[indicators.indicator]]"), "{one}");
    let file = written("pack.toml", &one);
    let same = crimeboard(&["jurisdiction", "diff", "--db", &from_folder, &file]);
    assert_eq!(same.status.code(), Some(0), "{}", String::from_utf8_lossy(&same.stdout));
    let again = ["jurisdiction", "apply", "--db", &from_folder, &file, "--legal-ground", "Order 7"];
    let again = fails(&[&again[..], &["--effective-from", "2024-07-01"]].concat());
    assert!(again.contains("already in force"), "the same pack written as one file is no change: {again}");

    let from_file = dir.file("file.sqlite");
    ok(&["init", "--db", &from_file, "--jurisdiction", &file]);
    let described = |db: &str| {
        let show = ok(&["jurisdiction", "show", "--db", db]);
        show.lines().filter(|l| !l.contains("position") && !l.starts_with("  ")).map(String::from).collect::<Vec<_>>()
    };
    let (by_folder, by_file) = (described(&from_folder), described(&from_file));
    assert!(by_file.iter().any(|l| l == "jurisdiction XT version test-1"), "{by_file:?}");
    assert_eq!(by_folder[..by_folder.len() - 1], by_file[..by_file.len() - 1], "the same pack, but its fingerprint");
    assert_eq!(crimeboard(&["jurisdiction", "diff", "--db", &from_file, &file]).status.code(), Some(0));

    let recounted = written("recounted.toml", &one.replacen("counting-test-1", "counting-test-2", 1));
    let differs = crimeboard(&["jurisdiction", "diff", "--db", &from_file, &recounted]);
    let text = String::from_utf8_lossy(&differs.stdout);
    assert_eq!(differs.status.code(), Some(1), "{text}");
    assert!(text.starts_with(&format!("--- stored/indicators.toml\n+++ {recounted} [indicators]\n")), "{text}");
    assert!(text.contains("counting-test-2") && !text.contains("rules.toml"), "{text}");
    let apply = ["jurisdiction", "apply", "--db", &from_file, &recounted, "--legal-ground", "Order 8"];
    let applied = ok(&[&apply[..], &["--effective-from", "2024-07-01"]].concat());
    assert!(applied.contains("counters rebuilt under counting rules counting-test-2"), "{applied}");

    let broken = written("broken.toml", &one.replacen("time_zone = \"Asia/Baku\"", "time_zone = \"Asia/Nowhere\"", 1));
    let other = dir.file("other.sqlite");
    let err = fails(&["init", "--db", &other, "--jurisdiction", &broken]);
    assert!(err.contains(&format!("{broken}: rules.time_zone: ")), "names the file, the part and the key: {err}");
    assert!(!Path::new(&other).exists(), "nothing created for an invalid pack");
}

#[test]
fn a_database_without_a_pack_says_the_demo_pack_is_in_force() {
    let dir = TempDir::new("no-pack");
    let db = dir.file("x.sqlite");
    // A database from before packs were stored: none adopted.
    drop(crimeboard_store::open(&db).expect("an empty store"));
    let show = ok(&["jurisdiction", "show", "--db", &db]);
    assert!(show.starts_with("no pack adopted: the shipped demo pack is in force\njurisdiction AZ"), "{show}");
}

const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// The fenced blocks of one language in the guide's section on setting up an
/// installation, each as its lines without the list's indentation.
fn guide_blocks(language: &str) -> Vec<Vec<String>> {
    let guide = std::fs::read_to_string(format!("{REPO}/docs/jurisdiction.md")).expect("docs/jurisdiction.md");
    let start = guide.find("## Setting up an installation for another country").expect("the guide's section");
    let section = &guide[start..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |end| end + 3)];
    let mut blocks = Vec::new();
    let mut open: Option<Vec<String>> = None;
    for line in section.lines().map(str::trim_start) {
        match (line.strip_prefix("```"), open.take()) {
            (Some(lang), None) => open = (lang == language).then(Vec::new).or(Some(vec!["(other)".into()])),
            (Some(_), Some(block)) => {
                if block.first().is_none_or(|l| l != "(other)") {
                    blocks.push(block);
                }
            }
            (None, Some(mut block)) => {
                block.push(line.to_string());
                open = Some(block);
            }
            (None, None) => {}
        }
    }
    blocks
}

/// A command line of the guide as arguments: quoted words kept whole, the
/// repository's paths and the guide's own files made absolute.
fn guide_args(line: &str, dir: &TempDir) -> Vec<String> {
    let mut words = Vec::new();
    let mut quoted = false;
    let mut word = String::new();
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => words.push(std::mem::take(&mut word)),
            c => word.push(c),
        }
    }
    words.push(word);
    words
        .into_iter()
        .filter(|w| !w.is_empty())
        .map(|w| match w.as_str() {
            "my-pack" | "my.sqlite" => dir.file(&w),
            _ if w.starts_with("data/") || w.starts_with("testdata/") => format!("{REPO}/{w}"),
            _ => w,
        })
        .collect()
}

#[test]
fn the_steps_of_the_guide_set_up_an_installation_for_another_country() {
    let dir = TempDir::new("guide");
    let commands = guide_blocks("sh");
    let indicator = guide_blocks("toml");
    assert_eq!((commands.len(), indicator.len()), (3, 1), "the guide's blocks: {commands:?}");
    let mut said = Vec::new();
    for (step, block) in commands.iter().enumerate() {
        if step == 2 {
            // Step 6: the guide's indicator, added to the copied pack.
            let path = dir.0.join("my-pack/indicators.toml");
            let text = std::fs::read_to_string(&path).expect("the pack's indicators");
            std::fs::write(&path, format!("{text}\n{}\n", indicator[0].join("\n"))).expect("write");
        }
        for line in block {
            let args = guide_args(line, &dir);
            if args[0] == "cp" {
                let (from, to) = (Path::new(&args[2]), dir.0.join(&args[3]));
                std::fs::create_dir_all(&to).expect("the copy");
                for file in std::fs::read_dir(from).expect("the pack to copy") {
                    let file = file.expect("a file");
                    std::fs::copy(file.path(), to.join(file.file_name())).expect("copy");
                }
                continue;
            }
            assert_eq!(args[0], "crimeboard", "{line}");
            let out = crimeboard(&args[1..].iter().map(String::as_str).collect::<Vec<_>>());
            let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
            let differs = line.contains("jurisdiction diff");
            assert_eq!(out.status.code(), Some(if differs { 1 } else { 0 }), "{line}: {text}");
            said.push((line.clone(), text));
        }
    }
    let says = |command: &str, what: &str| {
        let (_, text) = said.iter().find(|(line, _)| line.contains(command)).expect(command);
        assert!(text.contains(what), "{command} should say {what:?}: {text}");
    };
    says("jurisdiction show", "jurisdiction EW");
    says("report", "Crimes recorded");
    says("jurisdiction diff", "indicators.toml");
    let reports: Vec<&String> = said.iter().filter(|(l, _)| l.contains(" report ")).map(|(_, t)| t).collect();
    // The indicator the new counting rules add (a grouping of the same name was there before).
    let drug_crimes = ",drug_crimes,Drug offences,";
    assert!(!reports[0].contains(drug_crimes) && reports[1].contains(drug_crimes), "{reports:?}");
}
