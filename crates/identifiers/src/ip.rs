//! IP addresses with the port and the time they were seen, typed as a log
//! line writes them: `203.0.113.5`, `203.0.113.5:443`, `[2001:db8::1]:443`,
//! each optionally followed by an RFC 3339 timestamp with its offset
//! (`2024-03-01T10:00:00+04:00`, or a space for the `T`). The lookup key is
//! the address alone, so every sighting of it is found; the port (which
//! tells subscribers of one carrier-grade NAT address apart) and the time
//! are kept beside it.

use std::net::{IpAddr, SocketAddr};

use chrono::{DateTime, SecondsFormat, Utc};

use crate::{Extra, Identifier, IdentifierError, IdentifierKind};

pub fn parse(input: &str) -> Result<Identifier, IdentifierError> {
    let (address_part, time_part) = match input.split_once(char::is_whitespace) {
        Some((address, time)) => (address, Some(time.trim())),
        None => (input, None),
    };
    let (address, port) = address_and_port(address_part)?;
    let seen_at = time_part.map(seen_at).transpose()?;
    let value = address.to_string();
    let mut display = match (address, port) {
        (IpAddr::V6(v6), Some(port)) => format!("[{v6}]:{port}"),
        (_, Some(port)) => format!("{value}:{port}"),
        (_, None) => value.clone(),
    };
    if let Some(at) = seen_at {
        display.push(' ');
        display.push_str(&at.to_rfc3339_opts(SecondsFormat::AutoSi, true));
    }
    let extra = Extra { port, seen_at, ..Extra::default() };
    Ok(Identifier::new(IdentifierKind::Ip, value, display, extra))
}

/// The address in its canonical text (an IPv4-mapped IPv6 address as the
/// IPv4 one it maps) and the port, if one was given.
fn address_and_port(text: &str) -> Result<(IpAddr, Option<u16>), IdentifierError> {
    let (address, port) = if let Ok(socket) = text.parse::<SocketAddr>() {
        if socket.port() == 0 {
            return Err(IdentifierError::new("identifier.ip.port"));
        }
        (socket.ip(), Some(socket.port()))
    } else if let Ok(address) = text.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() {
        (address, None)
    } else if text.rsplit_once(':').is_some_and(|(host, _)| host.parse::<IpAddr>().is_ok() || host.ends_with(']')) {
        return Err(IdentifierError::new("identifier.ip.port"));
    } else {
        return Err(IdentifierError::new("identifier.ip.invalid"));
    };
    let address = match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    };
    Ok((address, port))
}

fn seen_at(text: &str) -> Result<DateTime<Utc>, IdentifierError> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| IdentifierError::new("identifier.ip.seen_at"))
}
