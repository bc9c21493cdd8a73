//! The whole crate against the Board's Q1 2024 figures (the seed press
//! release): a report assembled from hand-made sums on a small unit tree.

use super::*;
use crimeboard_domain::units::Language;
use crimeboard_domain::units::{Agency, Names, Unit, UnitCode, UnitKind, UnitTree};
use crimeboard_stats::board::{Naming, Stamp, Sums, assemble};
use crimeboard_stats::{IndicatorSet, Period};
use std::collections::BTreeMap;
use std::io::Read;

/// A phrase with `~` standing for the no-break space az and ru group digits with.
fn with_nbsp(phrase: &str) -> String {
    phrase.replace('~', "\u{a0}")
}

fn names(az: &str, ru: &str, en: &str) -> Names {
    Names { az: az.into(), ru: ru.into(), en: en.into() }
}

fn unit(code: &str, parent: Option<&str>, kind: UnitKind, names: Names) -> Unit {
    let code = UnitCode::parse(code).unwrap();
    Unit { code, parent: parent.map(|p| UnitCode::parse(p).unwrap()), kind, agency: Agency::Mia, names }
}

pub(crate) fn tree() -> UnitTree {
    UnitTree::new(vec![
        unit(
            "AZ",
            None,
            UnitKind::Republic,
            names("Azərbaycan Respublikası", "Азербайджанская Республика", "Republic of Azerbaijan"),
        ),
        unit(
            "BAK",
            Some("AZ"),
            UnitKind::MainDepartment,
            names("Bakı şəhər BPİ", "ГУП города Баку", "Baku City Main Police Department"),
        ),
        unit(
            "BAK-NSM",
            Some("BAK"),
            UnitKind::District,
            names("Nəsimi RPİ, \"Bakı\"", "Насиминское РУП, «Баку»", "Nasimi District Police Department, \"Baku\""),
        ),
        unit(
            "BAK-YAS",
            Some("BAK"),
            UnitKind::District,
            names("Yasamal RPİ", "Ясамальское РУП", "Yasamal District Police Department"),
        ),
    ])
    .unwrap()
}

fn sums(rows: &[(&str, &str, i64)]) -> Sums {
    rows.iter().map(|(u, i, v)| ((u.to_string(), i.to_string()), *v)).collect()
}

/// The seed's figures for Q1 2024, most of them in one district.
pub(crate) const CURRENT: &[(&str, &str, i64)] = &[
    ("BAK-NSM", "crimes_recorded", 5_000),
    ("BAK-YAS", "crimes_recorded", 3_930),
    ("BAK-NSM", "solved_in_period", 7_055),
    ("BAK-NSM", "suspended_unidentified", 1_245),
    ("BAK-NSM", "serious", 1_139),
    ("BAK-NSM", "theft", 400),
    ("BAK-NSM", "by_minors", 30),
    ("BAK-NSM", "fraud", 300),
    ("BAK-NSM", "non_obvious_solved_theft", 210),
    ("BAK-NSM", "non_obvious_solved_hooliganism", 12),
    ("BAK-NSM", "non_obvious_solved_fraud", 80),
    ("BAK-NSM", "narcotics_grams", 1_329_000),
    ("BAK-NSM", "drug_persons_accountable", 1_572),
    ("BAK-NSM", "traffic_accidents", 600),
    ("BAK-NSM", "traffic_killed", 14),
    ("BAK-NSM", "traffic_injured", 39),
    ("BAK-NSM", "damage", 7_766_899_600),
    ("BAK-NSM", "damage_reimbursed", 6_213_519_680),
    ("BAK-NSM", "reports_decided", 4_000),
    ("BAK-NSM", "reports_decided_in_time", 3_800),
    ("BAK-NSM", "satisfaction_rated", 1_000),
    ("BAK-NSM", "satisfaction_satisfied", 870),
];

/// Q1 2023: more of most crimes, fewer frauds, more accidents.
pub(crate) const PREVIOUS: &[(&str, &str, i64)] = &[
    ("BAK-NSM", "crimes_recorded", 5_500),
    ("BAK-YAS", "crimes_recorded", 4_000),
    ("BAK-NSM", "solved_in_period", 7_000),
    ("BAK-NSM", "suspended_unidentified", 1_500),
    ("BAK-NSM", "serious", 1_200),
    ("BAK-NSM", "theft", 520),
    ("BAK-NSM", "by_minors", 45),
    ("BAK-NSM", "fraud", 250),
    ("BAK-NSM", "non_obvious_solved_theft", 150),
    ("BAK-NSM", "non_obvious_solved_hooliganism", 9),
    ("BAK-NSM", "non_obvious_solved_fraud", 90),
    ("BAK-NSM", "narcotics_grams", 1_100_000),
    ("BAK-NSM", "drug_persons_accountable", 1_400),
    ("BAK-NSM", "traffic_accidents", 683),
    ("BAK-NSM", "traffic_killed", 16),
    ("BAK-NSM", "traffic_injured", 45),
];

pub(crate) fn report_of(
    scope: &str,
    current: &[(&str, &str, i64)],
    previous: &[(&str, &str, i64)],
    illustrative: bool,
) -> BoardReport {
    let set = IndicatorSet::from_toml(include_str!("../../../data/jurisdictions/azerbaijan/indicators.toml")).unwrap();
    let recorded_by = demo_institution();
    let currency = manats();
    let stamp = Stamp {
        position: 12_345,
        catalogue: "catalogue-2024.1",
        catalogue_illustrative: illustrative,
        recorded_by: &recorded_by,
        currency: &currency,
        naming: &Naming::new(Language::Az, BTreeMap::new()),
    };
    let period = Period::parse("2024Q1").unwrap();
    let scope = UnitCode::parse(scope).unwrap();
    assemble(&set, &tree(), &scope, period, &sums(current), &sums(previous), stamp)
}

