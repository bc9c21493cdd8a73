//! The registry's rules, each shown by an input that breaks it, on every
//! storage backend: a real SQLite file and a real PostgreSQL database.

mod access;
mod accounts;
mod act_audit;
mod annul;
mod counters;
mod golden;
mod journal;
mod open_data;
mod queue;
mod rules;
mod search;
mod sort;
mod sources;
mod support;
mod transaction;
mod units;
