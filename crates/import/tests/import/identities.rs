//! Identities that survive re-sorting and fixing: a row without an id is known
//! by what it says and which of the rows alike it is, never by its line, so a
//! file re-sorted or with its columns reordered, and rows fixed in the error
//! file, add nothing twice, while incidents recorded alike are each counted.
//! An id built by a template may hash long cells; one that cannot fit is
//! refused with the mapping, or row by row when raw cells make it long.

use crate::support::*;
use crimeboard_import::{EXTRA_COLUMNS, ImportError, ImportOptions, Mapping, import};
use crimeboard_stats::Period;

const HEADER: &str = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context";

/// A police.uk row: a crime when it has an id, anti-social behaviour (no id) when not.
fn row(id: &str, month: &str, location: &str) -> String {
    let kind = if id.is_empty() { "Anti-social behaviour" } else { "Burglary" };
    let outcome = if id.is_empty() { "" } else { "Under investigation" };
    format!(
        "{id},{month},West Yorkshire Police,West Yorkshire Police,-1.5,53.8,{location},E01011263,Leeds 001A,{kind},{outcome},"
    )
}

fn file(header: &str, rows: &[String]) -> String {
    let mut text = header.to_string();
    for r in rows {
        text.push('\n');
        text.push_str(r);
    }
    text.push('\n');
    text
}

/// Crimes and reports the report counts for July 2018: each row once.
fn recorded(env: &Env) -> (i64, i64) {
    let report = env.registry.report(Period::parse("2018-07").unwrap(), None).unwrap();
    let current = |code: &str| report.figure(code).unwrap().change.current;
    (current("crimes_recorded"), current("reports_received"))
}

