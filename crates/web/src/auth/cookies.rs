//! The session cookie: HttpOnly (no script reads it), SameSite=Strict (no
//! other site's page sends it), Path=/, and Secure except over plain HTTP
//! on loopback, where a browser would drop a Secure cookie.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;

pub const SESSION_COOKIE: &str = "cb_session";
/// Holds the login form's CSRF token until a session exists (double submit).
pub const LOGIN_COOKIE: &str = "cb_login";

/// A cookie's value from the request, if sent (the first of that name).
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty() && v.len() <= 256)
}

/// A `Set-Cookie` value that sets a cookie for the browser's session.
pub fn set(name: &str, value: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict{secure}")
}

/// A `Set-Cookie` value that removes a cookie.
pub fn clear(name: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn reads_one_cookie_among_several() {
        let mut h = HeaderMap::new();
        h.insert(COOKIE, HeaderValue::from_static("a=1; cb_session=abc ; b=2"));
        assert_eq!(cookie_value(&h, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie_value(&h, "c"), None);
    }

    #[test]
    fn the_cookie_is_http_only_strict_and_secure_when_asked() {
        assert_eq!(set("n", "v", true), "n=v; Path=/; HttpOnly; SameSite=Strict; Secure");
        assert!(!set("n", "v", false).contains("Secure"));
    }
}
