//! The kinds of crime the demo country sees: which articles of the
//! (illustrative) catalogue they fall under, how common they are, how often
//! the perpetrator is unknown at registration, and what they leave behind
//! (victims, damage, drugs). Shares are of the demo's own making.

/// What a kind of crime typically involves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Theft,
    Fraud,
    Robbery,
    Extortion,
    Destruction,
    SeriousHarm,
    Harm,
    Murder,
    Hooliganism,
    Firearms,
    Narcotics,
    Traffic,
    Computer,
}

pub(crate) struct Crime {
    pub kind: Kind,
    /// Articles of `data/jurisdictions/azerbaijan/articles.toml` with their relative frequency.
    pub articles: &'static [(&'static str, f64)],
    /// Share among all crimes (before normalising).
    pub share: f64,
    /// How the share moves in 2024 against 2023 (the seed's story).
    pub trend_2024: f64,
    /// Share recorded with the perpetrator unknown ("non-obvious").
    pub non_obvious: f64,
    /// Share the Prosecutor's Office investigates.
    pub prosecutor: f64,
    /// Median material damage in manats, when the crime causes damage.
    pub damage_median_manat: Option<f64>,
    pub summary: &'static str,
}

impl Crime {
    pub fn has_victim(&self) -> bool {
        !matches!(self.kind, Kind::Narcotics | Kind::Firearms)
    }

    /// Drug and gun crimes come to light through police work, not reports.
    pub fn detected_by_police(&self) -> bool {
        matches!(self.kind, Kind::Narcotics | Kind::Firearms)
    }

    pub fn may_be_group(&self) -> bool {
        !matches!(self.kind, Kind::Traffic | Kind::Computer | Kind::Destruction | Kind::Firearms)
    }

    pub fn may_be_family_conflict(&self) -> bool {
        matches!(self.kind, Kind::SeriousHarm | Kind::Harm | Kind::Murder | Kind::Hooliganism | Kind::Destruction)
    }

    /// Crimes that may be committed with information technologies without
    /// an IT article (the flag); computer crimes carry the IT tag anyway.
    pub fn may_use_it(&self) -> bool {
        matches!(self.kind, Kind::Fraud | Kind::Theft | Kind::Extortion)
    }

    pub fn article_weights(&self) -> Vec<f64> {
        self.articles.iter().map(|(_, w)| *w).collect()
    }
}

pub(crate) const CRIMES: &[Crime] = &[
    Crime {
        kind: Kind::Theft,
        articles: &[("177.1", 40.0), ("177.2", 50.0), ("177.3", 10.0)],
        share: 0.25,
        trend_2024: 0.88,
        non_obvious: 0.61,
        prosecutor: 0.0,
        damage_median_manat: Some(2_500.0),
        summary: "Mənzildən əmlak oğurlanıb",
    },
    Crime {
        kind: Kind::Fraud,
        articles: &[("178.1", 60.0), ("178.2", 32.0), ("178.3", 8.0)],
        share: 0.13,
        trend_2024: 1.04,
        non_obvious: 0.45,
        prosecutor: 0.05,
        damage_median_manat: Some(10_000.0),
        summary: "Aldatma yolu ilə pul vəsaiti ələ keçirilib",
    },
    Crime {
        kind: Kind::Robbery,
        articles: &[("180.1", 50.0), ("180.2", 25.0), ("181.1", 15.0), ("181.2", 10.0)],
        share: 0.03,
        trend_2024: 0.85,
        non_obvious: 0.50,
        prosecutor: 0.0,
        damage_median_manat: Some(3_000.0),
        summary: "Küçədə açıq şəkildə əmlak alınıb",
    },
    Crime {
        kind: Kind::Extortion,
        articles: &[("182.1", 70.0), ("182.2", 30.0)],
        share: 0.012,
        trend_2024: 1.0,
        non_obvious: 0.30,
        prosecutor: 0.2,
        damage_median_manat: Some(15_000.0),
        summary: "Hədə-qorxu ilə pul tələb olunub",
    },
    Crime {
        kind: Kind::Destruction,
        articles: &[("186.1", 1.0)],
        share: 0.02,
        trend_2024: 1.0,
        non_obvious: 0.55,
        prosecutor: 0.0,
        damage_median_manat: Some(4_000.0),
        summary: "Əmlak qəsdən zədələnib",
    },
    Crime {
        kind: Kind::SeriousHarm,
        articles: &[("126.1", 75.0), ("126.2", 25.0)],
        share: 0.02,
        trend_2024: 0.85,
        non_obvious: 0.18,
        prosecutor: 0.1,
        damage_median_manat: None,
        summary: "Sağlamlığa ağır zərər vurulub",
    },
    Crime {
        kind: Kind::Harm,
        articles: &[("127.1", 50.0), ("128", 50.0)],
        share: 0.06,
        trend_2024: 1.0,
        non_obvious: 0.12,
        prosecutor: 0.0,
        damage_median_manat: None,
        summary: "Dava zamanı xəsarət yetirilib",
    },
    Crime {
        kind: Kind::Murder,
        articles: &[("120.1", 80.0), ("120.2", 20.0)],
        share: 0.006,
        trend_2024: 1.0,
        non_obvious: 0.12,
        prosecutor: 0.7,
        damage_median_manat: None,
        summary: "Qəsdən adam öldürülüb",
    },
    Crime {
        kind: Kind::Hooliganism,
        articles: &[("221.1", 60.0), ("221.2", 40.0)],
        share: 0.05,
        trend_2024: 1.0,
        non_obvious: 0.30,
        prosecutor: 0.0,
        damage_median_manat: None,
        summary: "İctimai yerdə xuliqanlıq edilib",
    },
    Crime {
        kind: Kind::Firearms,
        articles: &[("228.1", 1.0)],
        share: 0.03,
        trend_2024: 1.0,
        non_obvious: 0.0,
        prosecutor: 0.0,
        damage_median_manat: None,
        summary: "Qanunsuz saxlanılan odlu silah aşkarlanıb",
    },
    Crime {
        kind: Kind::Narcotics,
        articles: &[("234.1", 70.0), ("234.4", 30.0)],
        share: 0.105,
        trend_2024: 1.02,
        non_obvious: 0.0,
        prosecutor: 0.0,
        damage_median_manat: None,
        summary: "Narkotik vasitə aşkarlanıb və götürülüb",
    },
    Crime {
        kind: Kind::Traffic,
        articles: &[("263.1", 70.0), ("263.2", 30.0)],
        share: 0.008,
        trend_2024: 0.9,
        non_obvious: 0.05,
        prosecutor: 0.0,
        damage_median_manat: None,
        summary: "Yol hərəkəti qaydaları pozulub, xəsarət var",
    },
    Crime {
        kind: Kind::Computer,
        articles: &[("271", 50.0), ("273.1", 50.0)],
        share: 0.012,
        trend_2024: 0.8,
        non_obvious: 0.70,
        prosecutor: 0.0,
        damage_median_manat: None,
        summary: "Kompüter sisteminə qanunsuz daxil olunub",
    },
];

/// The shares of every crime in a year, 2024 moved by its trend.
pub(crate) fn shares(year: i32) -> Vec<f64> {
    CRIMES.iter().map(|c| if year >= 2024 { c.share * c.trend_2024 } else { c.share }).collect()
}

pub(crate) const SUBSTANCES: &[&str] = &["heroin", "marijuana", "methamphetamine", "hashish", "tramadol", "opium"];
