-- An inspection's samples are a register of their own (kind `sample`):
-- its full-text index, as 0018 built the publications'. PostgreSQL's
-- generated column indexes every kind already.
CREATE VIRTUAL TABLE search_sample USING fts5(text, content = '', contentless_delete = 1, detail = none, prefix = '2 3 4 5 6 7 8', tokenize = 'ascii');