/// The demo pack's institution, read from its `jurisdiction.toml`.
fn demo_institution() -> Names {
    #[derive(serde::Deserialize)]
    struct About {
        institution: Names,
    }
    let text = include_str!("../../../data/jurisdictions/azerbaijan/jurisdiction.toml");
    toml::from_str::<About>(text).unwrap().institution
}

/// The currency of a shipped pack, read from its `jurisdiction.toml`.
fn currency_of(text: &str) -> crimeboard_domain::jurisdiction::Currency {
    let about: toml::Table = toml::from_str(text).unwrap();
    about["currency"].clone().try_into().unwrap()
}

/// The demo pack's manats.
pub(crate) fn manats() -> crimeboard_domain::jurisdiction::Currency {
    currency_of(include_str!("../../../data/jurisdictions/azerbaijan/jurisdiction.toml"))
}

/// The England and Wales pack's pounds sterling.
pub(crate) fn pounds() -> crimeboard_domain::jurisdiction::Currency {
    currency_of(include_str!("../../../data/jurisdictions/england-wales/jurisdiction.toml"))
}

#[test]
fn the_country_is_said_to_be_recorded_by_the_packs_institution() {
    let mut report = seed();
    let headline = |r: &BoardReport, lang| narrative(r, lang).lines().next().unwrap().to_string();
    assert!(
        headline(&report, Lang::En)
            .contains("recorded by the Ministry of Internal Affairs and the Prosecutor's Office")
    );
    report.recorded_by =
        Names { az: String::new(), ru: "полицией графства".into(), en: "the county police".into() };
    assert!(headline(&report, Lang::En).contains("recorded by the county police"), "{}", headline(&report, Lang::En));
    assert!(headline(&report, Lang::Ru).contains("полицией графства"));
    assert!(!headline(&report, Lang::Az).contains("Daxili İşlər"), "a missing name falls back to another language");
}

pub(crate) fn seed() -> BoardReport {
    report_of("AZ", CURRENT, PREVIOUS, true)
}

fn text(lang: Lang) -> String {
    String::from_utf8(render(&seed(), lang, Format::Text)).unwrap()
}

#[test]
fn english_narrative_reads_like_the_press_release() {
    let t = text(Lang::En);
    // The press release's figures, with the share's definition named after them.
    let headline = "In the first quarter of 2024, 85 percent of the 8,930 crimes recorded by \
                    the Ministry of Internal Affairs and the Prosecutor's Office were solved \
                    (calculated as solved / (solved + suspended, perpetrator unidentified), within the period).";
    assert!(t.starts_with(headline), "{t}");
    for phrase in [
        "1 ton and 329 kilograms of narcotics were removed from illegal circulation",
        "1,572 people were held accountable for drug offences",
        "decreased by 12.2 percent",
        "14 people were killed (16 a year earlier, within what chance alone explains)",
        "39 injured (45 a year earlier, within what chance alone explains)",
        "80 percent of the 77,668,996 manats of material damage",
        "95 percent of the 4,000 decisions on crime reports were taken within the deadline",
        "87 percent of the 1,000 applicants",
    ] {
        assert!(t.contains(phrase), "missing {phrase:?} in\n{t}");
    }
}

#[test]
fn only_falling_categories_are_named_with_their_significance() {
    let t = text(Lang::En);
    let decreases = "Serious and especially serious crimes (by 5.1 percent, within what chance alone explains), \
                     thefts (by 23.1 percent) and crimes by minors (by 33.3 percent, within what chance alone explains) \
                     decreased compared with the same period of 2023.";
    assert!(t.contains(decreases), "{t}");
    assert!(!t.to_lowercase().contains("frauds"), "frauds rose and must not be listed:\n{t}");
}

#[test]
fn improved_non_obvious_solving_is_listed() {
    let t = text(Lang::En);
    let sentence = "non-obvious circumstances improved: hooliganism (up 33.3 percent, within what chance alone explains) \
                    and theft (up 40 percent).";
    assert!(t.contains(sentence), "{t}");
}

#[test]
fn russian_uses_the_plural_forms_numbers_need() {
    let t = text(Lang::Ru);
    for phrase in [
        "В первом квартале 2024 года раскрыто 85~% из 8~930 преступлений, зарегистрированных",
        "общим весом 1 тонна 329 килограммов",
        "привлечены 1~572 человека",
        "снизилось на 12,2~%",
        "погибло 14 человек (16 годом ранее, в пределах случайных колебаний)",
        "ранено 39 человек",
        "80~% из 77~668~996~манатов",
        "аналогичным периодом 2023 года",
    ] {
        let phrase = with_nbsp(phrase);
        assert!(t.contains(&phrase), "missing {phrase:?} in\n{t}");
    }
}

