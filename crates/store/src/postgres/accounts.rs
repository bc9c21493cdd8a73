//! Accounts and the audit trail on PostgreSQL. The audit head row is locked
//! `FOR UPDATE` while a record is appended, so records queue for their number.

use super::PgStore;
use crate::accounts::{Accounts, AuditPage, AuditQuery, SessionRow, TokenRow, UserRow};
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use crimeboard_domain::audit::{self, AuditEntry, AuditEvent};
use crimeboard_domain::journal::{ChainBreak, ChainWalker};
use postgres::Row;
use postgres::types::ToSql;
use uuid::Uuid;

fn taken(e: postgres::Error, what: &str) -> StoreError {
    if e.code() == Some(&postgres::error::SqlState::UNIQUE_VIOLATION) {
        StoreError::AlreadyExists(what.to_string())
    } else {
        e.into()
    }
}

const USER_COLUMNS: &str =
    "login, display_name, role, home_unit, grants, password_hash, totp_secret, totp_enrolled, disabled, created_at";

fn user_of(r: &Row) -> Result<UserRow> {
    Ok(UserRow {
        login: r.try_get(0)?,
        display_name: r.try_get(1)?,
        role: r.try_get(2)?,
        home_unit: r.try_get(3)?,
        grants: r.try_get(4)?,
        password_hash: r.try_get(5)?,
        totp_secret: r.try_get(6)?,
        totp_enrolled: r.try_get(7)?,
        disabled: r.try_get(8)?,
        created_at: r.try_get(9)?,
    })
}

const SESSION_COLUMNS: &str =
    "token_hash, login, stage, csrf_token, address, created_at, last_seen, expires_at, ended_at";

fn session_of(r: &Row) -> Result<SessionRow> {
    Ok(SessionRow {
        token_hash: r.try_get(0)?,
        login: r.try_get(1)?,
        stage: r.try_get(2)?,
        csrf_token: r.try_get(3)?,
        address: r.try_get(4)?,
        created_at: r.try_get(5)?,
        last_seen: r.try_get(6)?,
        expires_at: r.try_get(7)?,
        ended_at: r.try_get(8)?,
    })
}

const TOKEN_COLUMNS: &str = "id, token_hash, login, name, scope, created_at, revoked_at";

fn token_of(r: &Row) -> Result<TokenRow> {
    Ok(TokenRow {
        id: r.try_get(0)?,
        token_hash: r.try_get(1)?,
        login: r.try_get(2)?,
        name: r.try_get(3)?,
        scope: r.try_get(4)?,
        created_at: r.try_get(5)?,
        revoked_at: r.try_get(6)?,
    })
}

const AUDIT_COLUMNS: &str = "seq, at, actor, address, action, target, detail, prev_hash, hash";

fn audit_of(r: &Row) -> Result<AuditEntry> {
    Ok(AuditEntry {
        seq: r.try_get(0)?,
        at: r.try_get(1)?,
        actor: r.try_get(2)?,
        address: r.try_get(3)?,
        action: r.try_get(4)?,
        target: r.try_get(5)?,
        detail: r.try_get(6)?,
        prev_hash: r.try_get(7)?,
        hash: r.try_get(8)?,
    })
}

/// Appends a record after the trail's head, locked `FOR UPDATE` until the
/// surrounding transaction (its own, or an act's) ends, and advances the head.
pub(super) fn append_audit(c: &mut impl postgres::GenericClient, event: AuditEvent) -> Result<AuditEntry> {
    let head = c.query_one("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE", &[])?;
    let e = event.chained(head.get::<_, i64>(0) + 1, head.get(1));
    c.execute(
        &format!("INSERT INTO audit ({AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"),
        &[&e.seq, &e.at, &e.actor, &e.address, &e.action, &e.target, &e.detail, &e.prev_hash, &e.hash],
    )?;
    c.execute("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1", &[&e.seq, &e.hash])?;
    Ok(e)
}

impl PgStore {
    fn exec(&self, sql: &str, args: &[&(dyn ToSql + Sync)]) -> Result<u64> {
        self.pool.get()?.execute(sql, args)
    }
}

