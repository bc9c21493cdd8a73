//! Who is asking, and may they? The [`authenticate`] middleware resolves a
//! [`Caller`] from a session cookie or an `Authorization: Bearer` API token
//! and refuses an unsafe request made with a session cookie unless it
//! carries the session's CSRF token. Handlers take the `Caller` as an
//! extractor and call [`Caller::require`] with the action the route needs
//! and the unit of the data; every view of personal data goes through
//! [`Caller::audit`].
//!
//! Nothing here writes HTML or JSON: a request the middleware turns away is
//! answered with a [`Refusal`], which the router renders as a page or a
//! problem. Pages put [`Caller::csrf_token`] into their forms in the field
//! [`CSRF_FIELD`]; a script sends it as the [`CSRF_HEADER`] header.

pub mod client;
pub mod cookies;
pub mod headers;

pub use cookies::{SESSION_COOKIE, cookie_value};

use crate::problem::{Problem, denied, kind, unauthenticated};
use crate::state::{Shared, blocking};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{HeaderName, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use crimeboard_domain::Violation;
use crimeboard_domain::access::{Action, Principal};
use crimeboard_service::Registry;
use crimeboard_service::accounts::{AuthError, By, Stage};
use crimeboard_service::audit::Actor;
use std::net::SocketAddr;
use std::sync::Arc;

/// The sign-in form's address. Its post is the one unsafe request that
/// carries no session's CSRF token, as no session exists yet: it checks a
/// token of its own.
pub const LOGIN_PATH: &str = "/auth/login";
/// The form field that carries the CSRF token.
pub const CSRF_FIELD: &str = "csrf";
/// The header a script sends the CSRF token in.
pub const CSRF_HEADER: HeaderName = HeaderName::from_static("x-csrf-token");

/// How the server's cookies and limits are set.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Mark cookies `Secure`: everywhere but plain HTTP on loopback.
    pub secure_cookies: bool,
    /// A request that takes longer is answered 503 and dropped.
    pub request_timeout: std::time::Duration,
    /// Reverse proxies whose `X-Forwarded-For` names the client (see [`client`]).
    pub trusted_proxies: Vec<client::TrustedNet>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            secure_cookies: true,
            request_timeout: std::time::Duration::from_secs(30),
            trusted_proxies: Vec::new(),
        }
    }
}

/// How the caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    Anonymous,
    /// A signed-in session's cookie; its forms carry this CSRF token.
    Session {
        csrf_token: String,
    },
    ApiToken,
}

/// Who is asking, from where, and how they proved it.
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    pub via: Via,
    /// The peer's address, or `unknown`.
    pub address: String,
}

impl Caller {
    pub fn is_signed_in(&self) -> bool {
        self.via != Via::Anonymous
    }

    /// The session's CSRF token, for a page's forms (none without a session).
    pub fn csrf_token(&self) -> Option<&str> {
        match &self.via {
            Via::Session { csrf_token } => Some(csrf_token),
            _ => None,
        }
    }

    /// Who did it and from where, for the audit trail.
    pub fn actor(&self) -> Actor {
        Actor::new(&self.principal.login, &self.address)
    }

    /// Who makes an administrative change, for the accounts service to authorize.
    pub fn by(&self) -> By {
        By::new(self.principal.clone(), &self.address)
    }

    /// May the caller take `action` on data of `unit`? 401 for someone not
    /// signed in, 403 for someone whose role, token or units do not allow it.
    pub fn require(&self, registry: &Registry, action: Action, unit: Option<&str>) -> Result<(), Problem> {
        registry.authorize(&self.principal, action, unit).map_err(denied)
    }

    /// Records in the audit trail what the caller did; a trail that cannot
    /// be written fails the request, since a view nobody could trace must
    /// not happen.
    pub fn audit(&self, registry: &Registry, action: &str, target: &str, detail: &str) -> Result<(), Problem> {
        registry
            .audit(&self.actor(), action, target, detail)
            .map(|_| ())
            .map_err(|e| Problem::internal(format!("audit: {e}")))
    }
}

/// Why the [`authenticate`] middleware turned a request away, before anyone
/// puts it into words: the router, which knows whether the address is a
/// page or the API's, renders it as a page or a problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// An API token that does not open: never a fall back to anyone else.
    BadToken,
    /// An unsafe request made with the session cookie, without the session's
    /// CSRF token or with another.
    Csrf,
    /// A form body over the limit, read to find the CSRF token in it.
    TooLarge,
    /// The session or the token could not be looked up: the cause is for the log.
    Internal(String),
}

impl Refusal {
    /// What the refusal is, for the layer that renders problems or pages.
    pub fn problem(&self) -> Problem {
        match self {
            Refusal::BadToken => unauthenticated(),
            Refusal::Csrf => {
                Problem::one(StatusCode::FORBIDDEN, kind::FORBIDDEN, Violation::new(CSRF_FIELD, "access.csrf"))
            }
            Refusal::TooLarge => Problem::new(StatusCode::PAYLOAD_TOO_LARGE, kind::TOO_LARGE, vec![]),
            Refusal::Internal(cause) => Problem::internal(cause.clone()),
        }
    }

    fn failed(p: Problem) -> Refusal {
        Refusal::Internal(p.cause.unwrap_or_else(|| p.kind.to_string()))
    }
}

/// Until the router renders it, a refusal travels in the response's
/// extensions, with its status and no body.
impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let mut res = self.problem().status.into_response();
        res.extensions_mut().insert(self);
        res
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Problem> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or_else(|| Problem::internal("no caller: the authenticate middleware is not installed"))
    }
}

