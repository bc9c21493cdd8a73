-- Full-text search over records. `records.text` holds each record's search
-- keys (crimeboard_domain::search: sound keys, so a name typed in
-- Azerbaijani, Russian or a Latin transliteration finds the others); the
-- generated `search` column makes them, after the record's kind (a word no
-- key can be), a tsvector of the 'simple' (no stemming) configuration, and
-- a GIN index finds the rows.
--
-- Rows written before this migration hold an older folded text, not keys;
-- `search_index` records that the keys must be rewritten
-- (Registry::reindex_search), which the command line does, with progress,
-- before it serves or reports.
-- A store with no records is marked current by the registry when it opens.
CREATE TABLE search_index (
    version BIGINT NOT NULL
);
INSERT INTO search_index (version)
    SELECT CASE WHEN EXISTS (SELECT 1 FROM records) THEN 0 ELSE 1 END;

ALTER TABLE records ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('simple', kind || ' ' || text)) STORED;
CREATE INDEX records_search ON records USING gin (search);