impl Accounts for PgStore {
    fn add_user(&self, u: &UserRow) -> Result<()> {
        let mut conn = self.pool.get()?;
        let stmt = conn.prepared(&format!(
            "INSERT INTO users ({USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        ))?;
        conn.client
            .execute(
                &stmt,
                &[
                    &u.login,
                    &u.display_name,
                    &u.role,
                    &u.home_unit,
                    &u.grants,
                    &u.password_hash,
                    &u.totp_secret,
                    &u.totp_enrolled,
                    &u.disabled,
                    &u.created_at,
                ],
            )
            .map_err(|e| taken(e, &u.login))?;
        Ok(())
    }

    fn user(&self, login: &str) -> Result<Option<UserRow>> {
        let row =
            self.pool.get()?.query_opt(&format!("SELECT {USER_COLUMNS} FROM users WHERE login = $1"), &[&login])?;
        row.as_ref().map(user_of).transpose()
    }

    fn users(&self) -> Result<Vec<UserRow>> {
        let rows = self.pool.get()?.query(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY login"), &[])?;
        rows.iter().map(user_of).collect()
    }

    fn set_disabled(&self, login: &str, disabled: bool) -> Result<bool> {
        Ok(self.exec("UPDATE users SET disabled = $2 WHERE login = $1", &[&login, &disabled])? > 0)
    }

    fn set_password(&self, login: &str, password_hash: &str) -> Result<bool> {
        Ok(self.exec("UPDATE users SET password_hash = $2 WHERE login = $1", &[&login, &password_hash])? > 0)
    }

    fn set_totp(&self, login: &str, secret: Option<&str>, enrolled: bool) -> Result<bool> {
        let sql = "UPDATE users SET totp_secret = $2, totp_enrolled = $3, totp_last_step = NULL WHERE login = $1";
        Ok(self.exec(sql, &[&login, &secret, &enrolled])? > 0)
    }

    fn use_totp_step(&self, login: &str, step: i64) -> Result<bool> {
        let sql = "UPDATE users SET totp_last_step = $2
                   WHERE login = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)";
        Ok(self.exec(sql, &[&login, &step])? == 1)
    }

    fn replace_recovery_codes(&self, login: &str, code_hashes: &[String]) -> Result<()> {
        let mut conn = self.pool.get()?;
        let mut tx = conn.client.transaction()?;
        tx.execute("DELETE FROM recovery_codes WHERE login = $1", &[&login])?;
        for h in code_hashes {
            tx.execute("INSERT INTO recovery_codes (login, code_hash) VALUES ($1, $2)", &[&login, h])?;
        }
        tx.commit()?;
        Ok(())
    }

    fn use_recovery_code(&self, login: &str, code_hash: &str, at: DateTime<Utc>) -> Result<bool> {
        let sql = "UPDATE recovery_codes SET used_at = $3 WHERE login = $1 AND code_hash = $2 AND used_at IS NULL";
        Ok(self.exec(sql, &[&login, &code_hash, &at])? == 1)
    }

    fn add_session(&self, s: &SessionRow) -> Result<()> {
        self.exec(
            &format!("INSERT INTO sessions ({SESSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"),
            &[
                &s.token_hash,
                &s.login,
                &s.stage,
                &s.csrf_token,
                &s.address,
                &s.created_at,
                &s.last_seen,
                &s.expires_at,
                &s.ended_at,
            ],
        )?;
        Ok(())
    }

    fn session(&self, token_hash: &str) -> Result<Option<SessionRow>> {
        let sql = format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE token_hash = $1");
        let row = self.pool.get()?.query_opt(&sql, &[&token_hash])?;
        row.as_ref().map(session_of).transpose()
    }

    fn touch_session(&self, token_hash: &str, at: DateTime<Utc>) -> Result<()> {
        self.exec("UPDATE sessions SET last_seen = $2 WHERE token_hash = $1", &[&token_hash, &at])?;
        Ok(())
    }

    fn end_session(&self, token_hash: &str, at: DateTime<Utc>) -> Result<()> {
        let sql = "UPDATE sessions SET ended_at = $2 WHERE token_hash = $1 AND ended_at IS NULL";
        self.exec(sql, &[&token_hash, &at])?;
        Ok(())
    }

    fn end_sessions(&self, login: &str, at: DateTime<Utc>) -> Result<u64> {
        self.exec("UPDATE sessions SET ended_at = $2 WHERE login = $1 AND ended_at IS NULL", &[&login, &at])
    }

    fn add_token(&self, t: &TokenRow) -> Result<()> {
        self.exec(
            &format!("INSERT INTO api_tokens ({TOKEN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"),
            &[&t.id, &t.token_hash, &t.login, &t.name, &t.scope, &t.created_at, &t.revoked_at],
        )?;
        Ok(())
    }

    fn token(&self, token_hash: &str) -> Result<Option<TokenRow>> {
        let sql = format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = $1");
        let row = self.pool.get()?.query_opt(&sql, &[&token_hash])?;
        row.as_ref().map(token_of).transpose()
    }

    fn tokens(&self, login: &str) -> Result<Vec<TokenRow>> {
        let sql = format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE login = $1 ORDER BY created_at");
        let rows = self.pool.get()?.query(&sql, &[&login])?;
        rows.iter().map(token_of).collect()
    }

    fn revoke_token(&self, login: &str, id: Uuid, at: DateTime<Utc>) -> Result<bool> {
        let sql = "UPDATE api_tokens SET revoked_at = $3 WHERE login = $1 AND id = $2 AND revoked_at IS NULL";
        Ok(self.exec(sql, &[&login, &id, &at])? == 1)
    }

    fn add_login_failure(
        &self,
        login: &str,
        address: &str,
        at: DateTime<Utc>,
        forget_before: DateTime<Utc>,
    ) -> Result<()> {
        self.exec("DELETE FROM login_failures WHERE at < $1", &[&forget_before])?;
        self.exec("INSERT INTO login_failures (login, address, at) VALUES ($1, $2, $3)", &[&login, &address, &at])?;
        Ok(())
    }

    fn login_failures_since(&self, login: &str, address: &str, since: DateTime<Utc>) -> Result<(u64, u64)> {
        let row = self.pool.get()?.query_opt(
            "SELECT (SELECT COUNT(*) FROM login_failures WHERE login = $1 AND at >= $3),
                    (SELECT COUNT(*) FROM login_failures WHERE address = $2 AND at >= $3)",
            &[&login, &address, &since],
        )?;
        let (by_login, by_address): (i64, i64) = row.map(|r| (r.get(0), r.get(1))).unwrap_or((0, 0));
        Ok((by_login as u64, by_address as u64))
    }

    fn clear_login_failures(&self, login: &str) -> Result<()> {
        self.exec("DELETE FROM login_failures WHERE login = $1", &[&login])?;
        Ok(())
    }

    fn audit_append(&self, event: AuditEvent) -> Result<AuditEntry> {
        let mut conn = self.pool.get()?;
        let mut tx = conn.client.transaction()?;
        let e = append_audit(&mut tx, event)?;
        tx.commit()?;
        Ok(e)
    }

    fn audit_search(&self, q: &AuditQuery) -> Result<AuditPage> {
        let mut sql = format!("SELECT {AUDIT_COLUMNS} FROM audit WHERE 1 = 1");
        let mut args: Vec<Box<dyn ToSql + Sync>> = Vec::new();
        let mut arg = |sql: &mut String, clause: &str, v: Box<dyn ToSql + Sync>| {
            args.push(v);
            sql.push_str(&clause.replace('?', &format!("${}", args.len())));
        };
        if let Some(a) = &q.actor {
            arg(&mut sql, " AND actor = ?", Box::new(a.clone()));
        }
        if let Some(a) = &q.action {
            arg(&mut sql, " AND action = ?", Box::new(a.clone()));
        }
        if let Some(t) = &q.target {
            arg(&mut sql, " AND target = ?", Box::new(t.clone()));
        }
        if let Some(f) = q.from {
            arg(&mut sql, " AND at >= ?", Box::new(f));
        }
        if let Some(t) = q.to {
            arg(&mut sql, " AND at < ?", Box::new(t));
        }
        sql.push_str(" ORDER BY seq DESC");
        arg(&mut sql, " LIMIT ?", Box::new(i64::try_from(q.limit + 1).unwrap_or(i64::MAX)));
        arg(&mut sql, " OFFSET ?", Box::new(i64::try_from(q.offset).unwrap_or(i64::MAX)));
        let refs: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a.as_ref()).collect();
        let rows = self.pool.get()?.client.query(&sql, &refs)?;
        let mut items = rows.iter().map(audit_of).collect::<Result<Vec<_>>>()?;
        let has_more = items.len() as u64 > q.limit;
        items.truncate(usize::try_from(q.limit).unwrap_or(usize::MAX));
        Ok(AuditPage { items, has_more })
    }

    fn audit_verify(&self) -> Result<std::result::Result<i64, ChainBreak>> {
        let mut conn = self.pool.get()?;
        // One snapshot: the head and the records it should end.
        let mut tx = super::snapshot(&mut conn.client)?;
        let head = tx.query_one("SELECT seq, hash FROM audit_head WHERE id = 1", &[])?;
        let (seq, hash): (i64, String) = (head.get(0), head.get(1));
        let mut walker = ChainWalker::new(audit::CHAIN);
        let stmt = tx.prepare(&format!("SELECT {AUDIT_COLUMNS} FROM audit ORDER BY seq"))?;
        let mut rows = tx.query_raw(&stmt, std::iter::empty::<&(dyn ToSql + Sync)>())?;
        use postgres::fallible_iterator::FallibleIterator;
        let mut broken = None;
        while let Some(row) = rows.next()? {
            if let Err(brk) = walker.feed(&audit_of(&row)?) {
                broken = Some(brk);
                break;
            }
        }
        drop(rows);
        tx.commit()?;
        Ok(match broken {
            Some(brk) => Err(brk),
            None => walker.finish(seq, &hash),
        })
    }

    fn prune(&self, sessions_before: DateTime<Utc>, failures_before: DateTime<Utc>) -> Result<(u64, u64)> {
        let sessions = self.exec("DELETE FROM sessions WHERE ended_at < $1 OR expires_at < $1", &[&sessions_before])?;
        let failures = self.exec("DELETE FROM login_failures WHERE at < $1", &[&failures_before])?;
        Ok((sessions, failures))
    }
}
