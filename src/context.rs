//! What the checks know about the world: the current time, and nothing else.
//!
//! No rule reads the system clock. The binary builds a [`Context`] once, from `--now`
//! when given, and tests always pin it, so every verdict is reproducible.

use chrono::{DateTime, Utc};

/// Facts shared by every check of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    now: DateTime<Utc>,
    pinned: bool,
}

impl Context {
    /// A context whose "now" is fixed, as `--now` and tests give it.
    pub fn pinned(now: DateTime<Utc>) -> Context {
        Context { now, pinned: true }
    }

    /// A context whose "now" is the system clock at this call; the only place the
    /// clock is read.
    pub fn from_system_clock() -> Context {
        Context {
            now: Utc::now(),
            pinned: false,
        }
    }

    /// The instant every time rule compares against.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// True when "now" came from `--now` (or a test) rather than the system clock.
    pub fn is_pinned(&self) -> bool {
        self.pinned
    }
}
