//! Made-up people with Azerbaijani names, FINs and dates of birth. A
//! suspect's age is planned (minor or adult on the day of the crime); the
//! registers derive "minor" from the date of birth, as they must.

use crate::clock::years_before;
use crate::rng::Rng;
use chrono::NaiveDate;
use crimeboard_domain::person::{Fin, PersonInput, PersonRole, Sex};

const MALE: &[&str] = &[
    "Orxan", "Elvin", "Rəşad", "Tural", "Kamran", "Nicat", "Fərid", "Ülvi", "Rauf", "Elçin", "Vüqar", "Anar", "Samir",
    "Emin", "Cavid", "Ramil", "Şahin", "Mübariz", "İlkin", "Murad",
];
const FEMALE: &[&str] = &[
    "Leyla",
    "Aynur",
    "Günel",
    "Səbinə",
    "Nərmin",
    "Aysel",
    "Könül",
    "Sevinc",
    "Lalə",
    "Türkan",
    "Nigar",
    "Fidan",
    "Gülnar",
    "Ülviyyə",
    "Zəhra",
];
const SURNAMES: &[&str] = &[
    "Məmmədov",
    "Əliyev",
    "Həsənov",
    "Quliyev",
    "Hüseynov",
    "Babayev",
    "İsmayılov",
    "Rəhimov",
    "Cəfərov",
    "Abbasov",
    "Nəsirov",
    "Qasımov",
    "Süleymanov",
    "Kərimov",
    "Orucov",
    "Rzayev",
    "Musayev",
    "Vəliyev",
    "Şükürov",
    "Bağırov",
];
/// FINs use Latin capitals and digits; letters easy to confuse are left out.
const FIN_CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPRSTUVWXYZ";

/// Who an offender is, as planned: the registers must come to the same
/// "minor" and "previously convicted" answers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Offender {
    pub minor: bool,
    pub previously_convicted: bool,
}

fn full_name(rng: &mut Rng, sex: Sex) -> String {
    let surname = rng.pick(SURNAMES);
    match sex {
        Sex::Male => format!("{} {surname}", rng.pick(MALE)),
        Sex::Female => format!("{} {surname}a", rng.pick(FEMALE)),
    }
}

pub(crate) fn fin(rng: &mut Rng) -> Option<Fin> {
    let text: String = (0..7).map(|_| char::from(*rng.pick(FIN_CHARS))).collect();
    Fin::parse("fin", &text).ok()
}

fn person(rng: &mut Rng, role: PersonRole, sex: Sex, born: NaiveDate) -> PersonInput {
    PersonInput {
        role,
        full_name: full_name(rng, sex),
        fin: fin(rng),
        birth_date: Some(born),
        sex: Some(sex),
        previously_convicted: false,
    }
}

/// A suspect aged as planned on `crime_day`: a minor is 14 to 17 (criminal
/// responsibility starts at 14), an adult 19 to 64, never near the line.
pub(crate) fn suspect(rng: &mut Rng, o: Offender, crime_day: NaiveDate) -> PersonInput {
    let years = if o.minor { rng.range(14, 17) } else { rng.range(19, 64) } as u32;
    let born = years_before(crime_day, years, rng.below(300) as u32);
    let sex = if rng.chance(0.88) { Sex::Male } else { Sex::Female };
    PersonInput { previously_convicted: o.previously_convicted, ..person(rng, PersonRole::Suspect, sex, born) }
}

pub(crate) fn victim(rng: &mut Rng, crime_day: NaiveDate) -> PersonInput {
    let born = years_before(crime_day, rng.range(18, 80) as u32, rng.below(360) as u32);
    let sex = if rng.chance(0.55) { Sex::Male } else { Sex::Female };
    person(rng, PersonRole::Victim, sex, born)
}

/// The applicant of a report: the victim when there is one.
pub(crate) fn applicant_from(victim: &PersonInput) -> PersonInput {
    PersonInput { role: PersonRole::Applicant, previously_convicted: false, ..victim.clone() }
}

pub(crate) fn applicant(rng: &mut Rng, day: NaiveDate) -> PersonInput {
    applicant_from(&victim(rng, day))
}

/// An officer's name as the registers show it.
pub(crate) fn officer(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(MALE), rng.pick(SURNAMES))
}

pub(crate) fn name(rng: &mut Rng) -> String {
    full_name(rng, Sex::Male)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crimeboard_domain::person::age_on;

    #[test]
    fn planned_minors_are_minors_on_the_day_of_the_crime() {
        let mut rng = Rng::new(11);
        let day = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        for _ in 0..2000 {
            let minor = suspect(&mut rng, Offender { minor: true, previously_convicted: false }, day);
            let age = age_on(minor.birth_date.unwrap(), day).unwrap();
            assert!((14..18).contains(&age), "{age}");
            let adult = suspect(&mut rng, Offender::default(), day);
            assert!(age_on(adult.birth_date.unwrap(), day).unwrap() >= 19);
        }
    }

    #[test]
    fn fins_are_valid() {
        let mut rng = Rng::new(2);
        assert!((0..1000).all(|_| fin(&mut rng).is_some()));
    }
}
