//! The Board's figures, pure: counting rules as data, what each entity adds to
//! the counters, periods, comparisons with last year and their significance.

pub mod board;
pub mod briefing;
pub mod compare;
pub mod disclosure;
#[cfg(test)]
mod fixtures;
pub mod funnel;
pub mod indicators;
pub mod period;
pub mod series;
pub mod signals;
pub mod trend;

pub use compare::Change;
pub use indicators::{Cell, IndicatorSet};
pub use period::Period;
