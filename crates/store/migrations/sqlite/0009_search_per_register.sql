-- One full-text index per register instead of one for all.
--
-- With one index, a search within a register was the register's name AND the
-- words: FTS5 then walked every record that had the words in any register,
-- so "Füzuli küç" among persons (a street every case has and no person) read
-- a million and a half cases to find no one (0.4 s at ten million cases). Each
-- register's own index holds only that register's words: such a search finds
-- its words missing at once. A search over every register asks each index
-- for its newest matches and merges them (crates/store/src/sqlite.rs).
--
-- The prefix indexes now keep every length from two to eight letters: a
-- whole surname typed ("Abbasov") is found from one list of records read
-- newest first, where FTS5 answers a longer prefix by merging every word that
-- starts so before it returns one record (70 ms for "abasov*" among ten million
-- cases). Longer keys are rare words, whose merge is short.
--
-- The documents are the keys in `records.text`, copied in one pass over the
-- table; the old index is dropped first so the new ones reuse its pages.
CREATE TEMP TABLE search_rebuild AS SELECT rowid AS id, kind, text FROM records NOT INDEXED;
CREATE INDEX temp.search_rebuild_kind ON search_rebuild (kind, id);
DROP TABLE records_search;

CREATE VIRTUAL TABLE search_report USING fts5(text, content = '', contentless_delete = 1, prefix = '2 3 4 5 6 7 8', tokenize = 'unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE search_case USING fts5(text, content = '', contentless_delete = 1, prefix = '2 3 4 5 6 7 8', tokenize = 'unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE search_person USING fts5(text, content = '', contentless_delete = 1, prefix = '2 3 4 5 6 7 8', tokenize = 'unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE search_seizure USING fts5(text, content = '', contentless_delete = 1, prefix = '2 3 4 5 6 7 8', tokenize = 'unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE search_accountability USING fts5(text, content = '', contentless_delete = 1, prefix = '2 3 4 5 6 7 8', tokenize = 'unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE search_accident USING fts5(text, content = '', contentless_delete = 1, prefix = '2 3 4 5 6 7 8', tokenize = 'unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE search_examination USING fts5(text, content = '', contentless_delete = 1, prefix = '2 3 4 5 6 7 8', tokenize = 'unicode61 remove_diacritics 0');

INSERT INTO search_report (rowid, text) SELECT id, text FROM temp.search_rebuild WHERE kind = 'report' ORDER BY id;
INSERT INTO search_case (rowid, text) SELECT id, text FROM temp.search_rebuild WHERE kind = 'case' ORDER BY id;
INSERT INTO search_person (rowid, text) SELECT id, text FROM temp.search_rebuild WHERE kind = 'person' ORDER BY id;
INSERT INTO search_seizure (rowid, text) SELECT id, text FROM temp.search_rebuild WHERE kind = 'seizure' ORDER BY id;
INSERT INTO search_accountability (rowid, text) SELECT id, text FROM temp.search_rebuild WHERE kind = 'accountability' ORDER BY id;
INSERT INTO search_accident (rowid, text) SELECT id, text FROM temp.search_rebuild WHERE kind = 'accident' ORDER BY id;
INSERT INTO search_examination (rowid, text) SELECT id, text FROM temp.search_rebuild WHERE kind = 'examination' ORDER BY id;
DROP TABLE temp.search_rebuild;
