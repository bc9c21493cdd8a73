//! Any text as the body of `POST /api/acts`, `/api/acts/batch` and each
//! register's `POST`, read by the functions the handlers call. A refusal is
//! a 4xx naming at least one rule; what is accepted reads back the same
//! once written out again (the document, and each command).
#![no_main]

use crimeboard_domain::Command;
use crimeboard_domain::case::NewCase;
use crimeboard_domain::registers::{NewAccident, NewAccountability, NewExamination, NewSeizure};
use crimeboard_domain::report::NewReport;
use crimeboard_web::problem::Problem;
use crimeboard_web::{Filing, MAX_BATCH, body};
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    // The extractor refuses a body that is not UTF-8 before parsing it.
    let Ok(text) = std::str::from_utf8(data) else { return };
    let value = match body::parse_document(text) {
        Ok(v) => v,
        Err(p) => return refused(&p),
    };
    let again = body::parse_document(&value.to_string()).expect("an accepted document, written out, reads again");
    assert_eq!(again, value);

    match body::submission(value.clone(), "") {
        Ok(s) => reads_back(&s.command),
        Err(p) => refused(&p),
    }
    match body::batch(value.clone()) {
        Ok(list) => {
            assert!((1..=MAX_BATCH).contains(&list.len()));
            list.iter().for_each(|s| reads_back(&s.command));
        }
        Err(p) => refused(&p),
    }
    filing::<NewReport>(&value, Command::RegisterReport);
    filing::<NewCase>(&value, Command::OpenCase);
    filing::<NewSeizure>(&value, Command::RecordSeizure);
    filing::<NewAccountability>(&value, Command::HoldAccountable);
    filing::<NewAccident>(&value, Command::RecordAccident);
    filing::<NewExamination>(&value, Command::RequestExamination);
});

/// A register's own endpoint: `{"actor","legal_ground","data":{...}}`.
fn filing<T: DeserializeOwned>(value: &Value, command: fn(T) -> Command) {
    match body::decode::<Filing<T>>(value.clone(), "") {
        Ok(f) => reads_back(&command(f.data)),
        Err(p) => refused(&p),
    }
}

fn refused(p: &Problem) {
    assert!(p.status.is_client_error(), "{p:?}");
    assert!(!p.errors.is_empty(), "a refusal names what is wrong: {p:?}");
    assert!(p.errors.iter().all(|v| !v.rule.is_empty()), "{p:?}");
}

/// A command, written as the API writes it, is read as the same command.
fn reads_back(command: &Command) {
    let Value::Object(fields) = serde_json::to_value(command).expect("a command serialises") else {
        panic!("a command is a JSON object");
    };
    let text = Value::Object(fields).to_string();
    let Value::Object(fields) = body::parse_document(&text).expect("a written command parses") else { unreachable!() };
    let back = body::command(fields, "command").unwrap_or_else(|p| panic!("{command:?} written out is refused: {p:?}"));
    assert_eq!(&back, command);
}
