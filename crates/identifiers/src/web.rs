//! Domains, web addresses and e-mail addresses. A host is lower-cased
//! without its final dot; its registrable domain (the public suffix plus
//! one label) comes from the Public Suffix List compiled into `psl`.

use std::net::{Ipv4Addr, Ipv6Addr};

use psl::Psl;

use crate::checks::punycode_decode;
use crate::{Extra, Identifier, IdentifierError, IdentifierKind};

/// What is wrong with a domain name.
enum DomainFault {
    /// Its labels' syntax.
    Invalid,
    /// Its suffix is not on the Public Suffix List.
    UnknownSuffix,
    /// It is a public suffix itself (`co.uk`).
    PublicSuffix,
}

impl DomainFault {
    /// The rule it breaks in an identifier of a kind: a domain's own rules
    /// name the fault, an address's name its domain or host.
    fn rule(self, kind: IdentifierKind) -> IdentifierError {
        IdentifierError::new(match (kind, self) {
            (IdentifierKind::Domain, DomainFault::Invalid) => "identifier.domain.invalid",
            (IdentifierKind::Domain, DomainFault::UnknownSuffix) => "identifier.domain.suffix",
            (IdentifierKind::Domain, DomainFault::PublicSuffix) => "identifier.domain.public_suffix",
            (IdentifierKind::Email, _) => "identifier.email.domain",
            _ => "identifier.url.host",
        })
    }
}

/// A checked domain name, lower-cased, and its registrable domain.
fn domain_name(input: &str) -> Result<(String, String), DomainFault> {
    let lower = input.strip_suffix('.').unwrap_or(input).to_lowercase();
    // A Punycode label is written as the Unicode it stands for, so the two
    // forms of one name are one key.
    let labels: Vec<String> = lower
        .split('.')
        .map(|label| match label.strip_prefix("xn--") {
            // A label that decodes to ASCII alone is no internationalised name.
            Some(encoded) => punycode_decode(encoded)
                .filter(|unicode| !unicode.is_ascii())
                .map(|unicode| unicode.to_lowercase())
                .ok_or(DomainFault::Invalid),
            None => Ok(label.to_string()),
        })
        .collect::<Result<_, _>>()?;
    let name = labels.join(".");
    let label_ok = |label: &String| {
        !label.is_empty()
            && label.chars().count() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c == '-' || c.is_alphanumeric())
    };
    if name.len() > 253 || labels.len() < 2 || !labels.iter().all(label_ok) {
        return Err(DomainFault::Invalid);
    }
    let Some(domain) = psl::List.domain(name.as_bytes()) else { return Err(DomainFault::PublicSuffix) };
    if !domain.suffix().is_known() {
        return Err(DomainFault::UnknownSuffix);
    }
    let registrable = String::from_utf8_lossy(domain.as_bytes()).into_owned();
    Ok((name, registrable))
}

/// A domain name as typed, or the host of a web address pasted in its place.
pub fn parse_domain(input: &str) -> Result<Identifier, IdentifierError> {
    let host = if input.contains("://") {
        let url = parse_url(input).map_err(|_| IdentifierError::new("identifier.domain.invalid"))?;
        url.extra.host.unwrap_or_default()
    } else {
        input.to_string()
    };
    let (name, registrable) = domain_name(&host).map_err(|fault| fault.rule(IdentifierKind::Domain))?;
    let extra = Extra { registrable_domain: Some(registrable), ..Extra::default() };
    Ok(Identifier::new(IdentifierKind::Domain, name.clone(), name, extra))
}

/// The characters RFC 5322's dot-atom allows besides letters and digits.
const ATEXT: &str = "!#$%&'*+/=?^_`{|}~-";

/// An e-mail address: `user@example.com`, `mailto:…`, or `Name <…>`. The
/// domain is lower-cased; the local part keeps its case, which RFC 5321
/// leaves to the receiving host.
pub fn parse_email(input: &str) -> Result<Identifier, IdentifierError> {
    let invalid = || IdentifierError::new("identifier.email.invalid");
    let input = match (input.rfind('<'), input.ends_with('>')) {
        (Some(open), true) => &input[open + 1..input.len() - 1],
        _ => input,
    };
    let input = input.strip_prefix("mailto:").unwrap_or(input).trim();
    let (local, domain) = input.rsplit_once('@').ok_or_else(invalid)?;
    let atom_ok = |atom: &str| !atom.is_empty() && atom.chars().all(|c| c.is_alphanumeric() || ATEXT.contains(c));
    if local.len() > 64 || !local.split('.').all(atom_ok) {
        return Err(invalid());
    }
    let (domain, registrable) = domain_name(domain).map_err(|fault| fault.rule(IdentifierKind::Email))?;
    let value = format!("{local}@{domain}");
    let extra = Extra { host: Some(domain), registrable_domain: Some(registrable), ..Extra::default() };
    Ok(Identifier::new(IdentifierKind::Email, value.clone(), value, extra))
}

