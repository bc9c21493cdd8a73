//! Bounded work under load. Answers that cost much to compute and are asked
//! for often (the Board's report, the public's figures) are kept per journal
//! position: an act moves the position, so a kept answer is never stale and
//! nothing has to be invalidated. The heavy routes take a permit from one
//! semaphore: a request that finds none within a short wait is answered 503
//! with `Retry-After`, so memory stays bounded however many clients ask.

use crate::problem::{Problem, kind};
use axum::extract::{Request, State};
use axum::http::header::{ACCEPT_ENCODING, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;

/// How much heavy work runs at once, and how long an excess request waits.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Heavy requests served at once.
    pub heavy_at_once: usize,
    /// How long a heavy request waits for its turn before it is refused.
    pub heavy_wait: Duration,
    /// The bytes of answers kept (the report's files, the figures' data).
    pub cache_bytes: usize,
    /// The public site's forms (an online report, an appeal, a status
    /// looked up, a survey sent): how many posts one client address may
    /// make at once, and how many more each hour after that.
    pub online_burst: u32,
    pub online_per_hour: u32,
    /// How many client addresses the forms' limiter remembers at most.
    pub online_addresses: usize,
}

impl Default for Limits {
    fn default() -> Self {
        // Two per core: each computation holds a report (a few MB) while it
        // runs; more at once only makes every one of them slower.
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Limits {
            heavy_at_once: 2 * cores,
            heavy_wait: Duration::from_secs(2),
            cache_bytes: 64 << 20,
            online_burst: 10,
            online_per_hour: 30,
            online_addresses: 10_000,
        }
    }
}

/// What the router shares for load: the permits and the kept answers.
pub struct Load {
    permits: Semaphore,
    wait: Duration,
    /// The report's bytes, by what was asked and the journal position.
    pub reports: Cache<ReportKey, axum::body::Bytes>,
    /// The public's figures, by period, threshold and journal position.
    pub figures: Cache<FiguresKey, Arc<crimeboard_stats::disclosure::OpenData>>,
    /// The public site's pages as the public sees them, by address,
    /// language, display settings, journal position and day.
    pub pages: Cache<PageKey, KeptPage>,
    /// The releases' public moments, which the pages' keys hold the latest passed of.
    pub news: NewsMoments,
    /// The public site's forms' posts per client address.
    pub online: RateLimiter,
}

impl Load {
    pub fn new(limits: &Limits) -> Load {
        Load {
            permits: Semaphore::new(limits.heavy_at_once),
            wait: limits.heavy_wait,
            // Half each: neither kind of answer can push out all of the other.
            reports: Cache::new(limits.cache_bytes / 2),
            figures: Cache::new(limits.cache_bytes / 2),
            // The pages are small and many: a quarter of the budget besides.
            pages: Cache::new(limits.cache_bytes / 4),
            online: RateLimiter::new(limits.online_burst, limits.online_per_hour, limits.online_addresses),
            news: NewsMoments::default(),
        }
    }
}

/// A token bucket per client address, in memory and bounded: an address
/// holds up to `burst` posts and earns `per_hour` more an hour. No
/// third-party service and nothing written: the addresses are forgotten when
/// the server stops, and never reach the journal.
pub struct RateLimiter {
    buckets: Mutex<HashMap<String, Bucket>>,
    burst: f64,
    per_second: f64,
    addresses: usize,
}

struct Bucket {
    tokens: f64,
    at: std::time::Instant,
}

impl RateLimiter {
    pub fn new(burst: u32, per_hour: u32, addresses: usize) -> RateLimiter {
        RateLimiter {
            buckets: Mutex::new(HashMap::new()),
            burst: f64::from(burst.max(1)),
            per_second: f64::from(per_hour) / 3600.0,
            addresses: addresses.max(1),
        }
    }

