-- Citizens' appeals wait in their units' queue by deadline as reports do,
-- in a queue of their own: the queue's indexes lead with the register, so a
-- register's page and counts read its waiting entries alone.
DROP INDEX records_queue;
DROP INDEX records_queue_unit;
CREATE INDEX records_queue ON records (kind, deadline, id) WHERE deadline IS NOT NULL;
CREATE INDEX records_queue_unit ON records (kind, unit, deadline, id) WHERE deadline IS NOT NULL;
-- PostgreSQL's generated search column indexes the new register already.
