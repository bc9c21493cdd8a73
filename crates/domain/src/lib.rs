//! The pure rules of crimeboard's registers. No I/O, no clock, no SQL, no
//! HTTP: everything a rule consults is passed in (see [`context::Context`]).

pub mod access;
pub mod act;
pub mod appeal;
pub mod audit;
pub mod cancellation;
pub mod case;
pub mod catalogue;
pub mod context;
pub mod error;
pub mod freeze;
pub mod identifier;
pub mod inspection;
pub mod iso8601;
pub mod journal;
pub mod jurisdiction;
pub mod late;
pub mod meeting;
pub mod person;
pub mod publication;
pub mod reception;
pub mod records;
pub mod registers;
pub mod release;
pub mod report;
pub mod rules;
pub mod search;
pub mod series;
pub mod source;
pub mod task;
pub mod units;

pub use act::{Act, Assigned, Command, Entity, EntityKind, Envelope, Loaded};
pub use context::Context;
pub use error::{Rejected, Violation};