#[test]
fn russian_agreement_follows_the_number() {
    let current = [
        ("BAK-NSM", "crimes_recorded", 21),
        ("BAK-NSM", "drug_persons_accountable", 1),
        ("BAK-NSM", "narcotics_grams", 2_322_000),
        ("BAK-NSM", "traffic_accidents", 22),
        ("BAK-NSM", "traffic_killed", 21),
        ("BAK-NSM", "traffic_injured", 2),
    ];
    let previous = [("BAK-NSM", "traffic_accidents", 22)];
    let t = narrative(&report_of("AZ", &current, &previous, false), Lang::Ru);
    for phrase in [
        "зарегистрировано 21 преступление",
        "2 тонны 322 килограмма",
        "привлечён 1 человек",
        "погиб 21 человек",
        "ранены 2 человека",
        "не изменилось",
    ] {
        assert!(t.contains(phrase), "missing {phrase:?} in\n{t}");
    }
}

#[test]
fn azerbaijani_groups_digits_with_a_space() {
    let t = text(Lang::Az);
    for phrase in [
        "2024-cü ilin birinci rübündə Daxili İşlər Nazirliyi və Prokurorluq orqanları tərəfindən qeydə alınmış 8~930 cinayətin 85 faizi açılmışdır (hesablanma: açılmış / (açılmış + şəxs müəyyən edilmədiyinə görə dayandırılmış), dövrdə).",
        "1 ton 329 kiloqram narkotik vasitə",
        "1~572 nəfər",
        "12,2 faiz azalmışdır",
        "77~668~996 manat maddi ziyanın 80 faizi",
        "2023-cü ilin müvafiq dövrü ilə müqayisədə ağır və xüsusilə ağır cinayətlər",
    ] {
        let phrase = with_nbsp(phrase);
        assert!(t.contains(&phrase), "missing {phrase:?} in\n{t}");
    }
}

#[test]
fn every_text_ends_with_how_it_was_counted() {
    let endings = [
        (
            Lang::En,
            "Counting rules: counting-2024.4; article catalogue: catalogue-2024.1 (illustrative, not the official catalogue); computed at journal position 12345.",
        ),
        (
            Lang::Ru,
            "Правила подсчёта: counting-2024.4; каталог статей: catalogue-2024.1 (иллюстративный, не официальный); рассчитано по журналу на позиции 12345.",
        ),
        (
            Lang::Az,
            "Hesablama qaydaları: counting-2024.4; maddələr kataloqu: catalogue-2024.1 (illüstrativ, rəsmi kataloq deyil); jurnalın 12345 mövqeyinə əsasən hesablanmışdır.",
        ),
    ];
    for (lang, ending) in endings {
        let t = text(lang);
        assert_eq!(t.lines().last(), Some(ending), "{t}");
    }
    let official = narrative(&report_of("AZ", CURRENT, PREVIOUS, false), Lang::En);
    assert!(official.trim_end().ends_with("article catalogue: catalogue-2024.1; computed at journal position 12345."));
}

#[test]
fn no_placeholder_or_key_is_left_in_any_language() {
    for lang in Lang::ALL {
        let t = text(lang);
        assert!(!t.contains(['{', '}']), "{lang}: {t}");
        for key_like in ["word.", "period.", "change.", "table."] {
            assert!(!t.contains(key_like), "{lang}: {key_like} in {t}");
        }
    }
}

#[test]
fn a_district_report_names_its_unit() {
    let t = narrative(&report_of("BAK-YAS", CURRENT, PREVIOUS, false), Lang::En);
    assert!(
        t.starts_with(
            "In the first quarter of 2024, 3,930 crimes were recorded by Yasamal District Police Department."
        ),
        "{t}"
    );
    // Nothing else was counted there: no sentence about it.
    assert!(!t.contains("narcotics"), "{t}");
}

#[test]
fn an_empty_report_still_says_how_it_was_counted() {
    let mut report = seed();
    report.units.clear();
    let t = narrative(&report, Lang::En);
    assert!(t.starts_with("Counting rules: counting-2024.4"), "{t}");
    for format in Format::ALL {
        assert!(!render(&report, Lang::Az, format).is_empty());
    }
}

#[test]
fn json_carries_the_report_the_language_and_the_narrative() {
    let bytes = render(&seed(), Lang::En, Format::Json);
    let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(doc["lang"], "en");
    assert_eq!(doc["position"], 12_345);
    assert_eq!(doc["counting_rules"], "counting-2024.4");
    assert_eq!(doc["units"][0]["unit"], "AZ");
    assert!(doc["narrative"].as_str().unwrap().contains("85 percent of the 8,930 crimes"));
    assert!(!String::from_utf8(bytes).unwrap().contains('\n'), "compact, not pretty-printed");
}

/// The seed's country with a unit below it holding the same figures.
fn two_units() -> BoardReport {
    let mut report = seed();
    let mut below = report.units[0].clone();
    below.unit = UnitCode::parse("BAK").unwrap();
    below.parent = Some(report.units[0].unit.clone());
    report.units.push(below);
    report
}

