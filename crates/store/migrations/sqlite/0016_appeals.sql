-- Citizens' appeals wait in their units' queue by deadline as reports do,
-- in a queue of their own: the queue's indexes lead with the register, so a
-- register's page and counts read its waiting entries alone.
DROP INDEX records_queue;
DROP INDEX records_queue_unit;
CREATE INDEX records_queue ON records (kind, deadline, id) WHERE deadline IS NOT NULL;
CREATE INDEX records_queue_unit ON records (kind, unit, deadline, id) WHERE deadline IS NOT NULL;
-- The appeals register's full-text index, as 0013 built the others.
CREATE VIRTUAL TABLE search_appeal USING fts5(text, content = '', contentless_delete = 1, detail = none, prefix = '2 3 4 5 6 7 8', tokenize = 'ascii');
