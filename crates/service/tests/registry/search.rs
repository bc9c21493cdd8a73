//! Search: a name typed in Azerbaijani, Russian or a Latin transliteration
//! finds the others; the index follows every change, annulment included.

use crate::support::*;
use crimeboard_domain::act::Annul;
use crimeboard_domain::{Command, EntityKind};
use crimeboard_service::ListParams;

fn found(env: &Env, kind: EntityKind, q: &str) -> Vec<String> {
    let params = ListParams { kind: Some(kind), q: Some(q.into()), ..Default::default() };
    env.registry.list(&params).unwrap().items.into_iter().map(|r| r.number).collect()
}

#[test]
fn a_person_is_found_by_every_spelling_of_the_name() {
    each_backend(|env| {
        let mut r = new_report("2024-04-02T08:00:00Z");
        r.applicant = Some(applicant("Məmmədova Şəhla Cəfər qızı"));
        let registered = ok(env, Command::RegisterReport(r));
        report(env, "2024-04-03T08:00:00Z");
        for q in ["Мамедова", "Mammadova", "mamedova", "MƏMMƏDOVA", "Шахла", "Shahla", "Джафар", "Jafar", "məmməd"]
        {
            let persons = found(env, EntityKind::Person, q);
            assert_eq!(persons.len(), 1, "{q}: {persons:?}");
            assert_eq!(persons[0], registered.number.clone().unwrap(), "{q}");
        }
        assert!(found(env, EntityKind::Person, "Əliyeva Şəhla").is_empty(), "every word must match");
        assert_eq!(found(env, EntityKind::Person, "Алиева").len(), 1, "the other report's applicant");
    });
}

#[test]
fn summaries_are_found_by_the_start_of_a_word_and_punctuation_finds_nothing() {
    each_backend(|env| {
        let mut r = new_report("2024-04-02T08:00:00Z");
        r.summary = "Avtomobil oğurluğu, Nərimanov rayonu".into();
        ok(env, Command::RegisterReport(r));
        report(env, "2024-04-03T08:00:00Z");
        assert_eq!(found(env, EntityKind::Report, "AVTOMOB").len(), 1);
        assert_eq!(found(env, EntityKind::Report, "Нариманов").len(), 1);
        assert_eq!(found(env, EntityKind::Report, "zinət").len(), 1);
        assert!(found(env, EntityKind::Report, "—;").is_empty());
        assert_eq!(found(env, EntityKind::Report, "").len(), 2, "a blank query lists everything");
    });
}

#[test]
fn a_word_with_letters_of_any_unicode_version_is_one_word_to_the_index() {
    // U+08FB (Unicode 9) is a letter to the keys' rules: an index splitting
    // words by older tables made the typed word a phrase, and the search failed.
    each_backend(|env| {
        let mut r = new_report("2024-04-02T08:00:00Z");
        r.summary = "Qeyd h5\u{8fb}o ikinci".into();
        ok(env, Command::RegisterReport(r));
        report(env, "2024-04-03T08:00:00Z");
        for q in ["h5\u{8fb}o", "h5\u{8fb}", "h5\u{8fb}O{a\u{2813c}\u{3555e}", "\u{8fb}"] {
            let params = ListParams { kind: Some(EntityKind::Report), q: Some(q.into()), ..Default::default() };
            let listed = env.registry.list(&params);
            assert!(listed.is_ok(), "{q:?} on {}: {listed:?}", env.db.name);
        }
        assert_eq!(found(env, EntityKind::Report, "h5\u{8fb}o").len(), 1, "the whole word");
        assert_eq!(found(env, EntityKind::Report, "h5\u{8fb}").len(), 1, "its beginning");
    });
}

#[test]
fn the_newest_match_comes_first_and_pages_follow() {
    each_backend(|env| {
        let numbers: Vec<String> =
            (1..=5).map(|d| report(env, &format!("2024-04-0{d}T08:00:00Z")).number.unwrap()).collect();
        let first = ListParams {
            kind: Some(EntityKind::Report),
            q: Some("zinət".into()),
            per_page: Some(2),
            ..Default::default()
        };
        let page1 = env.registry.list(&first).unwrap();
        assert!(page1.has_more);
        assert_eq!(
            page1.items.iter().map(|r| r.number.clone()).collect::<Vec<_>>(),
            vec![numbers[4].clone(), numbers[3].clone()]
        );
        let page3 = env.registry.list(&ListParams { page: Some(3), ..first }).unwrap();
        assert_eq!(page3.items.len(), 1);
        assert!(!page3.has_more);
    });
}