#[test]
fn json_names_each_indicator_and_share_once_and_units_refer_to_them_by_code() {
    let report = two_units();
    let bytes = render(&report, Lang::En, Format::Json);
    let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let scope = report.scope();
    let table = doc["indicators"].as_array().unwrap();
    assert_eq!(table.len(), scope.figures.len(), "one entry per indicator, not per unit");
    for (entry, figure) in table.iter().zip(&scope.figures) {
        assert_eq!(entry["code"], figure.code.as_str());
        assert_eq!(entry["name"], figure.name.en.as_str(), "the name in the language asked for");
        assert_eq!(entry["unit"], serde_json::to_value(figure.unit).unwrap());
    }
    let shares = doc["shares"].as_array().unwrap();
    assert_eq!(shares.len(), scope.shares.len());
    for (entry, share) in shares.iter().zip(&scope.shares) {
        assert_eq!((&entry["code"], &entry["name"]), (&share.code.as_str().into(), &share.name.en.as_str().into()));
        assert_eq!(entry["method"], share.method.en.as_str());
    }
    let text = String::from_utf8(bytes).unwrap();
    let method = &scope.shares[0].method.en;
    assert_eq!(text.matches(&format!("{method:?}")).count(), 1, "a method is written once: {method}");
    for (unit, stated) in report.units.iter().zip(doc["units"].as_array().unwrap()) {
        assert_eq!(stated["unit"], unit.unit.as_str());
        assert_eq!(stated["name"], unit.name.en.as_str());
        for (figure, stated) in unit.figures.iter().zip(stated["figures"].as_array().unwrap()) {
            let mut keys: Vec<&String> = stated.as_object().unwrap().keys().collect();
            keys.sort();
            assert_eq!(keys, ["change", "code"], "a unit's figure carries its code and numbers only");
            assert_eq!(stated["change"], serde_json::to_value(figure.change).unwrap());
        }
        for (share, stated) in unit.shares.iter().zip(stated["shares"].as_array().unwrap()) {
            assert_eq!(
                stated,
                &serde_json::json!({"code": share.code, "current": share.current, "previous": share.previous})
            );
        }
    }
}

fn csv_text(lang: Lang) -> String {
    String::from_utf8(render(&seed(), lang, Format::Csv)).unwrap()
}

#[test]
fn csv_has_a_bom_a_translated_header_and_quoted_names() {
    let t = csv_text(Lang::En);
    assert!(t.as_bytes().starts_with(&[0xEF, 0xBB, 0xBF]));
    let mut lines = t.trim_start_matches('\u{feff}').split("\r\n");
    assert_eq!(
        lines.next(),
        Some(
            "Unit code,Unit,Indicator code,Indicator,Measured in,Current period,Same period a year earlier,Change,\"Change, %\",Beyond chance"
        )
    );
    // The scope comes first.
    assert_eq!(lines.next(), Some("AZ,Republic of Azerbaijan,crimes_recorded,Crimes recorded,,8930,9500,-570,-6,yes"));
    assert!(t.contains("\r\nBAK-NSM,\"Nasimi District Police Department, \"\"Baku\"\"\",crimes_recorded,"), "{t}");
    assert!(t.contains(
        "\r\nAZ,Republic of Azerbaijan,damage,Material damage caused by crimes,manat,77668996,0,77668996,,\r\n"
    ));
    assert!(t.contains("\r\nAZ,Republic of Azerbaijan,narcotics_grams,Narcotics removed from illegal circulation,kg,1329,1100,229,20.8,\r\n"));
    assert!(
        t.contains("\r\nAZ,Republic of Azerbaijan,traffic_killed,Killed in traffic accidents,,14,16,-2,-12.5,no\r\n")
    );
    assert!(t.contains("\r\nAZ,Republic of Azerbaijan,solved_share,Solved share,%,85,82.4,2.6,,\r\n"), "{t}");
    let records = t.split("\r\n").filter(|l| !l.is_empty()).count();
    let per_unit = seed().units[0].figures.len() + seed().units[0].shares.len();
    assert_eq!(records, 1 + 4 * per_unit);
}

#[test]
fn csv_header_follows_the_language() {
    assert!(csv_text(Lang::Ru).starts_with("\u{feff}Код подразделения,Подразделение,"));
    assert!(csv_text(Lang::Az).contains(",Qeydə alınmış cinayətlər,,8930,9500,-570,-6,bəli\r\n"));
}

pub(crate) fn unzip(bytes: &[u8]) -> zip::ZipArchive<std::io::Cursor<&[u8]>> {
    zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive")
}

pub(crate) fn entry(archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>, name: &str) -> String {
    let mut text = String::new();
    archive.by_name(name).unwrap_or_else(|e| panic!("{name}: {e}")).read_to_string(&mut text).unwrap();
    text
}

#[test]
fn xlsx_is_a_workbook_with_the_figures_and_the_narrative() {
    let bytes = render(&seed(), Lang::En, Format::Xlsx);
    assert!(bytes.starts_with(b"PK\x03\x04"));
    let mut archive = unzip(&bytes);
    assert!(entry(&mut archive, "[Content_Types].xml").contains("spreadsheetml"));
    let workbook = entry(&mut archive, "xl/workbook.xml");
    assert!(workbook.contains("name=\"Figures\"") && workbook.contains("name=\"Narrative\""), "{workbook}");
    let figures = entry(&mut archive, "xl/worksheets/sheet1.xml");
    assert!(figures.contains("<v>8930</v>"), "8930 as a number");
    assert!(figures.contains("<v>77668996</v>"), "damage in manats");
    let strings = entry(&mut archive, "xl/sharedStrings.xml");
    assert!(strings.contains("85 percent of the 8,930 crimes"));
    assert!(strings.contains("Nasimi District Police Department, \"Baku\""), "{strings}");
}

#[test]
fn xlsx_sheets_are_named_in_the_language() {
    let bytes = render(&seed(), Lang::Az, Format::Xlsx);
    let workbook = entry(&mut unzip(&bytes), "xl/workbook.xml");
    assert!(workbook.contains("name=\"Göstəricilər\""), "{workbook}");
}

