//! The display settings for the visually impaired, the way the usual
//! government "version for the visually impaired" offers them: text size,
//! a contrast scheme, letter spacing, a readable font and images off. They
//! are one value of the `view` cookie, read on every page (staff and
//! public alike) and drawn as classes on `<html>` that the stylesheet
//! styles, so the same page serves every reader and no second site exists.
//!
//! The cookie's value is the settings that differ from the standard, each
//! `name-value`, joined by dots (`size-200.scheme-wb.images-off`);
//! `standard` is none of them and `accessible`, the one value the view had
//! before the settings, the large text in black on white it meant. A part
//! this version does not know is passed over, so a cookie never breaks a page.

/// Text size, as a share of the standard.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TextSize {
    #[default]
    Standard,
    Large,
    Largest,
}

/// The contrast scheme: the standard colours, or one of the three a
/// reader with low vision is usually offered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Scheme {
    #[default]
    Standard,
    BlackOnWhite,
    WhiteOnBlack,
    BlueOnBeige,
}

/// The settings one reader chose.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Display {
    pub size: TextSize,
    pub scheme: Scheme,
    /// Letters and words spaced as WCAG 1.4.12 asks a page to bear.
    pub wide_spacing: bool,
    /// A plain sans-serif face with distinct letter forms.
    pub readable_font: bool,
    /// Pictures hidden; charts keep their data tables.
    pub images_off: bool,
}

/// The cookie's value for the standard view.
pub const STANDARD: &str = "standard";
/// The view's earlier value: large text, black on white.
pub const ACCESSIBLE: &str = "accessible";

/// Each setting's name in the cookie and the query, with its values as
/// written there, the standard first.
pub const SIZES: [(TextSize, &str); 3] =
    [(TextSize::Standard, "100"), (TextSize::Large, "150"), (TextSize::Largest, "200")];
pub const SCHEMES: [(Scheme, &str); 4] = [
    (Scheme::Standard, "standard"),
    (Scheme::BlackOnWhite, "bw"),
    (Scheme::WhiteOnBlack, "wb"),
    (Scheme::BlueOnBeige, "beige"),
];
pub const SPACINGS: [(bool, &str); 2] = [(false, "normal"), (true, "wide")];
pub const FONTS: [(bool, &str); 2] = [(false, "standard"), (true, "readable")];
pub const IMAGES: [(bool, &str); 2] = [(false, "on"), (true, "off")];