#[test]
fn an_annulled_registration_is_no_longer_found() {
    each_backend(|env| {
        let mut r = new_report("2024-04-02T08:00:00Z");
        r.summary = "Telefon dələduzluğu".into();
        let registered = ok(env, Command::RegisterReport(r));
        assert_eq!(found(env, EntityKind::Report, "dələduz").len(), 1);
        let annul = Annul { unit: unit("BAK-NSM"), seq: registered.seq, reason: "Registered twice".into() };
        ok(env, Command::Annul(annul));
        assert!(found(env, EntityKind::Report, "dələduz").is_empty());
        assert!(found(env, EntityKind::Person, "Əliyeva").is_empty());
    });
}

/// Empties every register's full-text index (SQLite keeps them apart from the records).
fn lose_the_index(env: &Env) {
    for kind in EntityKind::ALL {
        env.db.tamper(&format!("DELETE FROM search_{}", kind.as_str())).unwrap();
    }
}

#[test]
fn reindexing_rewrites_keys_lost_or_written_under_older_rules() {
    each_backend(|env| {
        report(env, "2024-04-02T08:00:00Z");
        assert!(!env.registry.search_index_stale().unwrap());
        env.db.tamper("UPDATE records SET text = ''").unwrap();
        if env.db.name == "sqlite" {
            // The index is written by the store, not by the table: lose both.
            lose_the_index(env);
        }
        env.db.tamper("UPDATE search_index SET version = 0").unwrap();
        assert!(found(env, EntityKind::Person, "Алиева").is_empty());
        assert!(env.registry.search_index_stale().unwrap());
        let mut seen = Vec::new();
        env.registry.reindex_search(&mut |done| seen.push(done)).unwrap();
        assert_eq!(seen.last(), Some(&1), "one entity, its applicant with it");
        assert!(!env.registry.search_index_stale().unwrap());
        assert_eq!(found(env, EntityKind::Person, "Алиева").len(), 1);
        assert_eq!(found(env, EntityKind::Report, "zinət").len(), 1);
    });
}

#[test]
fn reindexing_indexes_rows_the_index_lost_even_when_their_keys_are_current() {
    each_backend(|env| {
        report(env, "2024-04-02T08:00:00Z");
        if env.db.name == "sqlite" {
            // The index is a table of its own on SQLite: lose it, keep the keys.
            lose_the_index(env);
            assert!(found(env, EntityKind::Person, "Алиева").is_empty());
        }
        env.db.tamper("UPDATE search_index SET version = 0").unwrap();
        env.registry.reindex_search(&mut |_| {}).unwrap();
        assert_eq!(found(env, EntityKind::Person, "Алиева").len(), 1);
        assert_eq!(found(env, EntityKind::Report, "zinət").len(), 1);
    });
}

#[test]
fn a_case_is_found_by_its_article_part_and_point_and_not_by_a_neighbour() {
    each_backend(|env| {
        let r = report(env, "2024-04-02T08:00:00Z");
        let mut c = new_case(vec![r.entity_id], "2024-04-03T09:00:00Z");
        c.articles = vec![crimeboard_domain::catalogue::ArticleRef::parse("177.2.1").unwrap()];
        // A house number that a substring search would take for the article.
        c.place.address = "Nizami küç. 177, mənzil 2".into();
        ok(env, Command::OpenCase(c));
        let by_article = |article: &str, q: Option<&str>| {
            let params = ListParams {
                kind: Some(EntityKind::Case),
                article: Some(article.into()),
                q: q.map(str::to_string),
                ..Default::default()
            };
            env.registry.list(&params).map(|p| p.items.len())
        };
        for article in ["177", "177.2", "177.2.1"] {
            assert_eq!(by_article(article, None).unwrap(), 1, "{article}");
        }
        for article in ["177.3", "177.21", "178", "17"] {
            assert_eq!(by_article(article, None).unwrap(), 0, "{article}");
        }
        assert_eq!(by_article("177.2", Some("Nizami")).unwrap(), 1, "article and words together");
        assert_eq!(by_article("177.2", Some("Füzuli")).unwrap(), 0);
        assert_eq!(found(env, EntityKind::Case, "177.2").len(), 1, "typed in the search box");
        assert_eq!(found(env, EntityKind::Case, "178.1").len(), 0);
        let bad = by_article("177-2", None).unwrap_err().to_string();
        assert!(bad.contains("article"), "{bad}");
    });
}