#[test]
fn languages_and_formats_parse() {
    assert_eq!("az".parse::<Lang>(), Ok(Lang::Az));
    assert_eq!(" RU ".parse::<Lang>(), Ok(Lang::Ru));
    assert_eq!("en".parse::<Lang>(), Ok(Lang::En));
    assert_eq!(Lang::default(), Lang::Az);
    assert!("tr".parse::<Lang>().unwrap_err().to_string().contains("az, ru or en"));
    assert_eq!("text".parse::<Format>(), Ok(Format::Text));
    assert_eq!("txt".parse::<Format>(), Ok(Format::Text));
    assert_eq!("XLSX".parse::<Format>(), Ok(Format::Xlsx));
    assert_eq!("pdf".parse::<Format>(), Ok(Format::Pdf));
    assert!("doc".parse::<Format>().unwrap_err().to_string().contains("xlsx or pdf"));
}

/// Words that claim a change against the earlier period, per language.
fn claims_of_change(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::En => &["decreased", "increased", "improved", "No category", "a year earlier", "did not change"],
        Lang::Ru => &["сократил", "Улучшилась", "годом ранее", "снизилось", "увеличилось", "не изменилось"],
        Lang::Az => &["azalmış", "artmış", "irəliləyiş", "əvvəlki ilin", "dəyişməmişdir", "il əvvəl"],
    }
}

#[test]
fn with_nothing_counted_a_year_before_no_change_is_claimed() {
    let report = report_of("AZ", CURRENT, &[], false);
    let said = [
        (Lang::En, "There are no figures for the same period of 2023 to compare with"),
        (Lang::Ru, "Сравнение с аналогичным периодом 2023 года невозможно: данных за тот период нет"),
        (Lang::Az, "2023-cü ilin müvafiq dövrü ilə müqayisə aparmaq mümkün deyil"),
    ];
    for (lang, no_data) in said {
        let t = narrative(&report, lang);
        assert!(t.contains(no_data), "{lang}: {t}");
        for claim in claims_of_change(lang) {
            assert!(!t.contains(claim), "{lang}: {claim:?} claimed in\n{t}");
        }
        // The figures of the period itself are still given.
        assert!(t.contains(&with_nbsp(["8,930", "8~930"][usize::from(lang != Lang::En)])), "{lang}: {t}");
    }
    // The same report with last year's figures does claim changes: the words above are the right ones to look for.
    for lang in Lang::ALL {
        let t = text(lang);
        assert!(claims_of_change(lang).iter().any(|claim| t.contains(claim)), "{lang}: {t}");
    }
}

/// Q1 2024's citizens' appeals, in two districts.
const APPEALS: &[(&str, &str, i64)] = &[
    ("BAK-NSM", "appeals_received", 600),
    ("BAK-YAS", "appeals_received", 56),
    ("BAK-NSM", "appeals_answered", 600),
    ("BAK-YAS", "appeals_answered", 29),
    ("BAK-NSM", "appeals_answered_on_time", 580),
    ("BAK-YAS", "appeals_answered_on_time", 24),
    ("BAK-NSM", "appeals_rated", 282),
    ("BAK-NSM", "appeals_satisfied", 208),
];

#[test]
fn the_appeals_sentence_gives_those_received_answered_on_time_and_satisfied_in_each_language() {
    let current: Vec<_> = CURRENT.iter().chain(APPEALS).copied().collect();
    let report = report_of("AZ", &current, PREVIOUS, false);
    let said = [
        (
            Lang::En,
            "656 citizens' appeals were received; 96 percent of the 629 appeals answered or referred were dealt \
             with within the deadline (calculated as answered or referred within the deadline / all answered or \
             referred); 73.8 percent of the 282 applicants who rated the handling of their appeal were satisfied \
             (calculated as scores of 4 or 5 / all scores).",
        ),
        (
            Lang::Ru,
            "Поступило 656 обращений граждан; в установленный срок дан ответ на 96~% из 629 обращений, \
             рассмотренных за период (расчёт: ответы в срок / все ответы и перенаправления); 73,8~% из 282 \
             заявителей, оценивших рассмотрение своих обращений, остались довольны (расчёт: оценки 4 или 5 / все \
             оценки).",
        ),
        (
            Lang::Az,
            "656 vətəndaş müraciəti daxil olmuşdur; dövr ərzində cavablandırılmış və ya yönləndirilmiş 629 \
             müraciətin 96 faizi müddətində cavablandırılmışdır (hesablanma: müddətində cavablar / bütün cavablar \
             və yönləndirmələr); müraciətinə baxılmasını qiymətləndirmiş 282 müraciətçinin 73,8 faizi razı \
             qalmışdır (hesablanma: 4 və ya 5 qiymət verənlər / qiymət verənlər).",
        ),
    ];
    for (lang, sentence) in said {
        let t = narrative(&report, lang);
        assert!(t.contains(&with_nbsp(sentence)), "{lang}: {t}");
    }
    // Without appeals in the period, nothing is said of them.
    for lang in Lang::ALL {
        let t = text(lang);
        assert!(!t.contains(["citizens' appeal", "обращений граждан", "vətəndaş müraciəti"][lang_index(lang)]), "{t}");
    }
}

#[test]
fn counting_rules_that_count_no_appeals_say_nothing_of_them() {
    let current: Vec<_> = CURRENT.iter().chain(APPEALS).copied().collect();
    let mut report = report_of("AZ", &current, PREVIOUS, false);
    assert!(narrative(&report, Lang::En).contains("citizens' appeals were received"));
    // As under a pack without the appeals' indicators (England and Wales).
    for unit in &mut report.units {
        unit.figures.retain(|f| !f.code.starts_with("appeals_"));
        unit.shares.retain(|s| !s.code.starts_with("appeals_"));
    }
    for lang in Lang::ALL {
        let t = narrative(&report, lang);
        assert!(
            !t.contains(["citizens' appeal", "обращений граждан", "vətəndaş müraciəti"][lang_index(lang)]),
            "{lang}: {t}"
        );
    }
}

