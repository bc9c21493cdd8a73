-- The full-text indexes split the stored keys where the keys' own rules
-- split words, and nowhere else (FTS5's `ascii` tokenizer: only ASCII
-- characters other than letters and digits separate tokens). The keys are
-- written already folded (lower case, Cyrillic in Latin letters), words of
-- letters and digits by Rust's Unicode tables, joined by spaces; `unicode61`
-- reads letters by the tables of Unicode 6.1 and split a word holding a
-- letter added since (U+08FB, say) in two, so a search typed with it became
-- a phrase, which an index without positions cannot answer.
--
-- Rebuilt from the keys in `records.text` the way 0010 built them.
CREATE TEMP TABLE search_rebuild AS SELECT rowid AS id, kind, text FROM records NOT INDEXED;
CREATE INDEX temp.search_rebuild_kind ON search_rebuild (kind, id);
DROP TABLE search_report;
DROP TABLE search_case;
DROP TABLE search_person;
DROP TABLE search_seizure;
DROP TABLE search_accountability;
DROP TABLE search_accident;
DROP TABLE search_examination;

CREATE VIRTUAL TABLE search_report USING fts5(text, content = '', contentless_delete = 1, detail = none, prefix = '2 3 4 5 6 7 8', tokenize = 'ascii');
CREATE VIRTUAL TABLE search_case USING fts5(text, content = '', contentless_delete = 1, detail = none, prefix = '2 3 4 5 6 7 8', tokenize = 'ascii');
CREATE VIRTUAL TABLE search_person USING fts5(text, content = '', contentless_delete = 1, detail = none, prefix = '2 3 4 5 6 7 8', tokenize = 'ascii');
CREATE VIRTUAL TABLE search_seizure USING fts5(text, content = '', contentless_delete = 1, detail = none, prefix = '2 3 4 5 6 7 8', tokenize = 'ascii');
CREATE VIRTUAL TABLE search_accountability USING fts5(text, content = '', contentless_delete = 1, detail = none, prefix = '2 3 4 5 6 7 8', tokenize = 'ascii');
CREATE VIRTUAL TABLE search_accident USING fts5(text, content = '', contentless_delete = 1, detail = none, prefix = '2 3 4 5 6 7 8', tokenize = 'ascii');
CREATE VIRTUAL TABLE search_examination USING fts5(text, content = '', contentless_delete = 1, detail = none, prefix = '2 3 4 5 6 7 8', tokenize = 'ascii');

INSERT INTO search_report (rowid, text) SELECT id, text FROM temp.search_rebuild WHERE kind = 'report' ORDER BY id;
INSERT INTO search_case (rowid, text) SELECT id, text FROM temp.search_rebuild WHERE kind = 'case' ORDER BY id;
INSERT INTO search_person (rowid, text) SELECT id, text FROM temp.search_rebuild WHERE kind = 'person' ORDER BY id;
INSERT INTO search_seizure (rowid, text) SELECT id, text FROM temp.search_rebuild WHERE kind = 'seizure' ORDER BY id;
INSERT INTO search_accountability (rowid, text) SELECT id, text FROM temp.search_rebuild WHERE kind = 'accountability' ORDER BY id;
INSERT INTO search_accident (rowid, text) SELECT id, text FROM temp.search_rebuild WHERE kind = 'accident' ORDER BY id;
INSERT INTO search_examination (rowid, text) SELECT id, text FROM temp.search_rebuild WHERE kind = 'examination' ORDER BY id;
DROP TABLE temp.search_rebuild;
