//! Start-up milestones, each logged once (to the log file, at info level): the first frame, the
//! first frame that shows a sender-ID row, and the first frame after every region has loaded.
//! Each line carries the time since the process started and the wall-clock time in microseconds,
//! so that a benchmark that noted when it started the process can measure from there
//! (`scripts/bench.sh` does), and so that a slow start can be told apart from a slow service.

use crate::state::State;
use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

static START: OnceLock<Instant> = OnceLock::new();

/// Notes when the process started; `main` calls it first thing.
pub fn process_started() {
    START.get_or_init(Instant::now);
}

/// Which milestones have been logged.
#[derive(Debug, Default)]
pub struct Milestones {
    first_frame: bool,
    first_row: bool,
    loaded: bool,
}

impl Milestones {
    /// Called after each frame is drawn.
    pub fn after_draw(&mut self, state: &State) {
        if !self.first_frame {
            self.first_frame = true;
            log("first frame", state);
        }
        if !self.first_row && state.view.shown() > 0 {
            self.first_row = true;
            log("first frame with a sender-ID row", state);
        }
        if !self.loaded && !state.inventory.regions.is_empty() && !state.inventory.loading() {
            self.loaded = true;
            log("first frame with every region loaded", state);
        }
    }
}

fn log(what: &str, state: &State) {
    let since_start_ms = START.get().map_or(f64::NAN, |s| {
        (s.elapsed().as_secs_f64() * 10_000.0).round() / 10.0
    });
    let unix_us = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros());
    tracing::info!(
        target: "sidman::milestone",
        since_start_ms,
        unix_us,
        sender_ids = state.inventory.len(),
        "{what}"
    );
}
