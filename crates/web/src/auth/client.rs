//! The client's address, for the audit trail, lockout and rate limiting.
//! It is the TCP peer's, unless the peer is a reverse proxy the server was
//! told to trust (`--trusted-proxy`): then the `X-Forwarded-For` hops are
//! walked from the right, past every trusted proxy, and the first hop that
//! is not one is the client. Hops to its left could be anything the client
//! typed, so they are never believed; an untrusted peer's header is ignored.

use axum::http::HeaderMap;
use std::net::IpAddr;

/// A trusted proxy: one address, or a network as `ADDRESS/BITS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrustedNet {
    addr: IpAddr,
    bits: u8,
}

impl std::str::FromStr for TrustedNet {
    type Err = String;

    fn from_str(s: &str) -> Result<TrustedNet, String> {
        let (addr, bits) = s.trim().split_once('/').map_or((s.trim(), None), |(a, b)| (a, Some(b)));
        let addr: IpAddr = addr.parse().map_err(|_| format!("{s:?} is not an IP address or ADDRESS/BITS"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let bits = match bits {
            None => max,
            Some(b) => {
                b.parse::<u8>().ok().filter(|b| *b <= max).ok_or_else(|| format!("{s:?}: bits must be 0 to {max}"))?
            }
        };
        Ok(TrustedNet { addr, bits })
    }
}

impl TrustedNet {
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        match (canonical(self.addr), ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => prefix_eq(&net.octets(), &ip.octets(), self.bits),
            (IpAddr::V6(net), IpAddr::V6(ip)) => prefix_eq(&net.octets(), &ip.octets(), self.bits),
            _ => false,
        }
    }
}

/// An IPv4 address as itself even when it arrives mapped into IPv6.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

fn prefix_eq(a: &[u8], b: &[u8], bits: u8) -> bool {
    let (whole, rest) = (usize::from(bits / 8), bits % 8);
    if a[..whole] != b[..whole] {
        return false;
    }
    rest == 0 || (a[whole] ^ b[whole]) & (0xffu8 << (8 - rest)) == 0
}

/// One `X-Forwarded-For` hop: an address, perhaps with a port.
fn hop(text: &str) -> Option<IpAddr> {
    let t = text.trim();
    t.parse::<IpAddr>()
        .ok()
        .or_else(|| t.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| t.strip_prefix('[').and_then(|r| r.strip_suffix(']')).and_then(|r| r.parse().ok()))
}

/// The client's address: the peer's, or, behind trusted proxies, the
/// right-most forwarded hop that is not a trusted proxy. A hop that is not
/// an address stops the walk at the last proxy seen.
pub fn client_address(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[TrustedNet]) -> Option<IpAddr> {
    let mut current = canonical(peer?);
    if !trusted.iter().any(|t| t.contains(current)) {
        return Some(current);
    }
    let hops: Vec<&str> =
        headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).collect();
    for text in hops.iter().rev() {
        if !trusted.iter().any(|t| t.contains(current)) {
            break;
        }
        match hop(text) {
            Some(ip) => current = canonical(ip),
            None => break,
        }
    }
    Some(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(list: &[&str]) -> Vec<TrustedNet> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    fn from(peer: &str, xff: &[&str], trusted: &[&str]) -> String {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        client_address(Some(peer.parse().unwrap()), &h, &nets(trusted)).unwrap().to_string()
    }

    #[test]
    fn only_a_trusted_peer_is_believed_and_only_as_far_as_the_first_untrusted_hop() {
        // No proxy trusted, or an untrusted peer: the header is ignored.
        assert_eq!(from("192.0.2.50", &["203.0.113.9"], &[]), "192.0.2.50");
        assert_eq!(from("192.0.2.50", &["203.0.113.9"], &["10.0.0.1"]), "192.0.2.50");
        // A trusted peer: the right-most hop; a spoofed hop to its left is not believed.
        assert_eq!(from("10.0.0.1", &["198.51.100.9, 203.0.113.7"], &["10.0.0.1"]), "203.0.113.7");
        // Two proxies in a trusted network, one header line each.
        assert_eq!(from("10.0.0.1", &["203.0.113.8", "10.0.0.2"], &["10.0.0.0/24"]), "203.0.113.8");
        // A trusted peer that forwards nothing, or garbage: the proxy itself.
        assert_eq!(from("10.0.0.1", &[], &["10.0.0.1"]), "10.0.0.1");
        assert_eq!(from("10.0.0.1", &["unknown"], &["10.0.0.1"]), "10.0.0.1");
        // Ports, IPv6 and IPv4 mapped into IPv6.
        assert_eq!(from("::ffff:10.0.0.1", &["203.0.113.7:5555"], &["10.0.0.1"]), "203.0.113.7");
        assert_eq!(from("fd00::1", &["[2001:db8::7]"], &["fd00::/8"]), "2001:db8::7");
    }

    #[test]
    fn networks_parse_and_match_by_prefix() {
        let n: TrustedNet = "10.1.0.0/16".parse().unwrap();
        assert!(n.contains("10.1.200.3".parse().unwrap()));
        assert!(!n.contains("10.2.0.1".parse().unwrap()));
        let n: TrustedNet = "10.1.2.128/25".parse().unwrap();
        assert!(n.contains("10.1.2.200".parse().unwrap()) && !n.contains("10.1.2.100".parse().unwrap()));
        assert!("10.0.0.0/33".parse::<TrustedNet>().is_err());
        assert!("proxy.local".parse::<TrustedNet>().is_err());
        assert!("0.0.0.0/0".parse::<TrustedNet>().unwrap().contains("8.8.8.8".parse().unwrap()));
    }
}
