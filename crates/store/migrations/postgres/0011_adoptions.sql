-- The jurisdiction packs adopted, found among the journal's acts without a
-- walk through it: the registry reads the latest at every start.
CREATE INDEX journal_adoptions ON journal (position) WHERE kind = 'adopt_jurisdiction';
