//! Social-network accounts: a platform from a fixed list and its handle,
//! typed as `platform:handle`, `platform @handle`, or the profile's address
//! (`https://t.me/name`, `instagram.com/name/`, `x.com/name`). Handles are
//! case-folded (every listed platform ignores case) and lose their `@`; a
//! WhatsApp account is its telephone number in E.164.

use serde::{Deserialize, Serialize};

use crate::{Extra, Identifier, IdentifierError, IdentifierKind, Normalising, phone};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    Telegram,
    Instagram,
    Facebook,
    Tiktok,
    X,
    Vk,
    Youtube,
    Whatsapp,
}

impl Platform {
    pub const ALL: [Platform; 8] = [
        Platform::Telegram,
        Platform::Instagram,
        Platform::Facebook,
        Platform::Tiktok,
        Platform::X,
        Platform::Vk,
        Platform::Youtube,
        Platform::Whatsapp,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Platform::Telegram => "telegram",
            Platform::Instagram => "instagram",
            Platform::Facebook => "facebook",
            Platform::Tiktok => "tiktok",
            Platform::X => "x",
            Platform::Vk => "vk",
            Platform::Youtube => "youtube",
            Platform::Whatsapp => "whatsapp",
        }
    }

    fn named(name: &str) -> Option<Platform> {
        let name = name.to_lowercase();
        let alias = match name.as_str() {
            "tg" => "telegram",
            "ig" => "instagram",
            "fb" => "facebook",
            "twitter" => "x",
            "vkontakte" => "vk",
            "yt" => "youtube",
            "wa" => "whatsapp",
            other => other,
        };
        Platform::ALL.into_iter().find(|p| p.code() == alias)
    }

    /// The platform whose profiles live on a host (without `www.` or `m.`).
    fn of_host(host: &str) -> Option<Platform> {
        match host {
            "t.me" | "telegram.me" => Some(Platform::Telegram),
            "instagram.com" => Some(Platform::Instagram),
            "facebook.com" | "fb.com" => Some(Platform::Facebook),
            "tiktok.com" => Some(Platform::Tiktok),
            "x.com" | "twitter.com" => Some(Platform::X),
            "vk.com" => Some(Platform::Vk),
            "youtube.com" => Some(Platform::Youtube),
            "wa.me" => Some(Platform::Whatsapp),
            _ => None,
        }
    }

    /// The handle's length and the characters besides `a-z0-9` it may hold,
    /// as each platform documents its usernames.
    fn handle_rule(self) -> (usize, usize, &'static str) {
        match self {
            Platform::Telegram => (5, 32, "_"),
            Platform::Instagram => (1, 30, "._"),
            Platform::Facebook => (5, 50, "."),
            Platform::Tiktok => (2, 24, "._"),
            Platform::X => (1, 15, "_"),
            Platform::Vk => (1, 32, "._"),
            Platform::Youtube => (3, 30, "._-"),
            Platform::Whatsapp => (0, 0, ""),
        }
    }
}

pub fn parse(input: &str, ctx: &Normalising) -> Result<Identifier, IdentifierError> {
    let (platform, handle) = profile_address(input)
        .or_else(|| platform_and_handle(input))
        .ok_or_else(|| IdentifierError::new("identifier.social.platform"))?;
    let (handle, shown) = if platform == Platform::Whatsapp {
        let number = phone::parse(&handle, ctx)
            .map_err(|_| IdentifierError::new("identifier.social.handle").with("platform", platform.code()))?;
        (number.value, number.display)
    } else {
        let handle = checked_handle(platform, &handle)?;
        (handle.clone(), format!("@{handle}"))
    };
    let extra = Extra { platform: Some(platform), ..Extra::default() };
    Ok(Identifier::new(
        IdentifierKind::Social,
        format!("{}:{handle}", platform.code()),
        format!("{} {shown}", platform.code()),
        extra,
    ))
}

/// A profile's address: the platform from the host, the handle from the
/// first path segment (Facebook's `profile.php?id=N` gives N).
fn profile_address(input: &str) -> Option<(Platform, String)> {
    let lower = input.to_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")).unwrap_or(&lower);
    let (host, path) = rest.split_once('/')?;
    let host = host.strip_prefix("www.").or_else(|| host.strip_prefix("m.")).unwrap_or(host);
    let platform = Platform::of_host(host)?;
    if let Some(id) = path.strip_prefix("profile.php?id=") {
        return Some((platform, id.split('&').next().unwrap_or_default().to_string()));
    }
    let segment = path.split(['/', '?', '#']).next().unwrap_or_default();
    Some((platform, segment.to_string()))
}

/// `platform:handle` or `platform handle`.
fn platform_and_handle(input: &str) -> Option<(Platform, String)> {
    let (name, handle) = input.split_once(|c: char| c == ':' || c.is_whitespace())?;
    Some((Platform::named(name.trim())?, handle.trim().to_string()))
}

fn checked_handle(platform: Platform, handle: &str) -> Result<String, IdentifierError> {
    let handle = handle.strip_prefix('@').unwrap_or(handle).to_lowercase();
    let (min, max, others) = platform.handle_rule();
    let chars_ok = handle.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || others.contains(c));
    if !chars_ok || !(min..=max).contains(&handle.len()) {
        return Err(IdentifierError::new("identifier.social.handle")
            .with("platform", platform.code())
            .with("min", min)
            .with("max", max));
    }
    Ok(handle)
}
