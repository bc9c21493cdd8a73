-- The identifier index: one row per digital identifier a report, case or
-- person holds (docs/identifiers.md), keyed by the identifier's kind and
-- lookup key (a card's keyed hash, never its number) and the subject, so a
-- lookup reads the rows of one key from the front of the primary key. Like
-- `records`, a projection of the journal: written with the acts that attach
-- and remove identifiers, and undone by their annulment.
CREATE TABLE identifiers (
    kind         TEXT NOT NULL,
    key          TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    unit         TEXT NOT NULL,
    number       TEXT NOT NULL,
    display      TEXT NOT NULL,
    PRIMARY KEY (kind, key, subject_id)
) WITHOUT ROWID;
