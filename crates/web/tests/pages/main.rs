//! The staff pages driven in-process through the real router, on every
//! storage backend: a real SQLite file and, under ./test.sh, a fresh
//! PostgreSQL database.

#[path = "../api/support.rs"]
#[allow(dead_code)]
mod support;

mod access;
mod appeals;
mod board;
mod browse;
mod cancellations;
mod forms;
mod freezes;
mod helpers;
mod identifiers;
mod it_section;
mod news;
mod online;
mod pack;
mod prefs;
mod public_figures;
mod public_site;
mod publications;
mod receptions;
mod releases;
mod samples;
mod series;
mod signals;
mod units;