    /// Takes one post for `address` at `now`; when it has none left, how
    /// long until it has one. When the map is full, the addresses whose
    /// buckets have filled up again are forgotten (they hold nothing a new
    /// bucket would not); if none has, a new address waits too, so memory
    /// stays bounded whatever the number of addresses.
    pub fn take(&self, address: &str, now: std::time::Instant) -> Result<(), Duration> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let (burst, rate) = (self.burst, self.per_second);
        let refilled = |b: &Bucket| (b.tokens + now.saturating_duration_since(b.at).as_secs_f64() * rate).min(burst);
        if !buckets.contains_key(address) && buckets.len() >= self.addresses {
            buckets.retain(|_, b| refilled(b) < burst);
            if buckets.len() >= self.addresses {
                return Err(Duration::from_secs(60));
            }
        }
        let bucket = buckets.entry(address.to_string()).or_insert(Bucket { tokens: burst, at: now });
        bucket.tokens = refilled(bucket);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return Ok(());
        }
        let wait = if rate > 0.0 { (1.0 - bucket.tokens) / rate } else { 3600.0 };
        Err(Duration::from_secs_f64(wait.ceil().max(1.0)))
    }
}

/// The journal position read as the request came in, with the pack in force
/// (`Registry::follow_adoptions`): what the caches are looked up at.
#[derive(Debug, Clone, Copy)]
pub struct PositionRead(pub i64);

/// Everything a report's bytes depend on. The units' count stands for the
/// tree, to which units are only ever added, outside the journal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReportKey {
    /// The unit asked for; empty for the whole tree.
    pub scope: String,
    pub period: crimeboard_stats::Period,
    pub lang: crimeboard_export::Lang,
    pub format: crimeboard_export::Format,
    /// Kept gzipped, for a client that accepts it.
    pub gzip: bool,
    pub counting_rules: String,
    pub units: usize,
    pub position: i64,
    /// The unit tree the figures roll up under.
    pub structure: crimeboard_service::Structure,
}

/// Everything the public's figures depend on (see [`ReportKey`] for `units`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FiguresKey {
    pub period: crimeboard_stats::Period,
    pub threshold: i64,
    pub counting_rules: String,
    pub units: usize,
    pub position: i64,
    /// The unit tree the figures roll up under.
    pub structure: crimeboard_service::Structure,
}

/// Everything a public page as the public sees it depends on: what was
/// asked (path and query), how it is shown (language, display settings,
/// which listener's frame), what is recorded (the journal position, which
/// every act, a publication or a change of the units among them, moves) and
/// the civil day (a unit's page shows the structure in force and the
/// receptions to come from today), and the latest moment a published
/// release reached the public (a scheduled release's moment passing moves
/// no position, yet the news, the home and its units' pages show it from then).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageKey {
    pub here: String,
    pub lang: &'static str,
    pub display: String,
    pub public_frame: bool,
    pub position: i64,
    pub day: chrono::NaiveDate,
    pub news: Option<chrono::NaiveDateTime>,
}

/// The civil moments the published releases reach the public from, as read
/// at a journal position: read again only when the position moves.
#[derive(Debug, Default)]
pub struct NewsMoments {
    read: std::sync::Mutex<Option<(i64, Arc<Vec<chrono::NaiveDateTime>>)>>,
}

impl NewsMoments {
    /// The moments as read at `position`, if they were.
    pub fn at(&self, position: i64) -> Option<Arc<Vec<chrono::NaiveDateTime>>> {
        let read = self.read.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        read.as_ref().filter(|(p, _)| *p == position).map(|(_, m)| m.clone())
    }

    pub fn keep(&self, position: i64, moments: Arc<Vec<chrono::NaiveDateTime>>) {
        *self.read.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some((position, moments));
    }
}

/// A page kept: its headers (type, language, caching) and body, and the
/// body gzipped once for the clients that accept it (the router's
/// compression layer would gzip it again for every answer).
#[derive(Debug, Clone)]
pub struct KeptPage {
    pub headers: axum::http::HeaderMap,
    pub body: axum::body::Bytes,
    pub gzipped: axum::body::Bytes,
}

