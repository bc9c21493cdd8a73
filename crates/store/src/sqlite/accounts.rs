//! Accounts and the audit trail on SQLite. Writes go through the one writer
//! connection; the audit head is read and advanced inside `BEGIN IMMEDIATE`,
//! so two records never take the same number.

use super::SqliteStore;
use crate::accounts::{Accounts, AuditPage, AuditQuery, SessionRow, TokenRow, UserRow};
use crate::{Result, StoreError, time_of, uuid_of};
use chrono::{DateTime, Utc};
use crimeboard_domain::audit::{self, AuditEntry, AuditEvent};
use crimeboard_domain::journal::{ChainBreak, ChainWalker, timestamp};
use rusqlite::{OptionalExtension, Row, params, params_from_iter, types::Value};

fn stamp(at: DateTime<Utc>) -> String {
    timestamp(at)
}

fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

fn list_of(text: &str) -> Result<Vec<String>> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("list {text:?}: {e}")))
}

fn taken(e: rusqlite::Error, what: &str) -> StoreError {
    match &e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
            StoreError::AlreadyExists(what.to_string())
        }
        _ => e.into(),
    }
}

const USER_COLUMNS: &str =
    "login, display_name, role, home_unit, grants, password_hash, totp_secret, totp_enrolled, disabled, created_at";

fn user_of(r: &Row) -> rusqlite::Result<(UserRow, String, String)> {
    Ok((
        UserRow {
            login: r.get(0)?,
            display_name: r.get(1)?,
            role: r.get(2)?,
            home_unit: r.get(3)?,
            grants: Vec::new(),
            password_hash: r.get(5)?,
            totp_secret: r.get(6)?,
            totp_enrolled: r.get(7)?,
            disabled: r.get(8)?,
            created_at: DateTime::UNIX_EPOCH,
        },
        r.get(4)?,
        r.get(9)?,
    ))
}

fn finish_user((mut u, grants, created): (UserRow, String, String)) -> Result<UserRow> {
    u.grants = list_of(&grants)?;
    u.created_at = time_of(&created)?;
    Ok(u)
}

const SESSION_COLUMNS: &str =
    "token_hash, login, stage, csrf_token, address, created_at, last_seen, expires_at, ended_at";

fn session_of(r: &Row) -> rusqlite::Result<[Option<String>; 9]> {
    Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?])
}

fn finish_session(cols: [Option<String>; 9]) -> Result<SessionRow> {
    let [token_hash, login, stage, csrf, address, created, seen, expires, ended] = cols;
    let need = |c: Option<String>| c.ok_or_else(|| StoreError::Corrupt("session column is null".into()));
    Ok(SessionRow {
        token_hash: need(token_hash)?,
        login: need(login)?,
        stage: need(stage)?,
        csrf_token: need(csrf)?,
        address: need(address)?,
        created_at: time_of(&need(created)?)?,
        last_seen: time_of(&need(seen)?)?,
        expires_at: time_of(&need(expires)?)?,
        ended_at: ended.as_deref().map(time_of).transpose()?,
    })
}

const TOKEN_COLUMNS: &str = "id, token_hash, login, name, scope, created_at, revoked_at";

fn token_of(r: &Row) -> rusqlite::Result<[Option<String>; 7]> {
    Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?])
}

fn finish_token(cols: [Option<String>; 7]) -> Result<TokenRow> {
    let [id, hash, login, name, scope, created, revoked] = cols;
    let need = |c: Option<String>| c.ok_or_else(|| StoreError::Corrupt("token column is null".into()));
    Ok(TokenRow {
        id: uuid_of(&need(id)?)?,
        token_hash: need(hash)?,
        login: need(login)?,
        name: need(name)?,
        scope: list_of(&need(scope)?)?,
        created_at: time_of(&need(created)?)?,
        revoked_at: revoked.as_deref().map(time_of).transpose()?,
    })
}

const AUDIT_COLUMNS: &str = "seq, at, actor, address, action, target, detail, prev_hash, hash";

