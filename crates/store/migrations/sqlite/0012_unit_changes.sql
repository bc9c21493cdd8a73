-- Changes of the unit tree (renamed, moved, merged), each the command of a
-- journal act, in the order recorded; `units` keeps the units as loaded, and
-- the tree on a day is those units with the changes in force by then.
CREATE TABLE unit_changes (
    position       INTEGER PRIMARY KEY,
    effective_from TEXT NOT NULL,
    command        TEXT NOT NULL
);