#[test]
fn cases_are_listed_by_a_flag_the_board_counts() {
    each_backend(|env| {
        let r = report(env, "2024-04-02T08:00:00Z");
        let mut online = new_case(vec![r.entity_id], "2024-04-03T09:00:00Z");
        online.flags.it_enabled = true;
        online.flags.group = true;
        ok(env, Command::OpenCase(online));
        let r = report(env, "2024-04-02T09:00:00Z");
        ok(env, Command::OpenCase(new_case(vec![r.entity_id], "2024-04-03T10:00:00Z")));
        let flagged = |flag: &str| {
            let params = ListParams { kind: Some(EntityKind::Case), flag: Some(flag.into()), ..Default::default() };
            env.registry.list(&params).map(|p| p.items.len())
        };
        assert_eq!(flagged("it_enabled").unwrap(), 1);
        assert_eq!(flagged("group").unwrap(), 1);
        assert_eq!(flagged("non_obvious").unwrap(), 2, "new_case sets it");
        assert_eq!(flagged("family_conflict").unwrap(), 0);
        assert_eq!(flagged("").unwrap(), 2, "no flag asked");
        let bad = flagged("minor").unwrap_err().to_string();
        assert!(bad.contains("flag"), "{bad}");
    });
}

#[test]
fn a_record_removed_and_one_added_in_one_batch_are_each_indexed_right() {
    each_backend(|env| {
        let mut first = new_report("2024-04-02T08:00:00Z");
        first.summary = "Telefon dələduzluğu".into();
        let registered = ok(env, Command::RegisterReport(first));
        // Removing the newest rows frees their rowids, which the next rows of
        // the same transaction may be given: the index must drop the old
        // documents and keep the new ones.
        let mut second = new_report("2024-04-03T08:00:00Z");
        second.summary = "Velosiped oğurluğu".into();
        second.applicant = Some(applicant("Cəfərov Rəşad"));
        let submission = |command| crimeboard_service::Submission {
            actor: "officer-1".into(),
            legal_ground: "CPC art. 207".into(),
            command,
            late: None,
        };
        let annul = Annul { unit: unit("BAK-NSM"), seq: registered.seq, reason: "Registered twice".into() };
        record_all(&env.registry, &[submission(Command::Annul(annul)), submission(Command::RegisterReport(second))])
            .unwrap();
        assert!(found(env, EntityKind::Report, "dələduz").is_empty());
        assert_eq!(found(env, EntityKind::Report, "velosiped").len(), 1);
        assert_eq!(found(env, EntityKind::Person, "Джафаров").len(), 1);
        assert!(found(env, EntityKind::Person, "Алиева").is_empty(), "the annulled report's applicant");
    });
}

#[test]
fn a_longer_word_finds_only_names_it_begins() {
    each_backend(|env| {
        let mut first = new_report("2024-04-02T08:00:00Z");
        first.applicant = Some(applicant("Məmmədov Rəşid"));
        let first = ok(env, Command::RegisterReport(first)).number.unwrap();
        let mut second = new_report("2024-04-03T08:00:00Z");
        second.applicant = Some(applicant("Məmmədova Rəna"));
        let second = ok(env, Command::RegisterReport(second)).number.unwrap();
        // Keys longer than the prefixes an index keeps are checked whole:
        // "məmmədova" and "məmmədov" share six letters, "rəşid" and "rəna" two.
        assert_eq!(found(env, EntityKind::Person, "Məmmədova"), vec![second.clone()]);
        assert_eq!(found(env, EntityKind::Person, "Рашид"), vec![first.clone()]);
        assert_eq!(found(env, EntityKind::Person, "Mammadov Rashid"), vec![first.clone()]);
        assert_eq!(found(env, EntityKind::Person, "Məmməd"), vec![second, first]);
        assert!(found(env, EntityKind::Person, "Məmmədovaxyz").is_empty());
    });
}