/// A web address, `http` or `https`; typed without a scheme it is read as
/// `http`. The lookup key leaves the scheme and the fragment out (one page
/// whichever was typed), lower-cases the host, drops the scheme's default
/// port, gives an empty path `/`, and writes percent escapes in capitals,
/// spaces and other characters outside URL syntax escaped as UTF-8.
pub fn parse_url(input: &str) -> Result<Identifier, IdentifierError> {
    // A `://` later in the address (`example.com/go?to=http://…`) is no scheme.
    let is_scheme = |s: &str| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    };
    let (scheme, rest) = match input.split_once("://") {
        Some((scheme, rest)) if is_scheme(scheme) => (scheme.to_ascii_lowercase(), rest),
        _ => ("http".to_string(), input),
    };
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return Err(IdentifierError::new("identifier.url.scheme")),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, after) = rest.split_at(authority_end);
    let (userinfo, host_port) = match authority.rsplit_once('@') {
        Some((userinfo, host_port)) => (Some(userinfo), host_port),
        None => (None, authority),
    };
    let (host, port) = split_port(host_port)?;
    let (host, registrable) = url_host(host)?;
    let port = port.filter(|&p| p != default_port);
    let without_fragment = after.split('#').next().unwrap_or_default();
    let (path, query) = match without_fragment.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (without_fragment, None),
    };
    let path = if path.is_empty() { "/".to_string() } else { escaped(path)? };
    let mut value = String::new();
    if let Some(userinfo) = userinfo {
        value.push_str(&escaped(userinfo)?);
        value.push('@');
    }
    value.push_str(&host);
    if let Some(port) = port {
        value.push_str(&format!(":{port}"));
    }
    value.push_str(&path);
    if let Some(query) = query {
        value.push('?');
        value.push_str(&escaped(query)?);
    }
    let display = format!("{scheme}://{value}");
    let extra = Extra { host: Some(host), registrable_domain: registrable, ..Extra::default() };
    Ok(Identifier::new(IdentifierKind::Url, value, display, extra))
}

fn split_port(host_port: &str) -> Result<(&str, Option<u16>), IdentifierError> {
    let port_error = || IdentifierError::new("identifier.url.port");
    let (host, port) = if let Some(literal) = host_port.strip_prefix('[') {
        let (literal, tail) = literal.split_once(']').ok_or_else(|| IdentifierError::new("identifier.url.host"))?;
        match tail {
            "" => (host_port.get(..literal.len() + 2).unwrap_or(host_port), None),
            _ => (&host_port[..literal.len() + 2], Some(tail.strip_prefix(':').ok_or_else(port_error)?)),
        }
    } else {
        match host_port.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        }
    };
    let port = match port {
        Some(port) => Some(
            port.parse::<u16>()
                .ok()
                .filter(|p| *p > 0 && port.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(port_error)?,
        ),
        None => None,
    };
    Ok((host, port))
}

/// A URL's host: an IP literal as its canonical text, or a domain name with
/// its registrable domain.
fn url_host(host: &str) -> Result<(String, Option<String>), IdentifierError> {
    if let Some(literal) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        let address: Ipv6Addr = literal.parse().map_err(|_| IdentifierError::new("identifier.url.host"))?;
        return Ok((format!("[{address}]"), None));
    }
    if let Ok(address) = host.parse::<Ipv4Addr>() {
        return Ok((address.to_string(), None));
    }
    let (name, registrable) = domain_name(host).map_err(|fault| fault.rule(IdentifierKind::Url))?;
    Ok((name, Some(registrable)))
}

/// A path, query or user part with its percent escapes in capitals and
/// what URL syntax does not allow as is (spaces, non-ASCII) escaped; a
/// control character or a broken escape is refused.
fn escaped(part: &str) -> Result<String, IdentifierError> {
    let invalid = || IdentifierError::new("identifier.url.characters");
    let mut out = String::with_capacity(part.len());
    let mut chars = part.chars();
    while let Some(c) = chars.next() {
        match c {
            '%' => {
                let hex: String = chars.by_ref().take(2).collect();
                if hex.len() != 2 || !hex.chars().all(|h| h.is_ascii_hexdigit()) {
                    return Err(invalid());
                }
                out.push('%');
                out.push_str(&hex.to_ascii_uppercase());
            }
            c if c.is_control() => return Err(invalid()),
            c if c.is_ascii_graphic() && !matches!(c, '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}') => {
                out.push(c)
            }
            c => {
                let mut buffer = [0u8; 4];
                for byte in c.encode_utf8(&mut buffer).bytes() {
                    out.push_str(&format!("%{byte:02X}"));
                }
            }
        }
    }
    Ok(out)
}
