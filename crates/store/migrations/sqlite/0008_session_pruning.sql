-- Sessions ended or expired long ago are deleted (on each sign-in); these
-- indexes let that find them without reading every session.
CREATE INDEX sessions_expires_at ON sessions (expires_at);
CREATE INDEX sessions_ended_at ON sessions (ended_at);
