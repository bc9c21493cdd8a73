-- The search index is no longer written by triggers: the store holds a
-- transaction's index changes back and writes them in one statement before
-- the commit (crates/store/src/search_sqlite.rs says why). The index and its
-- contents stay as they are.
DROP TRIGGER records_search_insert;
DROP TRIGGER records_search_delete;
DROP TRIGGER records_search_update;
