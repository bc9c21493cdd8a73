//! A store transaction on its own, below the registry: it reads what it
//! wrote before its commit, and a failing statement or a transaction
//! dropped without a commit leaves nothing behind, even where the backend
//! runs the statements after the caller has moved on (SQLite's writer
//! thread).

use crate::support::*;
use chrono::NaiveDate;
use crimeboard_domain::records::IndexRow;
use crimeboard_domain::{EntityKind, Envelope};
use uuid::Uuid;

fn row(id: Uuid, status: &str) -> IndexRow {
    IndexRow {
        kind: EntityKind::Report,
        id,
        unit: unit("ABS"),
        number: "M-ABS-2024-009999".into(),
        status: status.into(),
        day: NaiveDate::from_ymd_opt(2024, 4, 1).unwrap(),
        parent: None,
        text: "Test Rəşad".into(),
        deadline: None,
        state: "{}".into(),
    }
}

fn envelope() -> Envelope {
    Envelope { act_id: Uuid::now_v7(), recorded_at: at(NOW), actor: "test".into(), legal_ground: "test".into() }
}

#[test]
fn a_transaction_reads_its_own_writes() {
    each_backend(|env| {
        let store = env.registry.store();
        let id = Uuid::now_v7();
        let mut tx = store.begin().unwrap();
        let entry = tx.append("ABS", &envelope(), "test", "{}", &[id]).unwrap();
        tx.insert(vec![row(id, "pending")]).unwrap();
        assert_eq!(tx.load(id).unwrap().map(|r| r.status), Some("pending".into()), "{}", env.db.name);
        tx.update(vec![row(id, "decided")]).unwrap();
        assert_eq!(tx.load(id).unwrap().map(|r| r.status), Some("decided".into()), "{}", env.db.name);
        assert_eq!(tx.entry("ABS", entry.seq).unwrap(), Some(entry.clone()), "{}", env.db.name);
        assert_eq!(tx.subjects(entry.position).unwrap(), vec![id], "{}", env.db.name);
        tx.commit().unwrap();
        assert_eq!(store.get(id).unwrap().map(|r| r.status), Some("decided".into()), "{}", env.db.name);
        assert_eq!(store.position().unwrap(), entry.position, "{}", env.db.name);
    });
}

#[test]
fn a_failing_statement_fails_the_commit_and_writes_nothing() {
    each_backend(|env| {
        let store = env.registry.store();
        let before = store.position().unwrap();
        let (first, twice) = (Uuid::now_v7(), Uuid::now_v7());
        let mut tx = store.begin().unwrap();
        tx.append("ABS", &envelope(), "test", "{}", &[first]).unwrap();
        tx.insert(vec![row(first, "pending")]).unwrap();
        // The second insert of one id breaks the records' key; a backend
        // may report it now or at the commit, but it must report it.
        match tx.insert(vec![row(twice, "pending")]).and_then(|()| tx.insert(vec![row(twice, "pending")])) {
            Ok(()) => assert!(tx.commit().is_err(), "the commit reports the failed statement on {}", env.db.name),
            Err(_) => drop(tx),
        }
        assert_eq!(store.get(first).unwrap(), None, "{}", env.db.name);
        assert_eq!(store.get(twice).unwrap(), None, "{}", env.db.name);
        assert_eq!(store.position().unwrap(), before, "{}", env.db.name);
        // The store takes the next transaction as if nothing had happened.
        let receipt = report(env, "2024-04-02T09:00:00Z");
        assert!(store.get(receipt.entity_id).unwrap().is_some(), "{}", env.db.name);
    });
}

#[test]
fn a_transaction_dropped_without_a_commit_writes_nothing() {
    each_backend(|env| {
        let store = env.registry.store();
        let before = store.position().unwrap();
        let id = Uuid::now_v7();
        {
            let mut tx = store.begin().unwrap();
            tx.append("ABS", &envelope(), "test", "{}", &[id]).unwrap();
            tx.insert(vec![row(id, "pending")]).unwrap();
        }
        assert_eq!(store.get(id).unwrap(), None, "{}", env.db.name);
        assert_eq!(store.position().unwrap(), before, "{}", env.db.name);
        let receipt = report(env, "2024-04-02T09:00:00Z");
        assert!(store.get(receipt.entity_id).unwrap().is_some(), "{}", env.db.name);
    });
}
