//! A confirmed release batch: first a re-read of every sender ID to be released (stale ones are
//! reported, not released), then releases scheduled a few at a time per region, each row moving
//! queued → releasing → released / failed. Stopping (Esc) only stops scheduling; calls in flight
//! finish and are recorded. The per-row status outlives the batch so the detail pane can show it.

use crate::action::ReleaseOutcome;
use crate::domain::Key;
use std::collections::{BTreeMap, HashMap, VecDeque};

/// At most this many releases in flight per region.
pub const PER_REGION_IN_FLIGHT: usize = 2;

/// Where one sender ID stands in a release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowStatus {
    /// Being re-read before release.
    Verifying,
    Queued,
    Releasing,
    Done(ReleaseOutcome),
    /// Not sent: the re-read found it changed or gone, or it was excluded at review.
    NotSent(String),
    /// Not sent because the operator stopped the batch.
    Cancelled,
}

impl RowStatus {
    /// A short word for the table's status column; never colour alone.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Verifying => "checking",
            Self::Queued => "queued",
            Self::Releasing => "releasing",
            Self::Done(ReleaseOutcome::Released { .. }) => "released",
            Self::Done(ReleaseOutcome::Failed { .. }) => "FAILED",
            Self::Done(ReleaseOutcome::Unknown { .. }) => "UNKNOWN",
            Self::NotSent(_) => "not sent",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn is_pending(&self) -> bool {
        matches!(self, Self::Verifying | Self::Queued | Self::Releasing)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Verifying,
    Releasing,
    Stopped,
    Finished,
}

#[derive(Debug, Clone)]
pub struct Batch {
    pub id: u64,
    pub phase: Phase,
    /// Sender IDs the operator confirmed.
    pub confirmed: usize,
    /// Regions whose re-read has not come back yet.
    pub rereads_left: usize,
    pub queues: BTreeMap<String, VecDeque<Key>>,
    pub in_flight: HashMap<String, usize>,
    pub released: usize,
    pub failed: usize,
    pub not_sent: usize,
}

impl Batch {
    pub fn new(id: u64, confirmed: usize, regions: usize) -> Self {
        Self {
            id,
            phase: Phase::Verifying,
            confirmed,
            rereads_left: regions,
            queues: BTreeMap::new(),
            in_flight: HashMap::new(),
            released: 0,
            failed: 0,
            not_sent: 0,
        }
    }

    pub fn in_flight_total(&self) -> usize {
        self.in_flight.values().sum()
    }

    pub fn queued_total(&self) -> usize {
        self.queues.values().map(VecDeque::len).sum()
    }

    /// Sender IDs that have reached an end (released, failed, unknown, not sent, cancelled).
    pub fn settled(&self) -> usize {
        self.released + self.failed + self.not_sent
    }

    /// True while calls are in flight or more will be scheduled.
    pub fn running(&self) -> bool {
        match self.phase {
            Phase::Verifying | Phase::Releasing => true,
            Phase::Stopped => self.in_flight_total() > 0,
            Phase::Finished => false,
        }
    }

    /// Takes the next keys to send, keeping at most [`PER_REGION_IN_FLIGHT`] per region.
    pub fn next_to_send(&mut self) -> Vec<Key> {
        if self.phase != Phase::Releasing {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (region, queue) in &mut self.queues {
            let flying = self.in_flight.entry(region.clone()).or_insert(0);
            while *flying < PER_REGION_IN_FLIGHT {
                let Some(key) = queue.pop_front() else { break };
                *flying += 1;
                out.push(key);
            }
        }
        out
    }

    /// Records the end of one call.
    pub fn finish_one(&mut self, region: &str, outcome: &ReleaseOutcome) {
        if let Some(n) = self.in_flight.get_mut(region) {
            *n = n.saturating_sub(1);
        }
        match outcome {
            ReleaseOutcome::Released { .. } => self.released += 1,
            ReleaseOutcome::Failed { .. } | ReleaseOutcome::Unknown { .. } => self.failed += 1,
        }
        self.settle_if_done();
    }

    /// Moves to [`Phase::Finished`] when nothing is queued or in flight any more.
    pub fn settle_if_done(&mut self) {
        let verifying = self.phase == Phase::Verifying && self.rereads_left > 0;
        if !verifying && self.in_flight_total() == 0 && self.queued_total() == 0 {
            self.phase = Phase::Finished;
        }
    }

    /// Stops scheduling; returns the keys that will now not be sent.
    pub fn stop(&mut self) -> Vec<Key> {
        if matches!(self.phase, Phase::Finished) {
            return Vec::new();
        }
        self.phase = Phase::Stopped;
        let cancelled: Vec<Key> = self.queues.values_mut().flat_map(std::mem::take).collect();
        self.not_sent += cancelled.len();
        cancelled
    }

    /// Progress from 0.0 to 1.0 for the gauge.
    pub fn progress(&self) -> f64 {
        if self.confirmed == 0 {
            return 1.0;
        }
        #[allow(clippy::cast_precision_loss)]
        let ratio = self.settled() as f64 / self.confirmed as f64;
        ratio.clamp(0.0, 1.0)
    }
}
