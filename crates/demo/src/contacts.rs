//! Every unit's contacts, as the public site shows them on the unit's page:
//! an address, a head and a telephone, believable and the same on every
//! run, each unit's own `set_unit_contacts` act in force from the day the
//! demo is made.

use crate::emit::DEMO;
use anyhow::Result;
use crimeboard_domain::Command;
use crimeboard_domain::units::{Contacts, Names, SetUnitContacts};
use crimeboard_service::audit::Audited;
use crimeboard_service::{Registry, Submission};

const GROUND: &str = "MIA order on the units' public contacts";

/// Streets in (az, ru, en), as Azerbaijan's towns name them.
const STREETS: [(&str, &str, &str); 8] = [
    ("Nizami", "Низами", "Nizami"),
    ("Üzeyir Hacıbəyli", "Узеира Гаджибекова", "Uzeyir Hajibeyli"),
    ("Səməd Vurğun", "Самеда Вургуна", "Samad Vurgun"),
    ("Füzuli", "Физули", "Fuzuli"),
    ("Azadlıq", "Азадлыг", "Azadlig"),
    ("Heydər Əliyev", "Гейдара Алиева", "Heydar Aliyev"),
    ("Xətai", "Хатаи", "Khatai"),
    ("Cəfər Cabbarlı", "Джафара Джаббарлы", "Jafar Jabbarly"),
];

/// Heads' names, a rank first, as the units' pages write them.
const HEADS: [&str; 10] = [
    "Polkovnik Rauf Əliyev",
    "Polkovnik Elçin Məmmədov",
    "Polis polkovniki Vüqar Həsənov",
    "Polkovnik-leytenant Samir Quliyev",
    "Polkovnik Nicat Hüseynov",
    "Polkovnik Tural İsmayılov",
    "Polkovnik-leytenant Kamran Abbasov",
    "Polkovnik Fuad Rzayev",
    "Polkovnik Zaur Babayev",
    "Polkovnik-leytenant Orxan Kərimov",
];

/// The contacts of the `i`-th unit.
fn contacts(i: usize) -> Contacts {
    let (az, ru, en) = STREETS[i % STREETS.len()];
    let number = 1 + (i * 7) % 95;
    Contacts {
        address: Names {
            az: format!("{az} küçəsi {number}"),
            ru: format!("ул. {ru}, {number}"),
            en: format!("{number} {en} Street"),
        },
        head: HEADS[i % HEADS.len()].to_string(),
        head_position: Names { az: "Rəis".into(), ru: "Начальник".into(), en: "Head".into() },
        telephone: format!("+994 12 {} {:02} {:02}", 400 + i % 500, (i * 13) % 100, (i * 37 + 11) % 100),
    }
}

/// Records the contacts of every unit in the tree that is not merged away;
/// returns how many acts.
pub fn record(registry: &Registry) -> Result<u64> {
    let tree = registry.units();
    let today = registry.jurisdiction().rules.local_date(registry.now());
    let by = registry.system(DEMO);
    let mut acts = 0;
    for (i, unit) in tree.all().filter(|u| tree.merged_into(&u.code).is_none()).enumerate() {
        let set = SetUnitContacts { unit: unit.code.clone(), contacts: contacts(i), effective_from: today };
        let submission = Submission {
            actor: DEMO.into(),
            legal_ground: GROUND.into(),
            command: Command::SetUnitContacts(set),
            late: None,
        };
        registry.record(&by, &submission, &Audited::No)?;
        acts += 1;
    }
    Ok(acts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_units_contacts_pass_the_rules() {
        for i in 0..2000 {
            let mut checks = crimeboard_domain::error::Checks::default();
            contacts(i).check(&mut checks);
            assert!(checks.finish().is_ok(), "unit {i}: {:?}", contacts(i));
        }
    }
}
