-- The unit queue: reports awaiting a decision, nearest statutory deadline
-- first, and how many wait, are due today and are overdue, counted by the
-- database over all of them. `deadline` holds the deadline of a report
-- awaiting a decision as Unix seconds (deadlines fall on whole seconds: the
-- start of a Baku day), and is NULL for everything else, so a decided report
-- leaves the queue and the partial indexes hold the waiting reports only.
-- Written by the same insert and update as the rest of the row.
--
-- The search index is not touched: only `text` feeds it.
ALTER TABLE records ADD COLUMN deadline INTEGER;

UPDATE records
   SET deadline = CAST(strftime('%s', json_extract(state, '$.deadline')) AS INTEGER)
 WHERE kind = 'report' AND status = 'awaiting_decision';

-- The page, in deadline order across units.
CREATE INDEX records_queue ON records (deadline, id) WHERE deadline IS NOT NULL;
-- A unit's page in deadline order, and the counts per unit (covering).
CREATE INDEX records_queue_unit ON records (unit, deadline, id) WHERE deadline IS NOT NULL;
