-- Accounts, sessions, API tokens, failed sign-ins and the audit trail.
-- Secrets are never stored as given: passwords as Argon2id hashes, session
-- tokens, API tokens and recovery codes as SHA-256 hashes. Times are UTC
-- RFC 3339 text with microseconds, so text order is time order.
CREATE TABLE users (
    login         TEXT PRIMARY KEY,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL,
    home_unit     TEXT NOT NULL REFERENCES units(code),
    -- JSON array of unit codes where personal data may be read beyond the home unit.
    grants        TEXT NOT NULL DEFAULT '[]',
    password_hash TEXT NOT NULL,
    totp_secret   TEXT,
    totp_enrolled INTEGER NOT NULL DEFAULT 0,
    -- The time step of the last code accepted: a code is good once.
    totp_last_step INTEGER,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE recovery_codes (
    login     TEXT NOT NULL REFERENCES users(login),
    code_hash TEXT NOT NULL,
    used_at   TEXT,
    PRIMARY KEY (login, code_hash)
) WITHOUT ROWID;

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    login      TEXT NOT NULL REFERENCES users(login),
    -- password (second factor still due), enrol (must enrol one first), or full.
    stage      TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    address    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen  TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ended_at   TEXT
) WITHOUT ROWID;
CREATE INDEX sessions_login ON sessions (login);

CREATE TABLE api_tokens (
    id         TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    login      TEXT NOT NULL REFERENCES users(login),
    name       TEXT NOT NULL,
    -- JSON array of the actions the token may take.
    scope      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
) WITHOUT ROWID;

CREATE TABLE login_failures (
    id      INTEGER PRIMARY KEY,
    login   TEXT NOT NULL,
    address TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX login_failures_login ON login_failures (login, at);
CREATE INDEX login_failures_address ON login_failures (address, at);
-- Failures older than the lockout window are deleted as new ones come.
CREATE INDEX login_failures_at ON login_failures (at);

-- Append-only and hash-chained like the journal; the head row records the
-- last number and hash, so removing the newest records is detected too.
CREATE TABLE audit (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    address   TEXT NOT NULL,
    action    TEXT NOT NULL,
    target    TEXT NOT NULL,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_actor ON audit (actor, seq);
CREATE INDEX audit_action ON audit (action, seq);
CREATE INDEX audit_target ON audit (target, seq);

CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
