//! A progress line on standard error: how far, how fast, how long to go.

use std::io::Write;
use std::time::{Duration, Instant};

pub struct ProgressLine {
    started: Instant,
    last_drawn: Option<Instant>,
}

impl ProgressLine {
    pub fn new() -> ProgressLine {
        ProgressLine { started: Instant::now(), last_drawn: None }
    }

    /// Redraws at most five times a second, and always at the end.
    pub fn draw(&mut self, done: u64, total: u64, what: &str) {
        let finished = done >= total;
        if !finished && self.last_drawn.is_some_and(|t| t.elapsed() < Duration::from_millis(200)) {
            return;
        }
        self.last_drawn = Some(Instant::now());
        let elapsed = self.started.elapsed().as_secs_f64();
        let rate = if elapsed > 0.0 { done as f64 / elapsed } else { 0.0 };
        let share = if total > 0 { done as f64 / total as f64 } else { 1.0 };
        let filled = (share * 30.0).round() as usize;
        let eta = if rate > 0.0 { (total.saturating_sub(done)) as f64 / rate } else { 0.0 };
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r[{}{}] {:>3.0}% {done}/{total} {what}  {rate:.0}/s  {}   ",
            "#".repeat(filled.min(30)),
            ".".repeat(30 - filled.min(30)),
            share * 100.0,
            if finished { format!("done in {}", clock(elapsed)) } else { format!("ETA {}", clock(eta)) },
        );
        if finished {
            let _ = writeln!(err);
        }
    }
}

fn clock(seconds: f64) -> String {
    let s = seconds.round() as u64;
    format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}
