//! The public pages, kept as the public saw them: a page is the same for
//! every reader who asks for it at the same journal position and day, in
//! the same language and display settings, so it is rendered once and then
//! served from memory (`load::Load::pages`, bounded in bytes). Every act
//! moves the position, so a kept page is never stale and nothing is
//! invalidated; a scheduled release reaching the public moves no position,
//! so the key holds the latest moment a release reached it by now too. A
//! signed-in member of staff, whose frame is their own, is served afresh.

use super::viewer::Viewer;
use crate::load::{KeptPage, Load, PageKey, PositionRead, accepts_gzip, gzip};
use crate::state::blocking;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{CONTENT_ENCODING, CONTENT_TYPE, VARY};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use crimeboard_domain::access::Role;
use crimeboard_domain::release::Release;
use crimeboard_service::Registry;
use std::sync::Arc;

/// Says whether a page came from memory (`hit`) or was rendered (`miss`).
pub const CACHE_HEADER: HeaderName = HeaderName::from_static("x-cache");

/// A page larger than this is served but not kept.
const LARGEST_KEPT: usize = 4 << 20;

pub async fn keep(State((registry, load)): State<(Arc<Registry>, Arc<Load>)>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let Ok(v) = Viewer::from_request_parts(&mut parts, &()).await;
    let position = parts.extensions.get::<PositionRead>().map(|p| p.0);
    let (Some(position), true) = (position, parts.method == Method::GET && v.role() == Role::Public) else {
        return next.run(Request::from_parts(parts, body)).await;
    };
    let gzipped = accepts_gzip(&parts.headers);
    let now = registry.jurisdiction().rules.local_time(registry.now());
    let day = now.date();
    let news = match news_moment(&registry, &load, position, now).await {
        Ok(moment) => moment,
        Err(problem) => return problem.into_response(),
    };
    let key = PageKey {
        here: v.here.clone(),
        lang: v.lang.code(),
        display: v.display.cookie_value(),
        public_frame: v.public,
        position,
        day,
        news,
    };
    if let Some(kept) = load.pages.get(&key) {
        return served(kept, "hit", gzipped);
    }
    let res = next.run(Request::from_parts(parts, body)).await;
    let is_html = res.headers().get(CONTENT_TYPE).is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    if res.status() != StatusCode::OK || !is_html {
        return res;
    }
    let (head, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, LARGEST_KEPT).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "page too large to serve").into_response();
    };
    let Ok(compressed) = gzip(&bytes) else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "page not compressed").into_response();
    };
    let kept = KeptPage { headers: head.headers, body: bytes, gzipped: compressed };
    let bytes = kept.body.len() + kept.gzipped.len() + kept.headers.len() * 64 + 256;
    load.pages.insert(key, kept.clone(), bytes);
    served(kept, "miss", gzipped)
}

/// The latest civil moment a published release reached the public by
/// `now`, from the moments read once per journal position.
async fn news_moment(
    registry: &Arc<Registry>,
    load: &Load,
    position: i64,
    now: chrono::NaiveDateTime,
) -> Result<Option<chrono::NaiveDateTime>, crate::problem::Problem> {
    let moments = match load.news.at(position) {
        Some(moments) => moments,
        None => {
            let read = blocking(registry, |r| {
                let releases = r.published_releases().map_err(crate::problem::Problem::from_service)?;
                Ok(releases.iter().filter_map(Release::public_from).collect::<Vec<_>>())
            })
            .await?;
            let read = Arc::new(read);
            load.news.keep(position, read.clone());
            read
        }
    };
    Ok(moments.iter().filter(|m| **m <= now).max().copied())
}

/// A kept page with status 200, the only one kept: gzipped as kept for a
/// client that accepts it, which the compression layer then leaves alone.
fn served(kept: KeptPage, how: &'static str, gzipped: bool) -> Response {
    let body = if gzipped { kept.gzipped } else { kept.body };
    let mut res = Response::new(Body::from(body));
    *res.headers_mut() = kept.headers;
    if gzipped {
        res.headers_mut().insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    res.headers_mut().insert(VARY, HeaderValue::from_static("accept-encoding"));
    res.headers_mut().insert(CACHE_HEADER, HeaderValue::from_static(how));
    res
}