fn lang_index(lang: Lang) -> usize {
    match lang {
        Lang::En => 0,
        Lang::Ru => 1,
        Lang::Az => 2,
    }
}

#[test]
fn a_rise_from_nothing_is_not_a_percentage() {
    let previous: Vec<_> =
        PREVIOUS.iter().copied().filter(|(_, code, _)| *code != "non_obvious_solved_fraud").collect();
    let t = narrative(&report_of("AZ", CURRENT, &previous, false), Lang::En);
    assert!(t.contains("fraud (80 against none a year earlier)"), "{t}");
    assert!(!t.contains("100 percent"), "{t}");
}

#[test]
fn each_share_names_its_definition_from_the_counting_rules() {
    let t = text(Lang::En);
    for definition in [
        "were solved (calculated as solved / (solved + suspended, perpetrator unidentified), within the period).",
        "(calculated as reimbursed during the investigation / damage caused, for the cases of the period).",
        "within the deadline (calculated as decisions within the deadline / all decisions).",
        "were satisfied (calculated as scores of 4 or 5 / all scores).",
    ] {
        assert!(t.contains(definition), "missing {definition:?} in\n{t}");
    }
    assert!(text(Lang::Ru).contains("(расчёт: оценки 4 или 5 / все оценки)"));
    assert!(text(Lang::Az).contains("(hesablanma: 4 və ya 5 qiymət verənlər / qiymət verənlər)"));
    // A share defined otherwise reads otherwise.
    let mut report = seed();
    let solved = report.units[0].shares.iter_mut().find(|s| s.code == "solved_share").unwrap();
    solved.method.en = "solved / crimes recorded".into();
    let t = narrative(&report, Lang::En);
    assert!(t.contains("were solved (calculated as solved / crimes recorded)."), "{t}");
}

#[test]
fn a_share_made_of_one_kind_of_case_is_said_for_what_it_is() {
    // A source that records cases solved but no suspensions, in either period.
    let without_suspensions = |rows: &[(&'static str, &'static str, i64)]| -> Vec<(&'static str, &'static str, i64)> {
        rows.iter().copied().filter(|(_, code, _)| *code != "suspended_unidentified").collect()
    };
    let report = report_of("AZ", &without_suspensions(CURRENT), &without_suspensions(PREVIOUS), false);
    let said = [
        (
            Lang::En,
            "In the first quarter of 2024, 8,930 crimes were recorded by the Ministry of Internal Affairs and the \
             Prosecutor's Office. The “Solved share” is not given as a per cent: calculated as solved / (solved + \
             suspended, perpetrator unidentified), within the period, it could only be 100 percent, since nothing \
             was counted as “Cases suspended, perpetrator unidentified” in either period.",
            "100 percent of",
        ),
        (Lang::Ru, "он мог бы составить только 100~%", "100~% из"),
        (Lang::Az, "yalnız 100 faiz ola bilərdi", "100 faizi"),
    ];
    for (lang, phrase, bare) in said {
        let t = narrative(&report, lang);
        assert!(t.contains(&with_nbsp(phrase)), "{lang}: {t}");
        assert!(!t.contains(&with_nbsp(bare)), "{lang}: a bare 100 percent in\n{t}");
    }
    // With suspensions counted in one period only, the share is a measure and is given.
    let previous = [("BAK-NSM", "suspended_unidentified", 10)];
    let t = narrative(&report_of("AZ", &without_suspensions(CURRENT), &previous, false), Lang::En);
    assert!(t.contains("100 percent of the 8,930 crimes") && !t.contains("not given"), "{t}");
}

/// A report of `scope` over the test tree with `renamed`'s names replaced,
/// under a jurisdiction whose names fall back as `naming` says.
fn report_named(scope: &str, renamed: (&str, Names), naming: &Naming) -> BoardReport {
    let units = tree()
        .all()
        .cloned()
        .map(|mut u| {
            if u.code.as_str() == renamed.0 {
                u.names = renamed.1.clone();
            }
            u
        })
        .collect();
    let tree = UnitTree::new(units).unwrap();
    let set = IndicatorSet::from_toml(include_str!("../../../data/jurisdictions/azerbaijan/indicators.toml")).unwrap();
    let currency = manats();
    let recorded_by = demo_institution();
    let stamp = Stamp {
        position: 1,
        catalogue: "catalogue-2024.1",
        catalogue_illustrative: false,
        recorded_by: &recorded_by,
        currency: &currency,
        naming,
    };
    let scope = UnitCode::parse(scope).unwrap();
    assemble(&set, &tree, &scope, Period::parse("2024Q1").unwrap(), &sums(CURRENT), &sums(PREVIOUS), stamp)
}

/// A unit named in English alone is named in English in an Azerbaijani
/// report: its table rows and its narrative, by the stated fallback order.
#[test]
fn a_unit_named_in_one_language_is_named_so_in_the_others() {
    let english = Names { en: "Yasamal Police".into(), ..Names::default() };
    let report = report_named("BAK-YAS", ("BAK-YAS", english), &Naming::new(Language::Az, BTreeMap::new()));
    let csv = String::from_utf8(render(&report, Lang::Az, Format::Csv)).unwrap();
    assert!(csv.contains("\r\nBAK-YAS,Yasamal Police,crimes_recorded,"), "{csv}");
    assert!(narrative(&report, Lang::Az).contains("Yasamal Police"));
    let json: serde_json::Value = serde_json::from_slice(&render(&report, Lang::Ru, Format::Json)).unwrap();
    assert_eq!(json["units"][0]["name"], "Yasamal Police", "{json}");
}

