-- Units: a small lookup table; every large table carries its unit in its key.
CREATE TABLE units (
    code    TEXT PRIMARY KEY,
    parent  TEXT REFERENCES units(code),
    kind    TEXT NOT NULL,
    agency  TEXT NOT NULL,
    name_az TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL
);

-- The journal: append-only. Each unit's entries are numbered from 1 and
-- chained by hash; position orders all entries across units.
CREATE TABLE journal (
    position    INTEGER PRIMARY KEY,
    unit        TEXT NOT NULL REFERENCES units(code),
    seq         INTEGER NOT NULL,
    act_id      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    actor       TEXT NOT NULL,
    legal_ground TEXT NOT NULL,
    payload     TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    UNIQUE (unit, seq)
);

-- The head of each unit's chain, so removing the newest entries is detected.
CREATE TABLE chain_heads (
    unit TEXT PRIMARY KEY REFERENCES units(code),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);

-- Which entities each act changed, to replay an entity after an annulment.
-- No foreign keys on this and the records table: they are written with every
-- act, the service guarantees their references, and a foreign key would make
-- SQLite journal every statement for a possible rollback.
CREATE TABLE act_subjects (
    entity_id TEXT NOT NULL,
    position  INTEGER NOT NULL,
    PRIMARY KEY (entity_id, position)
) WITHOUT ROWID;

CREATE TABLE annulments (
    position    INTEGER PRIMARY KEY REFERENCES journal(position),
    by_position INTEGER NOT NULL REFERENCES journal(position),
    reason      TEXT NOT NULL
);

-- Projections: the current state of every entity, written with its act.
CREATE TABLE records (
    id     TEXT PRIMARY KEY,
    kind   TEXT NOT NULL,
    unit   TEXT NOT NULL,
    number TEXT NOT NULL,
    status TEXT NOT NULL,
    day    TEXT NOT NULL,
    parent TEXT,
    text   TEXT NOT NULL,
    state  TEXT NOT NULL
);
-- Persons are listed by unit and found by their case; entities also by
-- date across units and by register number.
CREATE INDEX records_kind_unit_day ON records (kind, unit, day);
CREATE INDEX records_kind_day ON records (kind, day) WHERE kind <> 'person';
CREATE INDEX records_number ON records (number) WHERE kind <> 'person';
CREATE INDEX records_parent ON records (parent) WHERE parent IS NOT NULL;

-- Register numbers: the last one given per unit, kind and year.
CREATE TABLE number_sequences (
    unit TEXT NOT NULL,
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (unit, kind, year)
) WITHOUT ROWID;
