//! A confirmed release batch: first a re-read of every sender ID to be released (stale ones are
//! reported, not released), then releases scheduled a few at a time per region, each row moving
//! queued → releasing → released / failed. Stopping (Esc) only stops scheduling; calls in flight
//! finish and are recorded. Pausing (expired credentials, a service that throttles every call)
//! also stops scheduling but keeps the queue, so `R` resumes where it stopped. How many calls a
//! region has in flight follows its release rate. The per-row status outlives the batch so the
//! detail pane can show it.

use crate::action::ReleaseOutcome;
use crate::domain::Key;
use crate::pacing::MAX_RELEASES_IN_FLIGHT;
use std::collections::{BTreeMap, HashMap, VecDeque};

/// Releases in flight per region while its release rate is not known yet, and the least ever.
pub const PER_REGION_IN_FLIGHT: usize = 2;

/// Releases in flight for a region releasing at `rps` per second: enough to keep the rate with
/// calls of up to 400 ms, between [`PER_REGION_IN_FLIGHT`] and [`MAX_RELEASES_IN_FLIGHT`].
pub fn in_flight_limit(rps: Option<f64>) -> usize {
    match rps.filter(|r| r.is_finite() && *r > 0.0) {
        None => PER_REGION_IN_FLIGHT,
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a small positive number, clamped"
        )]
        Some(r) => ((r * 0.4).ceil() as usize).clamp(PER_REGION_IN_FLIGHT, MAX_RELEASES_IN_FLIGHT),
    }
}

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
    /// Nothing new is sent until the operator resumes (`R`); the queue is kept.
    Paused,
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
    /// Why the batch is paused, while it is.
    pub paused: Option<String>,
    /// Re-reads refused while paused (expired credentials), sent again on resume.
    pub held_rereads: BTreeMap<String, Vec<Key>>,
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
            paused: None,
            held_rereads: BTreeMap::new(),
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

    /// True while calls are in flight or more will be scheduled (a paused batch counts: it
    /// holds a queue the operator can resume).
    pub fn running(&self) -> bool {
        match self.phase {
            Phase::Verifying | Phase::Releasing | Phase::Paused => true,
            Phase::Stopped => self.in_flight_total() > 0,
            Phase::Finished => false,
        }
    }

    /// Takes the next keys to send, keeping at most `limit(region)` in flight per region.
    pub fn next_to_send(&mut self, limit: impl Fn(&str) -> usize) -> Vec<Key> {
        if self.phase != Phase::Releasing {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (region, queue) in &mut self.queues {
            let most = limit(region);
            let flying = self.in_flight.entry(region.clone()).or_insert(0);
            while *flying < most {
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

    /// Puts back at the head of its queue a key whose call was refused without effect
    /// (expired credentials, throttled too long), to be sent on resume.
    pub fn requeue(&mut self, key: Key) {
        if let Some(n) = self.in_flight.get_mut(&key.region) {
            *n = n.saturating_sub(1);
        }
        self.queues
            .entry(key.region.clone())
            .or_default()
            .push_front(key);
    }

    /// Stops sending until [`Batch::resume`]; `why` is shown to the operator.
    pub fn pause(&mut self, why: String) {
        if matches!(
            self.phase,
            Phase::Verifying | Phase::Releasing | Phase::Paused
        ) {
            self.phase = Phase::Paused;
            self.paused = Some(why);
        }
    }

    /// Leaves a pause; returns the re-reads to send again (region, keys).
    pub fn resume(&mut self) -> Vec<(String, Vec<Key>)> {
        if self.phase != Phase::Paused {
            return Vec::new();
        }
        let held: Vec<(String, Vec<Key>)> =
            std::mem::take(&mut self.held_rereads).into_iter().collect();
        self.rereads_left += held.len();
        self.paused = None;
        self.phase = if self.rereads_left > 0 {
            Phase::Verifying
        } else {
            Phase::Releasing
        };
        held
    }

    /// Moves to [`Phase::Finished`] when nothing is queued or in flight any more.
    pub fn settle_if_done(&mut self) {
        let verifying =
            matches!(self.phase, Phase::Verifying | Phase::Paused) && self.rereads_left > 0;
        let held = !self.held_rereads.is_empty();
        if !verifying && !held && self.in_flight_total() == 0 && self.queued_total() == 0 {
            self.phase = Phase::Finished;
            self.paused = None;
        }
    }

    /// Stops scheduling; returns the keys that will now not be sent.
    pub fn stop(&mut self) -> Vec<Key> {
        if matches!(self.phase, Phase::Finished) {
            return Vec::new();
        }
        self.phase = Phase::Stopped;
        self.paused = None;
        let mut cancelled: Vec<Key> = self.queues.values_mut().flat_map(std::mem::take).collect();
        cancelled.extend(
            std::mem::take(&mut self.held_rereads)
                .into_values()
                .flatten(),
        );
        self.not_sent += cancelled.len();
        cancelled
    }

    /// Seconds until every queued and in-flight call is sent at each region's release rate
    /// (`None` while a rate is unknown or the batch is not sending).
    pub fn eta_secs(&self, rate: impl Fn(&str) -> Option<f64>) -> Option<f64> {
        if self.phase != Phase::Releasing {
            return None;
        }
        let mut eta: f64 = 0.0;
        for (region, queue) in &self.queues {
            let left = queue.len() + self.in_flight.get(region).copied().unwrap_or(0);
            if left == 0 {
                continue;
            }
            let r = rate(region).filter(|r| *r > 0.0)?;
            #[allow(clippy::cast_precision_loss, reason = "a count of sender IDs")]
            let secs = left as f64 / r;
            eta = eta.max(secs);
        }
        Some(eta)
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
