//! The demo country's territorial units: the tree for the large data set,
//! and how much crime each recording unit sees (Baku's districts most).
//!
//! The regional main departments follow Azerbaijan's economic regions; the
//! grouping and the Russian and English names are illustrative, not the
//! Ministry's official structure.

use crate::rng::{Rng, Weighted};
use crimeboard_domain::units::{Agency, Names, Unit, UnitCode, UnitKind, UnitTree};

/// A regional main department and its districts and cities:
/// (code, az, ru, en, is a city).
struct Region {
    code: &'static str,
    names: (&'static str, &'static str, &'static str),
    units: &'static [(&'static str, &'static str, &'static str, &'static str, bool)],
}

const REGIONS: &[Region] = &[
    Region {
        code: "ABX",
        names: ("Abşeron-Xızı", "Апшерон-Хызы", "Absheron-Khizi"),
        units: &[
            ("SMQ", "Sumqayıt", "Сумгайыт", "Sumgayit", true),
            ("ABS", "Abşeron", "Апшерон", "Absheron", false),
            ("XIZ", "Xızı", "Хызы", "Khizi", false),
        ],
    },
    Region {
        code: "GDS",
        names: ("Gəncə-Daşkəsən", "Гянджа-Дашкесан", "Ganja-Dashkasan"),
        units: &[
            ("GNC", "Gəncə", "Гянджа", "Ganja", true),
            ("DSK", "Daşkəsən", "Дашкесан", "Dashkasan", false),
            ("GRB", "Goranboy", "Геранбой", "Goranboy", false),
            ("GYG", "Göygöl", "Гёйгёль", "Goygol", false),
            ("SAM", "Samux", "Самух", "Samukh", false),
            ("NFT", "Naftalan", "Нафталан", "Naftalan", true),
        ],
    },
    Region {
        code: "MRA",
        names: ("Mərkəzi Aran", "Центральный Аран", "Central Aran"),
        units: &[
            ("MNG", "Mingəçevir", "Мингечевир", "Mingachevir", true),
            ("YEV", "Yevlax", "Евлах", "Yevlakh", false),
            ("AGA", "Ağdaş", "Агдаш", "Aghdash", false),
            ("GYC", "Göyçay", "Гёйчай", "Goychay", false),
            ("KUR", "Kürdəmir", "Кюрдамир", "Kurdamir", false),
            ("UCR", "Ucar", "Уджар", "Ujar", false),
            ("ZRD", "Zərdab", "Зардаб", "Zardab", false),
        ],
    },
    Region {
        code: "LKA",
        names: ("Lənkəran-Astara", "Ленкорань-Астара", "Lankaran-Astara"),
        units: &[
            ("LNK", "Lənkəran", "Ленкорань", "Lankaran", true),
            ("AST", "Astara", "Астара", "Astara", false),
            ("LRK", "Lerik", "Лерик", "Lerik", false),
            ("YRD", "Yardımlı", "Ярдымлы", "Yardimli", false),
            ("MSL", "Masallı", "Масаллы", "Masalli", false),
            ("CLB", "Cəlilabad", "Джалилабад", "Jalilabad", false),
        ],
    },
    Region {
        code: "SZQ",
        names: ("Şəki-Zaqatala", "Шеки-Закатала", "Shaki-Zagatala"),
        units: &[
            ("SKI", "Şəki", "Шеки", "Shaki", true),
            ("ZQT", "Zaqatala", "Закатала", "Zagatala", false),
            ("BLK", "Balakən", "Балакен", "Balakan", false),
            ("QAX", "Qax", "Гах", "Gakh", false),
            ("OGZ", "Oğuz", "Огуз", "Oghuz", false),
            ("QBL", "Qəbələ", "Габала", "Gabala", false),
        ],
    },
    Region {
        code: "SSL",
        names: ("Şirvan-Salyan", "Ширван-Сальян", "Shirvan-Salyan"),
        units: &[
            ("SRV", "Şirvan", "Ширван", "Shirvan", true),
            ("SAL", "Salyan", "Сальян", "Salyan", false),
            ("NFC", "Neftçala", "Нефтчала", "Neftchala", false),
            ("HCQ", "Hacıqabul", "Гаджигабул", "Hajigabul", false),
        ],
    },
    Region {
        code: "QXC",
        names: ("Quba-Xaçmaz", "Губа-Хачмаз", "Guba-Khachmaz"),
        units: &[
            ("QUB", "Quba", "Губа", "Guba", false),
            ("QUS", "Qusar", "Гусар", "Gusar", false),
            ("XAC", "Xaçmaz", "Хачмаз", "Khachmaz", false),
            ("SBR", "Şabran", "Шабран", "Shabran", false),
            ("SYZ", "Siyəzən", "Сиазань", "Siyazan", false),
        ],
    },
    Region {
        code: "QZT",
        names: ("Qazax-Tovuz", "Газах-Товуз", "Gazakh-Tovuz"),
        units: &[
            ("QZX", "Qazax", "Газах", "Gazakh", false),
            ("AGT", "Ağstafa", "Агстафа", "Aghstafa", false),
            ("TOV", "Tovuz", "Товуз", "Tovuz", false),
            ("SMK", "Şəmkir", "Шамкир", "Shamkir", false),
            ("GDB", "Gədəbəy", "Гедабек", "Gadabay", false),
        ],
    },
    Region {
        code: "QRB",
        names: ("Qarabağ", "Карабах", "Karabakh"),
        units: &[
            ("XNK", "Xankəndi", "Ханкенди", "Khankendi", true),
            ("BRD", "Bərdə", "Барда", "Barda", false),
            ("AGC", "Ağcabədi", "Агджабеди", "Aghjabadi", false),
            ("TRT", "Tərtər", "Тертер", "Tartar", false),
            ("AGD", "Ağdam", "Агдам", "Aghdam", false),
            ("FZL", "Füzuli", "Физули", "Fuzuli", false),
            ("SUS", "Şuşa", "Шуша", "Shusha", true),
            ("XCL", "Xocalı", "Ходжалы", "Khojaly", false),
            ("XCV", "Xocavənd", "Ходжавенд", "Khojavend", false),
        ],
    },
    Region {
        code: "DSR",
        names: ("Dağlıq Şirvan", "Нагорный Ширван", "Mountainous Shirvan"),
        units: &[
            ("SMX", "Şamaxı", "Шамахы", "Shamakhi", false),
            ("ISM", "İsmayıllı", "Исмаиллы", "Ismayilli", false),
            ("AGS", "Ağsu", "Агсу", "Aghsu", false),
            ("QOB", "Qobustan", "Гобустан", "Gobustan", false),
        ],
    },
    Region {
        code: "MMG",
        names: ("Mil-Muğan", "Миль-Муган", "Mil-Mughan"),
        units: &[
            ("BYL", "Beyləqan", "Бейлаган", "Beylagan", false),
            ("IMS", "İmişli", "Имишли", "Imishli", false),
            ("SAT", "Saatlı", "Саатлы", "Saatli", false),
            ("SBD", "Sabirabad", "Сабирабад", "Sabirabad", false),
        ],
    },
    Region {
        code: "NAX",
        names: ("Naxçıvan", "Нахчыван", "Nakhchivan"),
        units: &[
            ("NAX", "Naxçıvan", "Нахчыван", "Nakhchivan", true),
            ("BBK", "Babək", "Бабек", "Babek", false),
            ("CLF", "Culfa", "Джульфа", "Julfa", false),
            ("ORD", "Ordubad", "Ордубад", "Ordubad", false),
            ("SRR", "Şərur", "Шарур", "Sharur", false),
            ("SHB", "Şahbuz", "Шахбуз", "Shahbuz", false),
            ("KNG", "Kəngərli", "Кенгерли", "Kangarli", false),
            ("SDR", "Sədərək", "Садарак", "Sadarak", false),
        ],
    },
    Region {
        code: "SZN",
        names: ("Şərqi Zəngəzur", "Восточный Зангезур", "East Zangezur"),
        units: &[
            ("LAC", "Laçın", "Лачин", "Lachin", false),
            ("KLB", "Kəlbəcər", "Кельбаджар", "Kalbajar", false),
            ("QBD", "Qubadlı", "Губадлы", "Gubadli", false),
            ("ZNG", "Zəngilan", "Зангилан", "Zangilan", false),
            ("CBR", "Cəbrayıl", "Джебраил", "Jabrayil", false),
        ],
    },
];

/// The fewest units a tree can have: the Republic, the MIA, the Prosecutor
/// General's Office, Baku's main department and the Baku prosecutor.
const MIN_UNITS: usize = 5;

/// The tree for the large data set, parents before children, `units` units
/// in all (at least five): the Republic; the MIA and the Prosecutor
/// General's Office; Baku's main department with its twelve districts; then
/// regional main departments with their districts and cities, until the
/// count is reached (about 100 at most).
pub fn demo_units(units: u32) -> Vec<Unit> {
    let want = (units as usize).max(MIN_UNITS);
    let mut out = capital_units();
    out.truncate(want);
    for region in REGIONS {
        // A main department is added only with at least one unit under it.
        if out.len() + 2 > want {
            break;
        }
        out.push(main_department(region));
        for u in region.units.iter().take(want - out.len()) {
            out.push(territorial(region.code, *u));
        }
    }
    out
}

/// The units of `data/jurisdictions/azerbaijan/units.toml` that the large tree keeps as they are:
/// the Republic, the MIA, the prosecutors, Baku and its districts.
fn capital_units() -> Vec<Unit> {
    let shipped = crimeboard_service::demo_units();
    let order = ["AZ", "MIA", "PGO", "BAK", "PGO-BAK"];
    let mut out: Vec<Unit> =
        order.iter().filter_map(|c| shipped.iter().find(|u| u.code.as_str() == *c).cloned()).collect();
    out.extend(shipped.into_iter().filter(|u| u.parent.as_ref().is_some_and(|p| p.as_str() == "BAK")));
    out
}

fn code(s: &str) -> UnitCode {
    // Every code built here is upper-case Latin letters and dashes.
    UnitCode::parse(s).unwrap_or_else(|_| unreachable!("demo unit code {s} is well-formed"))
}

fn main_department(r: &Region) -> Unit {
    let (az, ru, en) = r.names;
    Unit {
        code: code(r.code),
        parent: Some(code("MIA")),
        kind: UnitKind::MainDepartment,
        agency: Agency::Mia,
        names: Names {
            az: format!("{az} Regional Baş Polis İdarəsi"),
            ru: format!("Главное региональное управление полиции ({ru})"),
            en: format!("{en} Regional Main Police Department"),
        },
    }
}

fn territorial(region: &str, (suffix, az, ru, en, city): (&str, &str, &str, &str, bool)) -> Unit {
    let names = if city {
        Names {
            az: format!("{az} şəhər Polis İdarəsi"),
            ru: format!("Управление полиции города {ru}"),
            en: format!("{en} City Police Department"),
        }
    } else {
        Names {
            az: format!("{az} rayon Polis Şöbəsi"),
            ru: format!("Отдел полиции района {ru}"),
            en: format!("{en} District Police Department"),
        }
    };
    Unit {
        code: code(&format!("{region}-{suffix}")),
        parent: Some(code(region)),
        kind: if city { UnitKind::City } else { UnitKind::District },
        agency: Agency::Mia,
        names,
    }
}

/// Where crimes are recorded, and how much each unit sees.
pub(crate) struct Recorders {
    pub police: Vec<UnitCode>,
    /// Each police unit's relative crime volume, in the order of `police`.
    pub police_volume: Vec<f64>,
    police_weights: Weighted,
    pub prosecutors: Vec<UnitCode>,
    prosecutor_weights: Weighted,
}

impl Recorders {
    /// The district and city departments of the tree (the police side) and
    /// its prosecutor's offices; None when the tree has no police unit.
    pub fn of(tree: &UnitTree) -> Option<Recorders> {
        let police: Vec<&Unit> = tree
            .all()
            .filter(|u| u.agency == Agency::Mia && matches!(u.kind, UnitKind::District | UnitKind::City))
            .collect();
        if police.is_empty() {
            return None;
        }
        let prosecutors: Vec<&Unit> = tree.all().filter(|u| u.agency == Agency::Prosecutor).collect();
        let police_volume: Vec<f64> = police.iter().map(|u| police_weight(u)).collect();
        Some(Recorders {
            police_weights: Weighted::new(police_volume.iter().copied()),
            police_volume,
            police: police.iter().map(|u| u.code.clone()).collect(),
            prosecutor_weights: Weighted::new(prosecutors.iter().map(|u| if u.parent.is_some() { 1.5 } else { 1.0 })),
            prosecutors: prosecutors.iter().map(|u| u.code.clone()).collect(),
        })
    }