/// Under a jurisdiction whose default language is English, a unit named in
/// English and Russian shows its English name in an Azerbaijani report (its
/// CSV and narrative, which the PDF prints), as the pages do; under one whose default is
/// Azerbaijani, its Russian name.
#[test]
fn a_missing_name_falls_back_to_the_jurisdictions_default_language_first() {
    let names =
        Names { ru: "Ясамальская полиция".into(), en: "Yasamal Police".into(), ..Names::default() };
    let english_first =
        report_named("BAK-YAS", ("BAK-YAS", names.clone()), &Naming::new(Language::En, BTreeMap::new()));
    let csv = String::from_utf8(render(&english_first, Lang::Az, Format::Csv)).unwrap();
    assert!(csv.contains("\r\nBAK-YAS,Yasamal Police,crimes_recorded,") && !csv.contains("Ясамальская"), "{csv}");
    let text = narrative(&english_first, Lang::Az);
    assert!(text.contains("Yasamal Police") && !text.contains("Ясамальская"), "{text}");

    let az_first = report_named("BAK-YAS", ("BAK-YAS", names), &Naming::new(Language::Az, BTreeMap::new()));
    let csv = String::from_utf8(render(&az_first, Lang::Az, Format::Csv)).unwrap();
    assert!(csv.contains("\r\nBAK-YAS,Ясамальская полиция,crimes_recorded,"), "{csv}");
}

/// A figure grouped by one of the catalogue's groupings is named by the
/// grouping's name in the report's language in the table, the CSV and the
/// narrative's list; a source's category beside it stays as the source wrote it.
#[test]
fn a_figure_grouped_by_a_grouping_shows_its_name_not_its_code() {
    let set =
        IndicatorSet::from_toml(include_str!("../../../data/jurisdictions/england-wales/indicators.toml")).unwrap();
    let tags = BTreeMap::from([(
        "theft_offences".to_string(),
        Names { az: "Oğurluq cinayətləri".into(), ru: "Кражи".into(), en: "Theft offences".into() },
    )]);
    let naming = Naming::new(Language::En, tags);
    let (currency, recorded_by) = (manats(), demo_institution());
    let stamp = Stamp {
        position: 1,
        catalogue: "c",
        catalogue_illustrative: false,
        recorded_by: &recorded_by,
        currency: &currency,
        naming: &naming,
    };
    let current =
        [("BAK-NSM", "cases_by_grouping/theft_offences", 4), ("BAK-NSM", "cases_by_category/Vehicle crime", 3)];
    let scope = UnitCode::parse("BAK-NSM").unwrap();
    let report = assemble(&set, &tree(), &scope, Period::parse("2024Q1").unwrap(), &sums(&current), &sums(&[]), stamp);
    for (lang, name) in [(Lang::Az, "Oğurluq cinayətləri"), (Lang::Ru, "Кражи"), (Lang::En, "Theft offences")] {
        let csv = String::from_utf8(render(&report, lang, Format::Csv)).unwrap();
        let row = csv.lines().find(|l| l.contains("cases_by_grouping/theft_offences")).expect("the grouping's row");
        assert!(row.contains(name) && !row.contains(": theft_offences"), "{lang:?}: {row}");
        let category = csv.lines().find(|l| l.contains("cases_by_category/")).expect("the category's row");
        assert!(category.contains(": Vehicle crime"), "a source's label stays verbatim: {category}");
    }
    let json: serde_json::Value = serde_json::from_slice(&render(&report, Lang::Az, Format::Json)).unwrap();
    let figure =
        json["indicators"].as_array().unwrap().iter().find(|i| i["code"] == "cases_by_grouping/theft_offences");
    let figure = figure.expect("the grouping in the JSON");
    assert!(figure["name"].as_str().unwrap().ends_with("Oğurluq cinayətləri"), "{figure}");
    assert_eq!(figure["group"], serde_json::json!(["theft_offences"]), "the machine's value stays the code");
}

/// The seed's report counted in pounds sterling (the England and Wales pack's currency).
fn in_pounds() -> BoardReport {
    BoardReport { currency: pounds(), ..seed() }
}

#[test]
fn a_report_in_pounds_says_pounds_in_every_language_and_file() {
    let said = |lang| narrative(&in_pounds(), lang);
    let en = said(Lang::En);
    assert!(en.contains("80 percent of the 77,668,996 pounds of material damage"), "{en}");
    assert!(with_nbsp_free(&said(Lang::Ru)).contains("80 % из 77 668 996 фунтов стерлингов"), "{}", said(Lang::Ru));
    assert!(with_nbsp_free(&said(Lang::Az)).contains("77 668 996 funt sterlinq maddi ziyanın 80 faizi"));

    let csv = |lang| String::from_utf8(render(&in_pounds(), lang, Format::Csv)).unwrap();
    assert!(
        csv(Lang::En).contains(",damage,Material damage caused by crimes,pound sterling,77668996,0,77668996,,\r\n")
    );
    assert!(csv(Lang::Ru).contains(",фунт стерлингов,77668996,"), "{}", csv(Lang::Ru));
    assert!(csv(Lang::Az).contains(",funt sterlinq,77668996,"), "{}", csv(Lang::Az));

    let workbook = render(&in_pounds(), Lang::En, Format::Xlsx);
    let strings = entry(&mut unzip(&workbook), "xl/sharedStrings.xml");
    assert!(strings.contains("pound sterling") && strings.contains("77,668,996 pounds"), "{strings}");

    for lang in Lang::ALL {
        let text = said(lang) + &csv(lang) + &strings;
        assert!(!text.contains("manat") && !text.contains("манат") && !text.contains('₼'), "{}: {text}", lang.code());
    }
}

