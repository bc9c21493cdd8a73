-- The Board's meetings and tasks are registers of their own (kinds
-- `meeting` and `task`): each has its full-text index, as 0013 built the
-- others. PostgreSQL's generated column indexes every kind already.
CREATE VIRTUAL TABLE search_meeting USING fts5(text, content = '', contentless_delete = 1, detail = none, prefix = '2 3 4 5 6 7 8', tokenize = 'ascii');
CREATE VIRTUAL TABLE search_task USING fts5(text, content = '', contentless_delete = 1, detail = none, prefix = '2 3 4 5 6 7 8', tokenize = 'ascii');
