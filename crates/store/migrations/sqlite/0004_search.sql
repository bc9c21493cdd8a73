-- Full-text search over records. `records.text` holds each record's search
-- keys (crimeboard_domain::search: sound keys, so a name typed in
-- Azerbaijani, Russian or a Latin transliteration finds the others), and
-- `records_search` indexes them: a contentless FTS5 index keyed by records'
-- rowid, kept in step by triggers in the same transaction, with prefix
-- indexes so a typed beginning of a word is found as fast as a whole word.
-- Each document starts with the record's kind ("person", "case", ...), a
-- word no search key can be (keys never hold an "e" or a "y"), so a search within
-- one register narrows inside the index instead of reading every match of
-- the others.
--
-- Rows written before this migration hold an older folded text, not keys,
-- and are not in the index: `search_index` records that their keys must be
-- rewritten and indexed (Registry::reindex_search), which the command line
-- does, with progress, before it serves or reports.
-- VACUUM may renumber records' rowids: after one, reindex (set
-- search_index.version to 0 and open the database with the command line).
-- A store with no records is marked current by the registry when it opens.
CREATE TABLE search_index (
    version INTEGER NOT NULL
);
INSERT INTO search_index (version)
    SELECT CASE WHEN EXISTS (SELECT 1 FROM records) THEN 0 ELSE 1 END;

CREATE VIRTUAL TABLE records_search USING fts5(
    text,
    content = '',
    contentless_delete = 1,
    prefix = '2 3',
    tokenize = 'unicode61 remove_diacritics 0'
);

CREATE TRIGGER records_search_insert AFTER INSERT ON records BEGIN
    INSERT INTO records_search (rowid, text) VALUES (new.rowid, new.kind || ' ' || new.text);
END;

CREATE TRIGGER records_search_delete AFTER DELETE ON records BEGIN
    DELETE FROM records_search WHERE rowid = old.rowid;
END;

CREATE TRIGGER records_search_update AFTER UPDATE OF text ON records WHEN old.text IS NOT new.text BEGIN
    DELETE FROM records_search WHERE rowid = old.rowid;
    INSERT INTO records_search (rowid, text) VALUES (new.rowid, new.kind || ' ' || new.text);
END;
