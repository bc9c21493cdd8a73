-- A chief's receptions of citizens are a register of their own (kind
-- `reception`): its full-text index over the chief's, the visitors' names
-- and their matters, as 0014 built the meetings' and tasks'. PostgreSQL's
-- generated column indexes every kind already.
CREATE VIRTUAL TABLE search_reception USING fts5(text, content = '', contentless_delete = 1, detail = none, prefix = '2 3 4 5 6 7 8', tokenize = 'ascii');