/// A map bounded in bytes that forgets the least recently used entries.
pub struct Cache<K, V> {
    budget: usize,
    inner: Mutex<Entries<K, V>>,
}

struct Entries<K, V> {
    map: HashMap<K, Entry<V>>,
    bytes: usize,
    clock: u64,
}

struct Entry<V> {
    value: V,
    bytes: usize,
    used: u64,
}

impl<K: Eq + Hash + Clone, V: Clone> Cache<K, V> {
    pub fn new(budget: usize) -> Self {
        Cache { budget, inner: Mutex::new(Entries { map: HashMap::new(), bytes: 0, clock: 0 }) }
    }

    pub fn get(&self, key: &K) -> Option<V> {
        let mut e = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        e.clock += 1;
        let now = e.clock;
        e.map.get_mut(key).map(|entry| {
            entry.used = now;
            entry.value.clone()
        })
    }

    /// Keeps `value`, which takes about `bytes`, forgetting the least recently
    /// used entries until the budget holds it; one larger than the budget is not kept.
    pub fn insert(&self, key: K, value: V, bytes: usize) {
        if bytes > self.budget {
            return;
        }
        let mut e = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(old) = e.map.remove(&key) {
            e.bytes -= old.bytes;
        }
        while e.bytes + bytes > self.budget {
            let Some(oldest) = e.map.iter().min_by_key(|(_, v)| v.used).map(|(k, _)| k.clone()) else { break };
            if let Some(gone) = e.map.remove(&oldest) {
                e.bytes -= gone.bytes;
            }
        }
        e.clock += 1;
        let used = e.clock;
        e.bytes += bytes;
        e.map.insert(key, Entry { value, bytes, used });
    }

    /// The bytes kept.
    pub fn bytes(&self) -> usize {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).bytes
    }
}

/// Whether the client takes gzip: named in `Accept-Encoding` (or `*`) without `q=0`.
pub fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers.get_all(ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let name = parts.next().unwrap_or("");
        let refused = parts.any(|p| p.strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()) == Some(0.0));
        (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
    })
}

/// `bytes` gzipped.
pub fn gzip(bytes: &[u8]) -> std::io::Result<axum::body::Bytes> {
    use std::io::Write;
    let mut encoder =
        flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 8), flate2::Compression::default());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.into())
}

/// Middleware for the heavy routes: a permit, or 503 with `Retry-After`
/// once the wait is over.
pub async fn limit_heavy(State(load): State<Arc<Load>>, req: Request, next: Next) -> Response {
    let permit = tokio::time::timeout(load.wait, load.permits.acquire()).await;
    match permit {
        Ok(Ok(_held)) => next.run(req).await,
        _ => busy(load.wait),
    }
}

/// 503 saying when to try again: after the wait a request is given, at least a second.
fn busy(wait: Duration) -> Response {
    let mut res = Problem::new(StatusCode::SERVICE_UNAVAILABLE, kind::BUSY, vec![]).into_response();
    let seconds = wait.as_secs().max(1);
    res.headers_mut().insert(RETRY_AFTER, HeaderValue::from(seconds));
    res
}

#[cfg(test)]
mod tests {
    use super::{Cache, Limits, Load, RateLimiter, accepts_gzip, limit_heavy};
    use axum::Router;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use axum::routing::get;
    use std::sync::Arc;
    use std::time::Duration;
    use tokio::sync::{Notify, oneshot};
    use tower::ServiceExt;

