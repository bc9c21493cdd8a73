-- The publications of figures are a register of their own (kind
-- `publication`): its full-text index, as 0015 built the releases'.
-- PostgreSQL's generated column indexes every kind already.
CREATE VIRTUAL TABLE search_publication USING fts5(text, content = '', contentless_delete = 1, detail = none, prefix = '2 3 4 5 6 7 8', tokenize = 'ascii');
