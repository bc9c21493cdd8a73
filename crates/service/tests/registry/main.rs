//! The registry's rules, each shown by an input that breaks it, on every
//! storage backend: a real SQLite file and a real PostgreSQL database.

mod access;
mod accounts;
mod act_audit;
mod annul;
mod appeals;
mod board;
mod briefing;
mod cancellation;
mod counters;
mod england_wales;
mod freezes;
mod golden;
mod groups;
mod identifiers;
mod inspection;
mod journal;
mod jurisdiction;
mod late;
mod online;
mod open_data;
mod published;
mod queue;
mod reception;
mod release;
mod rules;
mod search;
mod series;
mod series_figures;
mod signals;
mod sort;
mod sources;
mod support;
mod transaction;
mod units;