/// The same cells under the same names, the columns in reverse order.
fn columns_reversed(text: &str) -> String {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    let mut writer = csv::Writer::from_writer(Vec::new());
    for record in reader.records() {
        writer.write_record(record.unwrap().iter().rev()).unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

#[test]
fn a_file_re_sorted_or_with_its_columns_reordered_adds_nothing() {
    // The first 3,000 rows of July 2018: 566 without an id, 269 of them alike in groups of up to 17.
    let whole = std::fs::read_to_string(street_file("2018-07")).unwrap();
    let lines: Vec<&str> = whole.lines().collect();
    let (header, rows) = (lines[0], &lines[1..=3_000]);
    let text = |rows: &[&str]| file(header, &rows.iter().map(|r| r.to_string()).collect::<Vec<_>>());
    let reversed: Vec<&str> = rows.iter().rev().copied().collect();
    let mut shuffled: Vec<(u64, &str)> =
        rows.iter().enumerate().map(|(i, r)| ((i as u64 * 2_654_435_761) % 4_294_967_291, *r)).collect();
    shuffled.sort();
    let shuffled: Vec<&str> = shuffled.into_iter().map(|(_, r)| r).collect();
    each_backend(|env| {
        let first = env.import_text(&text(rows), &police_uk(), 1000);
        assert_eq!((first.progress.imported, first.progress.already_imported), (3_000, 0), "alike rows are kept");
        let counts = recorded(env);
        assert_eq!(counts.0 + counts.1, 3_000);
        let position = env.position();
        for (name, again) in [
            ("reversed", text(&reversed)),
            ("shuffled", text(&shuffled)),
            ("columns reversed", columns_reversed(&text(&shuffled))),
        ] {
            let s = env.import_text(&again, &police_uk(), 1000);
            let p = &s.progress;
            assert_eq!((p.imported, p.already_imported, p.rejected), (0, 3_000, 0), "{name} on {}", env.db.name);
            assert_eq!(env.position(), position, "{name}: nothing written on {}", env.db.name);
        }
        assert_eq!(recorded(env), counts);
        assert_eq!(env.registry.verify_counters().unwrap(), vec![]);
    });
}

#[test]
fn rows_alike_without_an_id_are_each_counted_and_imported_once() {
    let alike = row("", "2018-07", "On or near Park Lane");
    let other = row("", "2018-07", "On or near Mill Lane");
    let two = file(HEADER, &[alike.clone(), other.clone(), alike.clone()]);
    let three = file(HEADER, &[alike.clone(), alike.clone(), other, alike]);
    each_backend(|env| {
        let s = env.import_text(&two, &police_uk(), 1000);
        assert_eq!((s.progress.imported, s.progress.already_imported), (3, 0), "two incidents alike, both kept");
        assert_eq!(recorded(env), (0, 3));
        let again = env.import_text(&two, &police_uk(), 1);
        assert_eq!((again.progress.imported, again.progress.already_imported), (0, 3));
        // A file with a third such incident adds that one alone.
        let more = env.import_text(&three, &police_uk(), 1000);
        assert_eq!((more.progress.imported, more.progress.already_imported), (1, 3));
        assert_eq!(recorded(env), (0, 4));
    });
}

#[test]
fn rows_fixed_in_the_error_file_are_imported_once() {
    let text = file(
        HEADER,
        &[
            row("f1", "2018-07", "On or near Park Lane"), // 2: fine
            row("", "2018-07", "On or near Park Lane"),   // 3: fine
            row("", "2018-13", "On or near Mill Lane"),   // 4: no such month
            row("", "2018-13", "On or near Mill Lane"),   // 5: the same incident twice
            row("", "2018-13", "On or near Kirk Lane"),   // 6: no such month
            row("f2", "2018-13", "On or near Kirk Lane"), // 7: no such month, with an id
            row("", "July 2018", "On or near Kirk Lane"), // 8: left as it is
        ],
    );
    each_backend(|env| {
        let first = env.import_text(&text, &police_uk(), 1000);
        assert_eq!((first.progress.imported, first.progress.rejected), (2, 5));
        let errors = first.errors.expect("an error file");
        let fixed = std::fs::read_to_string(&errors).unwrap().replace(",2018-13,", ",2018-07,");

        // The fixed rows, read with the error file's four columns: each added once.
        let s = env.import_text(&fixed, &police_uk(), 1000);
        assert_eq!((s.progress.imported, s.progress.already_imported, s.progress.rejected), (4, 0, 1));
        assert_eq!(recorded(env), (2, 4), "f1 and f2; the rows of lines 3, 4 and 5 (alike), 6");
        // The error file of the error file has the rows' own columns and the four once.
        let mut reader = csv::Reader::from_path(s.errors.as_ref().unwrap()).unwrap();
        let columns: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        let expected: Vec<&str> = HEADER.split(',').chain(EXTRA_COLUMNS).collect();
        assert_eq!(columns, expected);

        let position = env.position();
        let again = env.import_text(&fixed, &police_uk(), 1);
        assert_eq!((again.progress.imported, again.progress.already_imported), (0, 4));
        let original = env.import_text(&text, &police_uk(), 1000);
        assert_eq!((original.progress.imported, original.progress.already_imported), (0, 2));
        // Fixed the same way in the first file, its rows are the ones the error file brought.
        let fixed_first = env.import_text(&text.replace(",2018-13,", ",2018-07,"), &police_uk(), 1000);
        let p = &fixed_first.progress;
        assert_eq!((p.imported, p.already_imported, p.rejected), (0, 6, 1));
        assert_eq!(env.position(), position, "nothing written twice on {}", env.db.name);
        assert_eq!(recorded(env), (2, 4));
    });
}

#[test]
fn a_hashed_id_fits_where_a_long_raw_one_is_refused_row_by_row() {
    let long = "x".repeat(201);
    let text =
        file(HEADER, &[row(&long, "2018-07", "On or near Park Lane"), row("g1", "2018-07", "On or near Park Lane")]);
    let hashed =
        Mapping::from_toml(&police_uk_text().replace("id = \"{Crime ID}\"", "id = \"uk-{sha256:Crime ID}\"")).unwrap();
    each_backend(|env| {
        let s = env.import_text(&text, &police_uk(), 1000);
        assert_eq!((s.progress.imported, s.progress.rejected), (1, 1));
        let rows = error_rows(&s.errors.unwrap());
        assert_eq!((rows[0]["error_column"].as_str(), rows[0]["error_rule"].as_str()), ("Crime ID", "text.too_long"));
        let message = &rows[0]["error_message"];
        assert!(message.contains("201 characters, over the limit of 200") && message.contains("{sha256:"), "{message}");

        // Hashed, both rows have identities of their own, the one imported before too.
        let h = env.import_text(&text, &hashed, 1000);
        assert_eq!((h.progress.imported, h.progress.rejected), (2, 0));
        assert_eq!(recorded(env), (3, 0));
    });
}

#[test]
fn an_id_template_that_cannot_fit_is_refused_before_any_row() {
    let too_long = format!("id = \"{}-{{sha256:Crime ID|Month}}\"", "x".repeat(140));
    let mapping = Mapping::from_toml(&police_uk_text().replace("id = \"{Crime ID}\"", &too_long)).unwrap();
    let text = file(HEADER, &[row("h1", "2018-07", "On or near Park Lane")]);
    each_backend(|env| {
        let units = env.registry.units().len();
        let options = ImportOptions {
            batch_size: 10,
            errors: env.dir.join("e.csv"),
            total_bytes: None,
            check_first: true,
            audit_as: None,
        };
        let Err(ImportError::Mapping(e)) = import(&env.registry, text.as_bytes(), &mapping, &options, &mut |_| {})
        else {
            panic!("the mapping is refused");
        };
        assert_eq!(e.key, "source.id");
        assert!(e.message.contains("at most 200 characters") && e.message.contains("make 205"), "{}", e.message);
        assert_eq!(env.entries_written(), 0, "nothing written, not even the units");
        assert_eq!(env.registry.units().len(), units);
    });
}

#[test]
fn a_row_fixed_to_say_what_an_imported_row_says_is_taken_for_it_unless_fixed_in_its_file() {
    // Occurrences are counted within a file: fixed in the error file, the second
    // incident alike is that file's first, which the first file imported.
    let text = file(HEADER, &[row("", "2018-07", "On or near Park Lane"), row("", "2018-13", "On or near Park Lane")]);
    each_backend(|env| {
        let first = env.import_text(&text, &police_uk(), 1000);
        assert_eq!((first.progress.imported, first.progress.rejected), (1, 1));
        let fixed = std::fs::read_to_string(first.errors.unwrap()).unwrap().replace(",2018-13,", ",2018-07,");
        let from_errors = env.import_text(&fixed, &police_uk(), 1000);
        assert_eq!((from_errors.progress.imported, from_errors.progress.already_imported), (0, 1));
        // Fixed in the file itself, the two alike are its first and second: the second is added, once.
        let whole = text.replace(",2018-13,", ",2018-07,");
        for imported in [1, 0] {
            assert_eq!(env.import_text(&whole, &police_uk(), 1000).progress.imported, imported);
        }
        assert_eq!(recorded(env), (0, 2));
    });
}

#[test]
fn a_row_imported_under_its_line_identity_before_is_not_imported_again() {
    // A registry imported into when rows without an id were known by their line
    // and a digest of their cells (`line-N-HEX`) holds them under that identity.
    let asb = row("", "2018-07", "On or near Park Lane");
    let text = file(HEADER, &[row("i1", "2018-07", "On or near Park Lane"), asb.clone()]);
    let cells: Vec<&str> = asb.split(',').collect();
    let mut h = <sha2::Sha256 as sha2::Digest>::new();
    for cell in &cells {
        sha2::Digest::update(&mut h, (cell.len() as u64).to_le_bytes());
        sha2::Digest::update(&mut h, cell.as_bytes());
    }
    let hex: String = sha2::Digest::finalize(h)[..8].iter().map(|b| format!("{b:02x}")).collect();
    let before = police_uk_text().replace("id = \"{Crime ID}\"", &format!("id = \"line-3-{hex}\""));
    let before = Mapping::from_toml(&before).unwrap();
    each_backend(|env| {
        let only_asb = file(HEADER, &[row("", "2018-07", "On or near Park Lane")]);
        assert_eq!(env.import_text(&only_asb, &before, 1000).progress.imported, 1);
        let s = env.import_text(&text, &police_uk(), 1000);
        assert_eq!((s.progress.imported, s.progress.already_imported), (1, 1), "i1 alone is new");
        assert_eq!(recorded(env), (1, 1));
    });
}