    #[test]
    fn gzip_is_taken_when_named_or_starred_and_not_refused() {
        use axum::http::{HeaderMap, HeaderValue, header::ACCEPT_ENCODING};
        let with = |value: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(ACCEPT_ENCODING, HeaderValue::from_static(value));
            accepts_gzip(&h)
        };
        assert!(with("gzip") && with("br, GZIP;q=0.5") && with("*") && with("deflate, gzip;q=1.0"));
        assert!(!with("br") && !with("gzip;q=0") && !with("gzip; q=0.000") && !with("identity"));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }

    /// With one permit held by a request in its handler, a second request
    /// waits its while and is refused with a problem saying when to retry;
    /// once the first is done, the next one is served.
    #[tokio::test]
    async fn a_request_beyond_the_limit_is_refused_with_retry_after() {
        let limits =
            Limits { heavy_at_once: 1, heavy_wait: Duration::from_millis(50), cache_bytes: 0, ..Limits::default() };
        let load = Arc::new(Load::new(&limits));
        let (entered_tx, entered) = oneshot::channel::<()>();
        let entered_tx = Arc::new(std::sync::Mutex::new(Some(entered_tx)));
        let release = Arc::new(Notify::new());
        let held = release.clone();
        let handler = move || {
            let (entered_tx, held) = (entered_tx.clone(), held.clone());
            async move {
                let first = entered_tx.lock().unwrap().take();
                if let Some(tx) = first {
                    let _ = tx.send(());
                    held.notified().await;
                }
                "done"
            }
        };
        let router = Router::new()
            .route("/heavy", get(handler).route_layer(axum::middleware::from_fn_with_state(load, limit_heavy)))
            .layer(axum::middleware::from_fn(crate::problem::problem_details));
        let ask = || router.clone().oneshot(Request::get("/heavy").body(Body::empty()).unwrap());
        let first = tokio::spawn(ask());
        entered.await.unwrap();
        let refused = ask().await.unwrap();
        assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(refused.headers()["retry-after"], "1");
        assert_eq!(refused.headers()["content-type"], "application/problem+json");
        release.notify_one();
        assert_eq!(first.await.unwrap().unwrap().status(), StatusCode::OK);
        assert_eq!(ask().await.unwrap().status(), StatusCode::OK, "the permit came back");
    }

    /// An address spends its burst, then waits for the hour's rate to give
    /// it one more; another address is not held back by it; a full map of
    /// addresses forgets only those with nothing spent.
    #[test]
    fn each_address_has_its_own_bucket_and_the_map_stays_bounded() {
        let limiter = RateLimiter::new(2, 3600, 2);
        let start = std::time::Instant::now();
        assert_eq!(limiter.take("a", start), Ok(()));
        assert_eq!(limiter.take("a", start), Ok(()));
        assert_eq!(limiter.take("a", start), Err(Duration::from_secs(1)), "a post a second at 3600 an hour");
        assert_eq!(limiter.take("b", start), Ok(()), "another address has its own bucket");
        assert_eq!(limiter.take("c", start), Err(Duration::from_secs(60)), "two addresses, both with posts spent");
        let later = start + Duration::from_secs(1);
        assert_eq!(limiter.take("a", later), Ok(()), "one earned in a second");
        let refilled = start + Duration::from_secs(10);
        assert_eq!(limiter.take("c", refilled), Ok(()), "b refilled and was forgotten to make room");
    }

    #[test]
    fn the_cache_forgets_the_least_recently_used_to_stay_in_its_budget() {
        let cache = Cache::new(10);
        cache.insert("a", 1, 4);
        cache.insert("b", 2, 4);
        assert_eq!(cache.get(&"a"), Some(1), "a is now the most recently used");
        cache.insert("c", 3, 4);
        assert_eq!((cache.get(&"a"), cache.get(&"b"), cache.get(&"c")), (Some(1), None, Some(3)));
        assert_eq!(cache.bytes(), 8);
        cache.insert("huge", 4, 11);
        assert_eq!(cache.get(&"huge"), None, "larger than the budget: not kept");
        cache.insert("a", 5, 2);
        assert_eq!((cache.get(&"a"), cache.bytes()), (Some(5), 6), "a key kept again replaces its bytes");
    }
}
