-- The freeze requests to banks and payment services are a register of their
-- own (kind `freeze`): its full-text index, as 0018 built the publications'.
-- They wait in their units' queue by deadline through 0016's indexes.
-- PostgreSQL's generated column indexes every kind already.
CREATE VIRTUAL TABLE search_freeze USING fts5(text, content = '', contentless_delete = 1, detail = none, prefix = '2 3 4 5 6 7 8', tokenize = 'ascii');
