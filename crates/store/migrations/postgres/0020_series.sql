-- Series of linked records (docs/identifiers.md, "Series"): one row per
-- report or case linked to another through an identifier they hold, naming
-- its series (the id of the series' earliest record) and its unit. A
-- projection of the identifier index, rewritten for the records an act's
-- identifiers touch in the act's own transaction; a record linked to
-- nothing has no row. The service fills it from the index when this
-- migration is applied to a database that already holds identifiers.
CREATE TABLE series (
    record_id UUID NOT NULL PRIMARY KEY,
    series_id UUID NOT NULL,
    unit      TEXT NOT NULL
);
CREATE INDEX series_by_series ON series (series_id, record_id);
-- The keys a record holds, read when its series is worked out again.
CREATE INDEX identifiers_by_record ON identifiers (record_id);
-- The analysts' decisions on how an identifier links (decide_linking): an
-- identifier excluded from linking, or a hub let link. An identifier with
-- no row links as the rules say. Written by the act and by its annulment,
-- which restores the decision before it.
CREATE TABLE linking (
    kind     TEXT NOT NULL,
    key      TEXT NOT NULL,
    linking  TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (kind, key)
);
-- A unit's alerts: a series holding the unit's records and another unit's,
-- one row per unit and series, raised when the series first spans both
-- and never again for the same unit and series (an annulment leaves it).
CREATE TABLE series_alerts (
    unit      TEXT NOT NULL,
    series_id UUID NOT NULL,
    PRIMARY KEY (unit, series_id)
);
