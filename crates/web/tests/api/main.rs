//! The HTTP API driven in-process, on every storage backend: a real SQLite
//! file and, under ./test.sh, a fresh PostgreSQL database.

mod access;
mod appeals;
mod board;
mod briefing;
mod enrol;
mod errors;
mod hostile;
mod identifiers;
mod load;
mod openapi;
mod pack;
mod proxy;
mod published;
mod receptions;
mod registers;
mod releases;
mod report;
mod samples;
mod series;
mod serve;
mod sessions;
mod signals;
mod support;
