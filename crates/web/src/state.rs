//! What every handler shares: the registry, as the router's state, and the
//! one way to call it. The store is synchronous (the PostgreSQL client
//! blocks), so every registry call runs on the blocking pool, never on an
//! async worker.

use crate::problem::Problem;
use axum::extract::State;
use crimeboard_service::Registry;
use std::sync::Arc;

/// The router's state as a handler takes it.
pub type Shared = State<Arc<Registry>>;

/// Runs `f` on the blocking pool. A panic there is a 500, not a dead worker.
pub async fn blocking<T, F>(registry: &Arc<Registry>, f: F) -> Result<T, Problem>
where
    F: FnOnce(&Registry) -> Result<T, Problem> + Send + 'static,
    T: Send + 'static,
{
    let registry = registry.clone();
    tokio::task::spawn_blocking(move || f(&registry))
        .await
        .map_err(|e| Problem::internal(format!("blocking task: {e}")))?
}
