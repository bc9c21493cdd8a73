-- Imported records: the source system's own identity of each record that an
-- import turned into an entity, written in the same transaction as the act
-- that recorded it. The key refuses a second import of the same record, so
-- re-importing a file adds nothing and an interrupted import resumes where
-- it stopped. Like `records`, a projection of the journal: the identity is
-- in the act's payload. An annulled import keeps its row (the act stays in
-- the journal), so annulling is not undone by importing the file again.
CREATE TABLE sources (
    system    TEXT NOT NULL,
    source_id TEXT NOT NULL,
    entity_id UUID NOT NULL,
    position  BIGINT NOT NULL REFERENCES journal(position),
    PRIMARY KEY (system, source_id)
);