/// A text with its no-break spaces as plain ones, to compare with what a reader sees.
fn with_nbsp_free(text: &str) -> String {
    text.replace('\u{a0}', " ")
}

#[test]
fn the_headline_states_the_share_the_counting_rules_choose_or_the_count_alone() {
    let headline = |r: &BoardReport, lang| narrative(r, lang).lines().next().unwrap().to_string();
    let cohort = BoardReport { headline_share: Some("cohort_solved_share".into()), ..seed() };
    let said = headline(&cohort, Lang::En);
    assert!(said.contains("(calculated as of the crimes registered in the period, the share solved"), "{said}");
    assert!(!said.contains("solved + suspended"), "{said}");

    let count_alone = BoardReport { headline_share: None, ..seed() };
    for lang in Lang::ALL {
        assert!(!headline(&count_alone, lang).contains("85"), "{}: {}", lang.code(), headline(&count_alone, lang));
    }
    let said = headline(&count_alone, Lang::En);
    assert!(
        said.starts_with(
            "In the first quarter of 2024, 8,930 crimes were recorded by the Ministry of Internal Affairs and \
             the Prosecutor's Office. "
        ),
        "{said}"
    );
}

/// The briefing pack of the seed's report: thefts and crimes recorded in
/// Baku's two districts, with tasks given for Nasimi alone.
pub(crate) fn seed_briefing() -> crimeboard_stats::briefing::Briefing {
    use crimeboard_stats::briefing::{BriefingItem, BriefingRequest, UnitTasks, brief};
    let nasimi = UnitCode::parse("BAK-NSM").unwrap();
    let request = BriefingRequest {
        period: Period::parse("2024Q1").unwrap(),
        items: vec![BriefingItem {
            topic: "Oğurluqlar".into(),
            indicators: vec!["crimes_recorded".into(), "theft".into()],
        }],
        units: vec![nasimi.clone(), UnitCode::parse("BAK-YAS").unwrap()],
        tasks: [(nasimi, UnitTasks { open: 4, overdue: 1 })].into(),
    };
    brief(&request, &seed()).unwrap()
}

/// The signals of Baku's two districts in Q1 2024: Nasimi records 60 of its
/// 100 crimes in the quarter's last 7 days, Yasamal 8 of 100, against the
/// calendar's 7 of 91 days.
#[test]
fn a_signal_is_its_question_the_units_worth_asking_about_and_a_table() {
    let current = [
        ("BAK-NSM", "crimes_recorded", 100),
        ("BAK-NSM", "crimes_recorded_quarter_end", 60),
        ("BAK-YAS", "crimes_recorded", 100),
        ("BAK-YAS", "crimes_recorded_quarter_end", 8),
    ];
    let report = report_of("BAK", &current, &[], true);
    let set = IndicatorSet::from_toml(include_str!("../../../data/jurisdictions/azerbaijan/indicators.toml")).unwrap();
    let readings = crimeboard_stats::signals::read(&report, &set);
    let bunching = readings.iter().find(|s| s.code == "quarter_end").unwrap();
    assert_eq!(
        signals::question(&report, bunching, Lang::En),
        "Are more crimes recorded here in the last days of the quarter than the calendar explains?"
    );
    assert_eq!(
        signals::worth_asking(&report, bunching, Lang::En),
        "Worth asking about: Nasimi District Police Department, \"Baku\"."
    );
    assert_eq!(signals::worth_asking(&report, bunching, Lang::Ru), "Стоит спросить: Насиминское РУП, «Баку».");
    let refusals = readings.iter().find(|s| s.code == "refusals").unwrap();
    assert_eq!(
        signals::worth_asking(&report, refusals, Lang::Az),
        "Heç bir bölmə bu sualın soruşduğu tərəfdə sərhədlərdən kənarda deyil."
    );
    let chart = funnel::signal_chart(&report, bunching, Lang::En, "s").unwrap();
    assert!(
        chart.reading[0].contains("The line across is what the calendar alone would give, 7.7 %"),
        "{:?}",
        chart.reading
    );
    assert!(chart.svg.contains("The calendar: 7.7 %"));
    let (header, rows) = signals::table(&report, &readings, Lang::En);
    assert_eq!(header[1], "Question");
    let nasimi: Vec<&crate::sheet::Cell> = rows
        .iter()
        .find(|r| {
            r[0] == crate::sheet::Cell::from("quarter_end")
                && r[2] == crate::sheet::Cell::from("Nasimi District Police Department, \"Baku\"")
        })
        .unwrap()
        .iter()
        .collect();
    assert_eq!(nasimi[3], &crate::sheet::Cell::Number(60.0));
    assert_eq!(nasimi[6], &crate::sheet::Cell::Number(700.0 / 91.0));
    assert_eq!(nasimi[8], &crate::sheet::Cell::from("yes"));
    let csv = String::from_utf8(signals::csv(&report, &readings, Lang::Ru)).unwrap();
    assert!(csv.starts_with("\u{feff}Признак,Вопрос,"), "{csv}");
}
