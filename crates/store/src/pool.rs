//! A minimal connection pool: connections are made on demand and kept for
//! reuse, up to a cap. Enough for a handful of worker threads.

use std::sync::Mutex;

pub(crate) struct Pool<C> {
    idle: Mutex<Vec<C>>,
    keep: usize,
    make: Box<dyn Fn() -> crate::Result<C> + Send + Sync>,
}

pub(crate) struct Pooled<'a, C> {
    pool: &'a Pool<C>,
    conn: Option<C>,
}

impl<C> Pool<C> {
    pub(crate) fn new(keep: usize, make: impl Fn() -> crate::Result<C> + Send + Sync + 'static) -> Self {
        Pool { idle: Mutex::new(Vec::new()), keep, make: Box::new(make) }
    }

    pub(crate) fn get(&self) -> crate::Result<Pooled<'_, C>> {
        let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let conn = match idle {
            Some(c) => c,
            None => (self.make)()?,
        };
        Ok(Pooled { pool: self, conn: Some(conn) })
    }
}

impl<C> Pooled<'_, C> {
    /// Drops the connection instead of returning it (after an error that may have broken it).
    pub(crate) fn discard(mut self) {
        self.conn = None;
    }
}

impl<C> std::ops::Deref for Pooled<'_, C> {
    type Target = C;
    fn deref(&self) -> &C {
        self.conn.as_ref().expect("connection present until drop")
    }
}

impl<C> std::ops::DerefMut for Pooled<'_, C> {
    fn deref_mut(&mut self) -> &mut C {
        self.conn.as_mut().expect("connection present until drop")
    }
}

impl<C> Drop for Pooled<'_, C> {
    fn drop(&mut self) {
        if let Some(c) = self.conn.take() {
            let mut idle = self.pool.idle.lock().unwrap_or_else(|e| e.into_inner());
            if idle.len() < self.pool.keep {
                idle.push(c);
            }
        }
    }
}