fn named<T: Copy + PartialEq>(table: &[(T, &'static str)], value: T) -> &'static str {
    table.iter().find(|(v, _)| *v == value).map_or("", |(_, name)| name)
}

fn by_name<T: Copy>(table: &[(T, &str)], name: &str) -> Option<T> {
    table.iter().find(|(_, n)| *n == name).map(|(v, _)| *v)
}

impl Display {
    /// What the view meant before the settings: large text, black on white.
    pub fn accessible() -> Display {
        Display { size: TextSize::Large, scheme: Scheme::BlackOnWhite, ..Display::default() }
    }

    /// Whether any setting differs from the standard view.
    pub fn is_adjusted(&self) -> bool {
        *self != Display::default()
    }

    /// The settings a cookie holds; what it does not say, or says in a way
    /// this version does not know, stays standard.
    pub fn from_cookie(value: &str) -> Display {
        if value == ACCESSIBLE {
            return Display::accessible();
        }
        let mut display = Display::default();
        for part in value.split('.') {
            if let Some((name, value)) = part.split_once('-') {
                display.set(name, value);
            }
        }
        display
    }

    /// Sets one setting by its name and value as the query and the cookie
    /// write them; an unknown name or value changes nothing.
    pub fn set(&mut self, name: &str, value: &str) {
        match name {
            "size" => self.size = by_name(&SIZES, value).unwrap_or(self.size),
            "scheme" => self.scheme = by_name(&SCHEMES, value).unwrap_or(self.scheme),
            "spacing" => self.wide_spacing = by_name(&SPACINGS, value).unwrap_or(self.wide_spacing),
            "font" => self.readable_font = by_name(&FONTS, value).unwrap_or(self.readable_font),
            "images" => self.images_off = by_name(&IMAGES, value).unwrap_or(self.images_off),
            _ => {}
        }
    }

    /// Each setting that differs from the standard, as (name, value).
    fn adjusted(&self) -> Vec<(&'static str, &'static str)> {
        let standard = Display::default();
        let mut parts = Vec::new();
        if self.size != standard.size {
            parts.push(("size", named(&SIZES, self.size)));
        }
        if self.scheme != standard.scheme {
            parts.push(("scheme", named(&SCHEMES, self.scheme)));
        }
        if self.wide_spacing {
            parts.push(("spacing", named(&SPACINGS, true)));
        }
        if self.readable_font {
            parts.push(("font", named(&FONTS, true)));
        }
        if self.images_off {
            parts.push(("images", named(&IMAGES, true)));
        }
        parts
    }

    /// The cookie's value: [`STANDARD`], or the settings that differ from it.
    pub fn cookie_value(&self) -> String {
        let parts = self.adjusted();
        if parts.is_empty() {
            return STANDARD.to_string();
        }
        parts.iter().map(|(name, value)| format!("{name}-{value}")).collect::<Vec<_>>().join(".")
    }

    /// The classes on `<html>`: `accessible` for any setting (the focus,
    /// borders and line height every adjusted view shares), then one per
    /// setting, `size-200`, `scheme-wb`, ...
    pub fn classes(&self) -> Option<String> {
        let parts = self.adjusted();
        if parts.is_empty() {
            return None;
        }
        let mut classes = vec![ACCESSIBLE.to_string()];
        classes.extend(parts.iter().map(|(name, value)| format!("{name}-{value}")));
        Some(classes.join(" "))
    }

    /// The value a setting has, as the query writes it.
    pub fn value_of(&self, name: &str) -> &'static str {
        match name {
            "size" => named(&SIZES, self.size),
            "scheme" => named(&SCHEMES, self.scheme),
            "spacing" => named(&SPACINGS, self.wide_spacing),
            "font" => named(&FONTS, self.readable_font),
            "images" => named(&IMAGES, self.images_off),
            _ => "",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_goes_through_the_cookie_and_back() {
        let all = Display {
            size: TextSize::Largest,
            scheme: Scheme::WhiteOnBlack,
            wide_spacing: true,
            readable_font: true,
            images_off: true,
        };
        assert_eq!(all.cookie_value(), "size-200.scheme-wb.spacing-wide.font-readable.images-off");
        assert_eq!(Display::from_cookie(&all.cookie_value()), all);
        for (scheme, _) in SCHEMES {
            for (size, _) in SIZES {
                let one = Display { size, scheme, ..Display::default() };
                assert_eq!(Display::from_cookie(&one.cookie_value()), one);
            }
        }
        assert_eq!(Display::default().cookie_value(), STANDARD);
        assert_eq!(Display::from_cookie(STANDARD), Display::default());
    }

    #[test]
    fn the_earlier_accessible_view_is_large_text_in_black_on_white() {
        let old = Display::from_cookie(ACCESSIBLE);
        assert_eq!((old.size, old.scheme), (TextSize::Large, Scheme::BlackOnWhite));
        assert_eq!(old.classes().as_deref(), Some("accessible size-150 scheme-bw"));
    }

    #[test]
    fn what_a_cookie_says_wrongly_is_passed_over() {
        for junk in ["", "size-300", "scheme-pink.size-", "font", "images-maybe", "<script>", "size-150-extra"] {
            assert_eq!(Display::from_cookie(junk), Display::default(), "{junk}");
        }
        let partly = Display::from_cookie("size-999.scheme-beige.colour-red");
        assert_eq!(partly, Display { scheme: Scheme::BlueOnBeige, ..Display::default() });
        assert_eq!(Display::default().classes(), None, "the standard view has no class");
    }

    /// Every class a setting puts on `<html>` is styled: a setting the
    /// stylesheet forgot would be offered and do nothing.
    #[test]
    fn the_stylesheet_styles_every_setting() {
        let css = include_str!("../../assets/app.css");
        let every = Display {
            size: TextSize::Largest,
            scheme: Scheme::WhiteOnBlack,
            wide_spacing: true,
            readable_font: true,
            images_off: true,
        };
        let mut classes: Vec<String> = every.classes().unwrap().split(' ').map(str::to_string).collect();
        for (size, _) in SIZES.into_iter().skip(1) {
            classes.push(format!("size-{}", named(&SIZES, size)));
        }
        for (scheme, _) in SCHEMES.into_iter().skip(1) {
            classes.push(format!("scheme-{}", named(&SCHEMES, scheme)));
        }
        for class in classes {
            assert!(css.contains(&format!("html.{class} ")), "app.css has no rule for html.{class}");
        }
    }
}