    /// A recording unit and its agency: the prosecutor's share goes to a
    /// prosecutor's office when the tree has one.
    pub fn pick(&self, rng: &mut Rng, prosecutor_share: f64) -> (&UnitCode, Agency) {
        if !self.prosecutors.is_empty() && prosecutor_share > 0.0 && rng.chance(prosecutor_share) {
            return (&self.prosecutors[self.prosecutor_weights.sample(rng)], Agency::Prosecutor);
        }
        (&self.police[self.police_weights.sample(rng)], Agency::Mia)
    }

    pub fn police_unit(&self, rng: &mut Rng) -> &UnitCode {
        &self.police[self.police_weights.sample(rng)]
    }
}

/// Relative crime volume of a police unit: Baku's districts by population,
/// the large cities next, rural districts least.
fn police_weight(u: &Unit) -> f64 {
    const BAKU: &[(&str, f64)] = &[
        ("BAK-NSM", 9.0),
        ("BAK-YAS", 8.0),
        ("BAK-NRM", 8.0),
        ("BAK-XTA", 8.0),
        ("BAK-BIN", 8.0),
        ("BAK-SAB", 7.0),
        ("BAK-NZM", 6.0),
        ("BAK-SBL", 6.0),
        ("BAK-SUR", 5.0),
        ("BAK-XZR", 4.0),
        ("BAK-QRD", 3.0),
        ("BAK-PIR", 1.0),
    ];
    const TOWNS: &[(&str, f64)] = &[
        ("GNC", 6.0),
        ("SMQ", 6.0),
        ("ABS", 3.5),
        ("MNG", 2.5),
        ("LNK", 2.5),
        ("NAX", 2.0),
        ("SKI", 2.0),
        ("SRV", 2.0),
    ];
    let code = u.code.as_str();
    if let Some((_, w)) = BAKU.iter().find(|(c, _)| *c == code) {
        return *w;
    }
    if u.parent.as_ref().is_some_and(|p| p.as_str() == "BAK") {
        return 6.0;
    }
    let last = code.rsplit('-').next().unwrap_or(code);
    match TOWNS.iter().find(|(c, _)| *c == last) {
        Some((_, w)) => *w,
        None if u.kind == UnitKind::City => 1.5,
        None => 1.2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_large_tree_is_a_valid_tree_of_the_size_asked() {
        for n in [5, 10, 30, 80, 100] {
            let units = demo_units(n);
            assert!(units.len() <= n as usize && units.len() + 1 >= n as usize, "{n}: {}", units.len());
            UnitTree::new(units).unwrap();
        }
        let all = demo_units(1000);
        assert!(all.len() > 90, "{}", all.len());
        let tree = UnitTree::new(all).unwrap();
        let baku = code("BAK");
        assert_eq!(tree.children(&baku).count(), 12);
    }

    /// The grammatical gender of the head nouns unit names are built on.
    const HEADS: [(&str, Gender); 6] = [
        ("управление", Gender::Neuter),
        ("министерство", Gender::Neuter),
        ("отдел", Gender::Masculine),
        ("прокуратура", Gender::Feminine),
        ("республика", Gender::Feminine),
        ("полиции", Gender::None),
    ];

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Gender {
        Masculine,
        Neuter,
        Feminine,
        /// A noun in the genitive, which ends the adjectives before it without a gender to agree with.
        None,
    }

    fn adjective_gender(word: &str) -> Option<Gender> {
        let endings =
            [("ый", Gender::Masculine), ("ий", Gender::Masculine), ("ое", Gender::Neuter), ("ая", Gender::Feminine)];
        endings.iter().find(|(ending, _)| word.ends_with(ending)).map(|(_, g)| *g)
    }

    /// Each adjective agrees with the head noun that follows it: "Насиминское
    /// районное управление", "Апшеронский районный отдел", "Генеральная прокуратура".
    fn disagreements(name: &str) -> Vec<String> {
        let mut pending: Vec<(&str, Gender)> = Vec::new();
        let mut found = Vec::new();
        for word in name.split(|c: char| c.is_whitespace() || c == '(' || c == ')') {
            let lower = word.to_lowercase();
            if let Some((_, head)) = HEADS.iter().find(|(noun, _)| *noun == lower) {
                for (adjective, gender) in pending.drain(..) {
                    if *head != Gender::None && gender != *head {
                        found.push(format!("{adjective} {word} in {name}"));
                    }
                }
            } else if let Some(gender) = adjective_gender(&lower) {
                pending.push((word, gender));
            }
        }
        found
    }

    #[test]
    fn the_agreement_check_tells_a_wrong_ending() {
        assert_eq!(disagreements("Насиминский районное управление полиции").len(), 1);
        assert_eq!(disagreements("Апшеронское районный отдел полиции").len(), 1);
        assert!(disagreements("Насиминское районное управление полиции").is_empty());
        assert!(disagreements("Главное управление полиции города Баку").is_empty());
    }

    #[test]
    fn every_unit_name_reads_right_in_each_language() {
        let mut units = crimeboard_service::demo_units();
        units.extend(demo_units(1000));
        let mut wrong = Vec::new();
        for unit in &units {
            let Names { az, ru, en } = &unit.names;
            wrong.extend(disagreements(ru));
            if !ru.chars().any(|c| matches!(c, 'А'..='я')) || ru.chars().any(|c| c.is_ascii_alphabetic()) {
                wrong.push(format!("{}: the Russian name is not in Cyrillic: {ru}", unit.code));
            }
            if az.is_empty() || az.chars().any(|c| matches!(c, 'А'..='я')) {
                wrong.push(format!("{}: the Azerbaijani name is not in the Latin script: {az}", unit.code));
            }
            if !en.is_ascii() || en.is_empty() {
                wrong.push(format!("{}: the English name has letters outside English: {en}", unit.code));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn baku_districts_see_more_crime_than_rural_ones() {
        let tree = UnitTree::new(demo_units(80)).unwrap();
        let get = |c: &str| police_weight(tree.get(&code(c)).unwrap());
        assert!(get("BAK-NSM") > get("GDS-GNC") && get("GDS-GNC") > get("GDS-DSK"));
        assert!(Recorders::of(&tree).unwrap().prosecutors.len() == 2);
    }
}
