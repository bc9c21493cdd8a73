//! The press service's own releases on the public site, beside the Board's:
//! a handful written from scratch in az, ru and en (one only in Azerbaijani
//! and Russian), tagged with units of the tree and topics, approved and
//! published on the day the demo is made, and one scheduled for a week
//! later at ten in the morning, Baku time, which the public does not see
//! before then. On a tree without the seed's units (the large size's), a
//! release is the root unit's and tagged with the units the tree has.

use crate::emit::DEMO;
use anyhow::Result;
use chrono::{Days, NaiveTime};
use crimeboard_domain::Command;
use crimeboard_domain::release::{ApproveRelease, PublishRelease, Tags, Texts, WriteRelease};
use crimeboard_domain::units::UnitCode;
use crimeboard_service::audit::Audited;
use crimeboard_service::{Registry, Submission};

const GROUND: &str = "Daxili İşlər Nazirliyinin mətbuat xidməti haqqında Əsasnamə";

/// One release: its unit, units and topics tagged, (title, text) in az, ru
/// and en (an empty pair is a language it is not published in), and
/// whether it is scheduled for a week later.
struct Written {
    unit: &'static str,
    units: &'static [&'static str],
    topics: &'static [&'static str],
    az: (&'static str, &'static str),
    ru: (&'static str, &'static str),
    en: (&'static str, &'static str),
    scheduled: bool,
}

const RELEASES: [Written; 5] = [
    Written {
        unit: "BAK",
        units: &["BAK", "BAK-NSM"],
        topics: &["traffic", "prevention"],
        az: (
            "Nəsimi rayonunda yol polisinin reydi",
            "Yol polisi əməkdaşları Nəsimi rayonunda 300-dən çox sürücünü yoxlayıb.\n\nSərxoş halda sükan arxasında olan iki sürücü saxlanılıb.",
        ),
        ru: (
            "Рейд дорожной полиции в Насиминском районе",
            "Сотрудники дорожной полиции проверили в Насиминском районе более 300 водителей.\n\nЗадержаны два водителя в состоянии опьянения.",
        ),
        en: (
            "Road police check in Nasimi",
            "Road police officers checked more than 300 drivers in the Nasimi district.\n\nTwo drunk drivers were stopped.",
        ),
        scheduled: false,
    },
    Written {
        unit: "MIA",
        units: &["MIA"],
        topics: &["it_crime", "prevention"],
        az: (
            "Bank kartı fırıldaqlarından necə qorunmalı",
            "Heç kimə kartınızın məlumatlarını və SMS kodunu deməyin: bank bunları heç vaxt soruşmur.",
        ),
        ru: (
            "Как уберечься от мошенничества с банковскими картами",
            "Никому не сообщайте данные карты и код из SMS: банк никогда их не спрашивает.",
        ),
        en: (
            "How to keep safe from bank card fraud",
            "Never tell anyone your card's details or the code in a text message: the bank never asks for them.",
        ),
        scheduled: false,
    },
    Written {
        unit: "BAK",
        units: &["BAK-YAS"],
        topics: &["narcotics"],
        az: (
            "Yasamalda narkotik vasitələr götürülüb",
            "Əməliyyat tədbirləri zamanı 2 kiloqramdan çox narkotik vasitə götürülüb, cinayət işi başlanıb.",
        ),
        ru: (
            "В Ясамале изъяты наркотические средства",
            "В ходе оперативных мероприятий изъято более 2 килограммов наркотических средств, возбуждено уголовное дело.",
        ),
        en: ("", ""),
        scheduled: false,
    },
    Written {
        unit: "MIA",
        units: &["MIA"],
        topics: &["appeals"],
        az: (
            "Müraciətlər indi onlayn qəbul olunur",
            "Vətəndaşlar müraciətlərini ictimai saytda göndərə və onların vəziyyətini izləyə bilərlər.",
        ),
        ru: (
            "Обращения теперь принимаются онлайн",
            "Граждане могут направить обращение на публичном сайте и следить за его ходом.",
        ),
        en: (
            "Appeals are now received online",
            "Citizens can send an appeal on the public site and follow how it is handled.",
        ),
        scheduled: false,
    },
    Written {
        unit: "MIA",
        units: &["MIA", "BAK"],
        topics: &["missing_persons"],
        az: (
            "İtkin düşmüş şəxslərin axtarışı üzrə yeni qaydalar",
            "Gələn həftədən itkin düşmüş şəxs barədə məlumat gecikmədən, istənilən polis bölməsində qəbul olunacaq.",
        ),
        ru: (
            "Новые правила розыска пропавших без вести",
            "Со следующей недели заявление о пропавшем без вести будет приниматься без промедления в любом отделе полиции.",
        ),
        en: (
            "New rules for finding missing persons",
            "From next week a report of a missing person is taken without delay at any police station.",
        ),
        scheduled: true,
    },
];

/// Records the releases: three acts each. The acts moved.
pub(crate) fn record(registry: &Registry) -> Result<u64> {
    let by = registry.system(DEMO);
    let rules = registry.jurisdiction().rules.clone();
    let in_a_week = rules.local_date(registry.now()).checked_add_days(Days::new(7)).expect("a day");
    let at = in_a_week.and_time(NaiveTime::from_hms_opt(10, 0, 0).expect("ten o'clock"));
    let record = |command| {
        let submission = Submission { actor: DEMO.into(), legal_ground: GROUND.into(), command, late: None };
        registry.record(&by, &submission, &Audited::No)
    };
    let tree = registry.units();
    let root = tree.all().find(|u| u.parent.is_none()).map(|u| u.code.clone());
    let code = |c: &str| UnitCode::parse(c).ok().filter(|c| tree.get(c).is_some());
    let mut acts = 0;
    for w in &RELEASES {
        let pair = |pick: fn(&Written) -> (&'static str, &'static str), first: bool| {
            let (title, text) = pick(w);
            if first { title.to_string() } else { text.to_string() }
        };
        let texts = |first| Texts { az: pair(|w| w.az, first), ru: pair(|w| w.ru, first), en: pair(|w| w.en, first) };
        let tags = Tags {
            units: w.units.iter().filter_map(|u| code(u)).collect(),
            topics: w.topics.iter().map(|t| t.to_string()).collect(),
        };
        let Some(unit) = code(w.unit).or_else(|| root.clone()) else { return Ok(acts) };
        let written = WriteRelease { unit, titles: texts(true), texts: texts(false), tags };
        let id = record(Command::WriteRelease(written))?.entity_id;
        record(Command::ApproveRelease(ApproveRelease { release_id: id }))?;
        record(Command::PublishRelease(PublishRelease { release_id: id, at: w.scheduled.then_some(at) }))?;
        acts += 3;
    }
    Ok(acts)
}