/// The client's address as the audit trail, lockout and rate limiting see
/// it: the peer's, or behind a trusted proxy the one it forwards.
pub fn peer_address(req: &Request) -> String {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let trusted = req.extensions().get::<Arc<Settings>>().map_or(&[][..], |s| &s.trusted_proxies[..]);
    client::client_address(peer, req.headers(), trusted).map_or_else(|| "unknown".into(), |ip| ip.to_string())
}

/// Resolves the caller of every request and checks the CSRF token of
/// unsafe requests made with a session cookie; a request turned away is
/// answered with its [`Refusal`].
pub async fn authenticate(State(registry): Shared, req: Request, next: Next) -> Response {
    match resolve(registry, req).await {
        Ok(req) => next.run(req).await,
        Err(refusal) => refusal.into_response(),
    }
}

/// The public site's caller: the public, whatever credentials the request
/// carries. Its listener faces the internet, so a staff session or token
/// is neither checked nor honoured there.
pub async fn anonymous_only(State(registry): Shared, mut req: Request, next: Next) -> Response {
    let caller = anonymous(&registry, peer_address(&req));
    req.extensions_mut().insert(caller);
    next.run(req).await
}

async fn resolve(registry: Arc<Registry>, mut req: Request) -> Result<Request, Refusal> {
    let address = peer_address(&req);
    let bearer = req.headers().get(AUTHORIZATION).map(|v| v.to_str().unwrap_or("").to_string());
    let cookie = cookie_value(req.headers(), SESSION_COOKIE);
    let caller = match (bearer, cookie) {
        // A token that does not open is a 401, never a fall back to anyone else.
        (Some(header), _) => {
            let token = header.strip_prefix("Bearer ").map(str::trim).unwrap_or("").to_string();
            let principal = blocking(&registry, move |r| Ok(r.token_principal(&token))).await;
            let principal = principal.map_err(Refusal::failed)?.map_err(|_| Refusal::BadToken)?;
            Caller { principal, via: Via::ApiToken, address }
        }
        (None, Some(token)) => {
            let session = blocking(&registry, move |r| Ok(r.session(&token))).await.map_err(Refusal::failed)?;
            match session {
                Ok(s) => {
                    // The login form has its own token: there is no signed-in session yet.
                    if is_unsafe(req.method()) && req.uri().path() != LOGIN_PATH {
                        req = check_csrf(req, &s.csrf_token).await?;
                    }
                    match s.stage {
                        Stage::Full => {
                            Caller { principal: s.principal, via: Via::Session { csrf_token: s.csrf_token }, address }
                        }
                        // Half signed in is not signed in.
                        Stage::Password | Stage::Enrol => anonymous(&registry, address),
                    }
                }
                Err(AuthError::SessionEnded) => anonymous(&registry, address),
                Err(e) => return Err(Refusal::Internal(format!("session: {e}"))),
            }
        }
        (None, None) => anonymous(&registry, address),
    };
    req.extensions_mut().insert(caller);
    Ok(req)
}

fn anonymous(registry: &Registry, address: String) -> Caller {
    Caller { principal: registry.anonymous(), via: Via::Anonymous, address }
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The token from the header, or from a form body's field (the body is read
/// and put back, within the body limit).
async fn check_csrf(req: Request, expected: &str) -> Result<Request, Refusal> {
    let same = |given: &str| crimeboard_service::totp::constant_time_eq(given.as_bytes(), expected.as_bytes());
    if let Some(given) = req.headers().get(&CSRF_HEADER) {
        return if same(given.to_str().unwrap_or("")) { Ok(req) } else { Err(Refusal::Csrf) };
    }
    let is_form = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(Refusal::Csrf);
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, crate::body::MAX_BODY_BYTES).await.map_err(|_| Refusal::TooLarge)?;
    let given = form_urlencoded::parse(&bytes).find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v.into_owned());
    if !given.is_some_and(|g| same(&g)) {
        return Err(Refusal::Csrf);
    }
    Ok(Request::from_parts(parts, axum::body::Body::from(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::HttpBody;

    /// The middleware puts nothing into words: a refusal leaves with its
    /// status, no body, and itself for the router to render as a page or a problem.
    #[test]
    fn a_refusal_leaves_unrendered_carrying_itself() {
        let refusals = [
            (Refusal::BadToken, StatusCode::UNAUTHORIZED),
            (Refusal::Csrf, StatusCode::FORBIDDEN),
            (Refusal::TooLarge, StatusCode::PAYLOAD_TOO_LARGE),
            (Refusal::Internal("session: gone".into()), StatusCode::INTERNAL_SERVER_ERROR),
        ];
        for (refusal, status) in refusals {
            let res = refusal.clone().into_response();
            assert_eq!(res.status(), status, "{refusal:?}");
            assert_eq!(res.body().size_hint().exact(), Some(0), "{refusal:?}");
            assert!(res.headers().get(CONTENT_TYPE).is_none(), "{refusal:?}");
            assert!(res.extensions().get::<Problem>().is_none(), "{refusal:?}");
            assert_eq!(res.extensions().get::<Refusal>(), Some(&refusal));
        }
    }

    #[test]
    fn a_refused_csrf_token_names_its_field_and_rule() {
        let p = Refusal::Csrf.problem();
        let named: Vec<_> = p.errors.iter().map(|v| (v.field.as_str(), v.rule.as_str())).collect();
        assert_eq!((p.kind, named), (kind::FORBIDDEN, vec![(CSRF_FIELD, "access.csrf")]));
        assert_eq!(Refusal::Internal("session: gone".into()).problem().cause.as_deref(), Some("session: gone"));
    }
}