fn audit_of(r: &Row) -> rusqlite::Result<(AuditEntry, String)> {
    Ok((
        AuditEntry {
            seq: r.get(0)?,
            at: DateTime::UNIX_EPOCH,
            actor: r.get(2)?,
            address: r.get(3)?,
            action: r.get(4)?,
            target: r.get(5)?,
            detail: r.get(6)?,
            prev_hash: r.get(7)?,
            hash: r.get(8)?,
        },
        r.get(1)?,
    ))
}

fn finish_audit((mut e, at): (AuditEntry, String)) -> Result<AuditEntry> {
    e.at = time_of(&at)?;
    Ok(e)
}

/// Appends a record after the trail's head and advances the head, on a
/// connection inside a write transaction (its own, or an act's).
pub(super) fn append_audit(conn: &rusqlite::Connection, event: AuditEvent) -> Result<AuditEntry> {
    let (seq, hash): (i64, String) = conn
        .prepare_cached("SELECT seq, hash FROM audit_head WHERE id = 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let e = event.chained(seq + 1, &hash);
    conn.prepare_cached(&format!("INSERT INTO audit ({AUDIT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"))?
        .execute(params![e.seq, stamp(e.at), e.actor, e.address, e.action, e.target, e.detail, e.prev_hash, e.hash])?;
    conn.prepare_cached("UPDATE audit_head SET seq = ?1, hash = ?2 WHERE id = 1")?.execute(params![e.seq, e.hash])?;
    Ok(e)
}

impl SqliteStore {
    fn write(&self, sql: &str, args: impl rusqlite::Params) -> Result<usize> {
        let conn = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        Ok(conn.prepare_cached(sql)?.execute(args)?)
    }
}

impl Accounts for SqliteStore {
    fn add_user(&self, u: &UserRow) -> Result<()> {
        let conn = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        conn.prepare_cached(&format!(
            "INSERT INTO users ({USER_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
        ))?
        .execute(params![
            u.login,
            u.display_name,
            u.role,
            u.home_unit,
            json_list(&u.grants),
            u.password_hash,
            u.totp_secret,
            u.totp_enrolled,
            u.disabled,
            stamp(u.created_at)
        ])
        .map_err(|e| taken(e, &u.login))?;
        Ok(())
    }

    fn user(&self, login: &str) -> Result<Option<UserRow>> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE login = ?1"))?;
        stmt.query_row([login], user_of).optional()?.map(finish_user).transpose()
    }

    fn users(&self) -> Result<Vec<UserRow>> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY login"))?;
        let rows = stmt.query_map([], user_of)?.collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(finish_user).collect()
    }

    fn set_disabled(&self, login: &str, disabled: bool) -> Result<bool> {
        Ok(self.write("UPDATE users SET disabled = ?2 WHERE login = ?1", params![login, disabled])? > 0)
    }

    fn set_password(&self, login: &str, password_hash: &str) -> Result<bool> {
        Ok(self.write("UPDATE users SET password_hash = ?2 WHERE login = ?1", params![login, password_hash])? > 0)
    }

    fn set_totp(&self, login: &str, secret: Option<&str>, enrolled: bool) -> Result<bool> {
        let sql = "UPDATE users SET totp_secret = ?2, totp_enrolled = ?3, totp_last_step = NULL WHERE login = ?1";
        Ok(self.write(sql, params![login, secret, enrolled])? > 0)
    }

    fn use_totp_step(&self, login: &str, step: i64) -> Result<bool> {
        let sql = "UPDATE users SET totp_last_step = ?2
                   WHERE login = ?1 AND (totp_last_step IS NULL OR totp_last_step < ?2)";
        Ok(self.write(sql, params![login, step])? == 1)
    }

    fn replace_recovery_codes(&self, login: &str, code_hashes: &[String]) -> Result<()> {
        let mut conn = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM recovery_codes WHERE login = ?1", [login])?;
        {
            let mut add = tx.prepare_cached("INSERT INTO recovery_codes (login, code_hash) VALUES (?1, ?2)")?;
            for h in code_hashes {
                add.execute(params![login, h])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn use_recovery_code(&self, login: &str, code_hash: &str, at: DateTime<Utc>) -> Result<bool> {
        let sql = "UPDATE recovery_codes SET used_at = ?3 WHERE login = ?1 AND code_hash = ?2 AND used_at IS NULL";
        Ok(self.write(sql, params![login, code_hash, stamp(at)])? == 1)
    }

    fn add_session(&self, s: &SessionRow) -> Result<()> {
        self.write(
            &format!("INSERT INTO sessions ({SESSION_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
            params![
                s.token_hash,
                s.login,
                s.stage,
                s.csrf_token,
                s.address,
                stamp(s.created_at),
                stamp(s.last_seen),
                stamp(s.expires_at),
                s.ended_at.map(stamp)
            ],
        )?;
        Ok(())
    }

    fn session(&self, token_hash: &str) -> Result<Option<SessionRow>> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached(&format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE token_hash = ?1"))?;
        stmt.query_row([token_hash], session_of).optional()?.map(finish_session).transpose()
    }

    fn touch_session(&self, token_hash: &str, at: DateTime<Utc>) -> Result<()> {
        self.write("UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1", params![token_hash, stamp(at)])?;
        Ok(())
    }

    fn end_session(&self, token_hash: &str, at: DateTime<Utc>) -> Result<()> {
        let sql = "UPDATE sessions SET ended_at = ?2 WHERE token_hash = ?1 AND ended_at IS NULL";
        self.write(sql, params![token_hash, stamp(at)])?;
        Ok(())
    }

    fn end_sessions(&self, login: &str, at: DateTime<Utc>) -> Result<u64> {
        let sql = "UPDATE sessions SET ended_at = ?2 WHERE login = ?1 AND ended_at IS NULL";
        Ok(self.write(sql, params![login, stamp(at)])? as u64)
    }

    fn add_token(&self, t: &TokenRow) -> Result<()> {
        self.write(
            &format!("INSERT INTO api_tokens ({TOKEN_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
            params![
                t.id.to_string(),
                t.token_hash,
                t.login,
                t.name,
                json_list(&t.scope),
                stamp(t.created_at),
                t.revoked_at.map(stamp)
            ],
        )?;
        Ok(())
    }

    fn token(&self, token_hash: &str) -> Result<Option<TokenRow>> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare_cached(&format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = ?1"))?;
        stmt.query_row([token_hash], token_of).optional()?.map(finish_token).transpose()
    }

    fn tokens(&self, login: &str) -> Result<Vec<TokenRow>> {
        let conn = self.reader()?;
        let mut stmt = conn
            .prepare_cached(&format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE login = ?1 ORDER BY created_at"))?;
        let rows = stmt.query_map([login], token_of)?.collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(finish_token).collect()
    }

    fn revoke_token(&self, login: &str, id: uuid::Uuid, at: DateTime<Utc>) -> Result<bool> {
        let sql = "UPDATE api_tokens SET revoked_at = ?3 WHERE login = ?1 AND id = ?2 AND revoked_at IS NULL";
        Ok(self.write(sql, params![login, id.to_string(), stamp(at)])? == 1)
    }

    fn add_login_failure(
        &self,
        login: &str,
        address: &str,
        at: DateTime<Utc>,
        forget_before: DateTime<Utc>,
    ) -> Result<()> {
        self.write("DELETE FROM login_failures WHERE at < ?1", [stamp(forget_before)])?;
        let sql = "INSERT INTO login_failures (login, address, at) VALUES (?1, ?2, ?3)";
        self.write(sql, params![login, address, stamp(at)])?;
        Ok(())
    }

    fn login_failures_since(&self, login: &str, address: &str, since: DateTime<Utc>) -> Result<(u64, u64)> {
        let conn = self.reader()?;
        let count = |sql: &str, key: &str| -> Result<u64> {
            Ok(conn.prepare_cached(sql)?.query_row(params![key, stamp(since)], |r| r.get::<_, i64>(0))? as u64)
        };
        Ok((
            count("SELECT COUNT(*) FROM login_failures WHERE login = ?1 AND at >= ?2", login)?,
            count("SELECT COUNT(*) FROM login_failures WHERE address = ?1 AND at >= ?2", address)?,
        ))
    }

    fn clear_login_failures(&self, login: &str) -> Result<()> {
        self.write("DELETE FROM login_failures WHERE login = ?1", [login])?;
        Ok(())
    }

    fn audit_append(&self, event: AuditEvent) -> Result<AuditEntry> {
        let mut conn = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let e = append_audit(&tx, event)?;
        tx.commit()?;
        Ok(e)
    }

    fn audit_search(&self, q: &AuditQuery) -> Result<AuditPage> {
        let mut sql = format!("SELECT {AUDIT_COLUMNS} FROM audit WHERE 1 = 1");
        let mut args: Vec<Value> = Vec::new();
        let mut arg = |sql: &mut String, clause: &str, v: Value| {
            args.push(v);
            sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
        };
        if let Some(a) = &q.actor {
            arg(&mut sql, " AND actor = ?", Value::Text(a.clone()));
        }
        if let Some(a) = &q.action {
            arg(&mut sql, " AND action = ?", Value::Text(a.clone()));
        }
        if let Some(t) = &q.target {
            arg(&mut sql, " AND target = ?", Value::Text(t.clone()));
        }
        if let Some(f) = q.from {
            arg(&mut sql, " AND at >= ?", Value::Text(stamp(f)));
        }
        if let Some(t) = q.to {
            arg(&mut sql, " AND at < ?", Value::Text(stamp(t)));
        }
        sql.push_str(" ORDER BY seq DESC");
        arg(&mut sql, " LIMIT ?", Value::Integer(i64::try_from(q.limit + 1).unwrap_or(i64::MAX)));
        arg(&mut sql, " OFFSET ?", Value::Integer(i64::try_from(q.offset).unwrap_or(i64::MAX)));
        let conn = self.reader()?;
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), audit_of)?.collect::<rusqlite::Result<Vec<_>>>()?;
        let mut items = rows.into_iter().map(finish_audit).collect::<Result<Vec<_>>>()?;
        let has_more = items.len() as u64 > q.limit;
        items.truncate(usize::try_from(q.limit).unwrap_or(usize::MAX));
        Ok(AuditPage { items, has_more })
    }

    fn audit_verify(&self) -> Result<std::result::Result<i64, ChainBreak>> {
        let conn = self.reader()?;
        // One snapshot: the head and the records it should end.
        super::in_snapshot(&conn, || {
            let (seq, hash): (i64, String) =
                conn.query_row("SELECT seq, hash FROM audit_head WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))?;
            let mut stmt = conn.prepare_cached(&format!("SELECT {AUDIT_COLUMNS} FROM audit ORDER BY seq"))?;
            let mut rows = stmt.query([])?;
            let mut walker = ChainWalker::new(audit::CHAIN);
            while let Some(row) = rows.next()? {
                if let Err(brk) = walker.feed(&finish_audit(audit_of(row)?)?) {
                    return Ok(Err(brk));
                }
            }
            Ok(walker.finish(seq, &hash))
        })
    }

    fn prune(&self, sessions_before: DateTime<Utc>, failures_before: DateTime<Utc>) -> Result<(u64, u64)> {
        let sessions =
            self.write("DELETE FROM sessions WHERE ended_at < ?1 OR expires_at < ?1", [stamp(sessions_before)])?;
        let failures = self.write("DELETE FROM login_failures WHERE at < ?1", [stamp(failures_before)])?;
        Ok((sessions as u64, failures as u64))
    }
}
