-- The full-text indexes keep which records hold a word, not where in the
-- record (FTS5's detail=none): a search asks for words and beginnings of
-- words, AND-ed, never a phrase or words near each other, so the positions
-- were written and never read. Without them each index is smaller and a
-- record is indexed with less work (a third of what the writer spent on
-- the index, measured on a registration of 100,000 cases).
--
-- Rebuilt from the keys in `records.text` the way 0009 built them.
CREATE TEMP TABLE search_rebuild AS SELECT rowid AS id, kind, text FROM records NOT INDEXED;
CREATE INDEX temp.search_rebuild_kind ON search_rebuild (kind, id);
DROP TABLE search_report;
DROP TABLE search_case;
DROP TABLE search_person;
DROP TABLE search_seizure;
DROP TABLE search_accountability;
DROP TABLE search_accident;
DROP TABLE search_examination;

CREATE VIRTUAL TABLE search_report USING fts5(text, content = '', contentless_delete = 1, detail = none, prefix = '2 3 4 5 6 7 8', tokenize = 'unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE search_case USING fts5(text, content = '', contentless_delete = 1, detail = none, prefix = '2 3 4 5 6 7 8', tokenize = 'unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE search_person USING fts5(text, content = '', contentless_delete = 1, detail = none, prefix = '2 3 4 5 6 7 8', tokenize = 'unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE search_seizure USING fts5(text, content = '', contentless_delete = 1, detail = none, prefix = '2 3 4 5 6 7 8', tokenize = 'unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE search_accountability USING fts5(text, content = '', contentless_delete = 1, detail = none, prefix = '2 3 4 5 6 7 8', tokenize = 'unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE search_accident USING fts5(text, content = '', contentless_delete = 1, detail = none, prefix = '2 3 4 5 6 7 8', tokenize = 'unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE search_examination USING fts5(text, content = '', contentless_delete = 1, detail = none, prefix = '2 3 4 5 6 7 8', tokenize = 'unicode61 remove_diacritics 0');

INSERT INTO search_report (rowid, text) SELECT id, text FROM temp.search_rebuild WHERE kind = 'report' ORDER BY id;
INSERT INTO search_case (rowid, text) SELECT id, text FROM temp.search_rebuild WHERE kind = 'case' ORDER BY id;
INSERT INTO search_person (rowid, text) SELECT id, text FROM temp.search_rebuild WHERE kind = 'person' ORDER BY id;
INSERT INTO search_seizure (rowid, text) SELECT id, text FROM temp.search_rebuild WHERE kind = 'seizure' ORDER BY id;
INSERT INTO search_accountability (rowid, text) SELECT id, text FROM temp.search_rebuild WHERE kind = 'accountability' ORDER BY id;
INSERT INTO search_accident (rowid, text) SELECT id, text FROM temp.search_rebuild WHERE kind = 'accident' ORDER BY id;
INSERT INTO search_examination (rowid, text) SELECT id, text FROM temp.search_rebuild WHERE kind = 'examination' ORDER BY id;
DROP TABLE temp.search_rebuild;
