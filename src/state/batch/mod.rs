//! A confirmed batch of changes (a bulk release today; deletion protection through the same
//! path), and every rule of how it runs. It owns its rows — each sender ID by key with where it
//! stands — and the queues per region; its counts ([`Tally`]) and phase ([`Phase`]) are worked
//! out from the rows whenever asked, never kept by hand. Its transitions are methods that return
//! the work to start as effects:
//!
//! - [`Batch::start`]: excluded sender IDs end as not sent; the others are re-read first, per
//!   region;
//! - [`Batch::on_reread`]: a stale one (gone, protected, shared since) is reported, not sent;
//!   the rest are queued with the record as re-read, which is what is sent and journaled;
//! - [`Batch::schedule`]: a few calls in flight per region, following its rate;
//! - [`Batch::on_outcome`]: a call refused without effect (expired credentials, throttled past
//!   the deadline) goes back to the head of its queue and pauses the batch; one the journal
//!   refused stops it; any other ends its row;
//! - [`Batch::stop`], [`Batch::pause`], [`Batch::resume`]: Esc stops scheduling (calls in flight
//!   finish and are recorded); a pause keeps the queue for `R`.

mod row;

pub use row::{PER_REGION_IN_FLIGHT, Phase, RowStatus, Tally, in_flight_limit};

use crate::action::Effect;
use crate::domain::{ApiError, ErrorKind, Key, Mutation, Outcome, Reread, SenderIdRecord};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// What the operator is told when expired credentials pause a batch.
pub const CREDENTIALS_PAUSE: &str =
    "credentials expired: log in again (e.g. aws sso login) and press R to resume";

#[derive(Debug, Clone)]
pub struct Batch {
    pub id: u64,
    pub mutation: Mutation,
    /// Every sender ID of the batch with where it stands, in key order.
    rows: BTreeMap<Key, RowStatus>,
    /// Per region, the queued keys in sending order (their rows are `Queued`).
    queues: BTreeMap<String, VecDeque<Key>>,
    /// Regions whose re-read was sent and has not come back.
    rereads_out: BTreeSet<String>,
    /// Why nothing new is sent until `R`, while paused.
    paused: Option<String>,
    /// Nothing new is sent, ever (Esc, quitting, the journal failed).
    stopped: bool,
}

/// What an ended call means for the state beyond its row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reaction {
    /// The row ended; nothing else.
    Ended,
    /// Refused without effect: back in the queue, and the batch paused; tell the operator this.
    Paused(String),
    /// The journal refused the intent (why): nothing was sent, and no change may start any more.
    JournalFailed(String),
    /// The result belongs to no row of this batch (kept safe all the same).
    Unknown,
}

impl Batch {
    /// Starts a confirmed batch: `excluded` end at once as not sent (with the reason), the
    /// others are re-read first, one re-read per region.
    pub fn start(
        id: u64,
        mutation: Mutation,
        to_send: &[Key],
        excluded: &[(Key, String)],
    ) -> (Self, Vec<Effect>) {
        let mut rows = BTreeMap::new();
        for (key, why) in excluded {
            rows.insert(key.clone(), RowStatus::Excluded(why.clone()));
        }
        let mut by_region: BTreeMap<String, Vec<Key>> = BTreeMap::new();
        for key in to_send {
            rows.insert(key.clone(), RowStatus::Verifying);
            by_region
                .entry(key.region.clone())
                .or_default()
                .push(key.clone());
        }
        let batch = Self {
            id,
            mutation,
            rows,
            queues: BTreeMap::new(),
            rereads_out: by_region.keys().cloned().collect(),
            paused: None,
            stopped: false,
        };
        let effects = by_region
            .into_iter()
            .map(|(region, keys)| Effect::Reread {
                batch: id,
                region,
                keys,
            })
            .collect();
        (batch, effects)
    }

    pub fn tally(&self) -> Tally {
        Tally::of(self.rows.values())
    }

    pub fn phase(&self) -> Phase {
        let t = self.tally();
        if t.pending() == 0 {
            Phase::Finished
        } else if self.paused.is_some() {
            Phase::Paused
        } else if self.stopped {
            Phase::Stopped
        } else if t.queued + t.sending == 0 {
            Phase::Verifying
        } else {
            Phase::Sending
        }
    }

    /// True while calls are in flight or more will be sent (a paused batch counts: it holds a
    /// queue the operator can resume).
    pub fn running(&self) -> bool {
        self.phase() != Phase::Finished
    }

    /// Why the batch is paused, while it is.
    pub fn paused_why(&self) -> Option<&str> {
        self.paused.as_deref()
    }

    pub fn status(&self, key: &Key) -> Option<&RowStatus> {
        self.rows.get(key)
    }

    /// Every row, in key order.
    pub fn rows(&self) -> impl Iterator<Item = (&Key, &RowStatus)> {
        self.rows.iter()
    }

    /// Calls in flight in `region`.
    pub fn sending_in(&self, region: &str) -> usize {
        self.rows
            .iter()
            .filter(|(k, s)| k.region == region && matches!(s, RowStatus::Sending(_)))
            .count()
    }

    /// A region's re-read came back. Returns the sender IDs as re-read (for the inventory).
    /// Expired credentials pause the batch and keep the keys to re-read on resume; another error
    /// ends them as not sent. In a stopped batch, every key re-read ends as cancelled.
    pub fn on_reread(
        &mut self,
        region: &str,
        keys: Vec<Key>,
        result: Result<Vec<(Key, Reread)>, ApiError>,
    ) -> Vec<SenderIdRecord> {
        self.rereads_out.remove(region);
        let found = match result {
            Err(e) if e.credentials_expired() && !self.stopped => {
                // Nothing was read: the keys stay to be re-read on resume.
                self.pause(format!("{CREDENTIALS_PAUSE} ({e})"));
                return Vec::new();
            }
            Err(e) => {
                for key in keys {
                    let why = format!("could not re-read before sending: {e}");
                    self.end_pending(&key, RowStatus::NotSent(why));
                }
                return Vec::new();
            }
            Ok(found) => found,
        };
        let mut fresh = Vec::new();
        for (key, reread) in found {
            if self.rows.get(&key) != Some(&RowStatus::Verifying) {
                continue;
            }
            let stale = self.mutation.stale(&reread);
            let status = match (self.stopped, stale, &reread) {
                (true, _, _) => RowStatus::Cancelled,
                (false, Some(why), _) => RowStatus::NotSent(why.to_owned()),
                (false, None, Reread::Present(r)) => {
                    self.queues
                        .entry(key.region.clone())
                        .or_default()
                        .push_back(key.clone());
                    RowStatus::Queued(r.clone())
                }
                (false, None, Reread::Gone) => RowStatus::NotSent("no longer exists".to_owned()),
            };
            if let Reread::Present(r) = reread {
                fresh.push(*r);
            }
            self.rows.insert(key, status);
        }
        // Keys the answer did not mention cannot be sent unchecked.
        for key in keys {
            if self.rows.get(&key) == Some(&RowStatus::Verifying) {
                self.rows.insert(
                    key,
                    RowStatus::NotSent("the re-read did not mention it".to_owned()),
                );
            }
        }
        fresh
    }

    /// Takes the next calls to send, keeping at most `limit(region)` in flight per region.
    pub fn schedule(&mut self, limit: impl Fn(&str) -> usize) -> Vec<Effect> {
        if self.paused.is_some() || self.stopped {
            return Vec::new();
        }
        let mut effects = Vec::new();
        let regions: Vec<String> = self.queues.keys().cloned().collect();
        for region in regions {
            let mut room = limit(&region).saturating_sub(self.sending_in(&region));
            while room > 0 {
                let Some(key) = self.queues.get_mut(&region).and_then(VecDeque::pop_front) else {
                    break;
                };
                let Some(RowStatus::Queued(record)) = self.rows.remove(&key) else {
                    continue;
                };
                effects.push(Effect::Mutate {
                    batch: self.id,
                    mutation: self.mutation,
                    record: record.clone(),
                });
                self.rows.insert(key, RowStatus::Sending(record));
                room -= 1;
            }
        }
        effects
    }

    /// One call ended.
    pub fn on_outcome(&mut self, key: &Key, outcome: Outcome) -> Reaction {
        let Some(RowStatus::Sending(record)) = self.rows.get(key) else {
            return Reaction::Unknown;
        };
        let record = record.clone();
        if let Outcome::Unjournaled(why) = &outcome {
            let why = why.clone();
            self.rows.insert(key.clone(), RowStatus::Ended(outcome));
            self.stop();
            return Reaction::JournalFailed(why);
        }
        let pause = match &outcome {
            Outcome::Failed { error, .. } if error.credentials_expired() => Some((
                format!("{CREDENTIALS_PAUSE} ({error})"),
                CREDENTIALS_PAUSE.to_owned(),
            )),
            Outcome::Failed { error, .. } if error.kind == ErrorKind::Throttled => {
                let why = format!(
                    "paused: the service kept throttling {} in {}; press R to resume (or Esc to stop)",
                    self.mutation.operation(),
                    key.region
                );
                Some((format!("{why} ({error})"), why))
            }
            _ => None,
        };
        match (pause, self.stopped) {
            (Some((why, notice)), false) => {
                // Refused without effect: back to the head of its queue, sent on resume.
                self.rows.insert(key.clone(), RowStatus::Queued(record));
                self.queues
                    .entry(key.region.clone())
                    .or_default()
                    .push_front(key.clone());
                self.pause(why);
                Reaction::Paused(notice)
            }
            _ => {
                self.rows.insert(key.clone(), RowStatus::Ended(outcome));
                Reaction::Ended
            }
        }
    }

    /// Stops sending until [`Batch::resume`]; `why` is shown to the operator.
    pub fn pause(&mut self, why: String) {
        if !self.stopped && self.running() {
            self.paused = Some(why);
        }
    }

    /// Leaves a pause: re-reads the keys a pause held back (the caller then schedules).
    pub fn resume(&mut self) -> Vec<Effect> {
        if self.paused.take().is_none() {
            return Vec::new();
        }
        let mut held: BTreeMap<String, Vec<Key>> = BTreeMap::new();
        for (key, status) in &self.rows {
            if *status == RowStatus::Verifying && !self.rereads_out.contains(&key.region) {
                held.entry(key.region.clone())
                    .or_default()
                    .push(key.clone());
            }
        }
        self.rereads_out.extend(held.keys().cloned());
        held.into_iter()
            .map(|(region, keys)| Effect::Reread {
                batch: self.id,
                region,
                keys,
            })
            .collect()
    }

    /// Stops scheduling for good: queued keys, and keys waiting for a re-read a pause held back,
    /// end as cancelled. Calls and re-reads in flight finish and are recorded. Returns how many
    /// were cancelled.
    pub fn stop(&mut self) -> usize {
        self.stopped = true;
        self.paused = None;
        let mut cancelled = 0;
        for queue in std::mem::take(&mut self.queues).into_values() {
            for key in queue {
                cancelled += usize::from(self.end_pending(&key, RowStatus::Cancelled));
            }
        }
        let held: Vec<Key> = self
            .rows
            .iter()
            .filter(|(k, s)| **s == RowStatus::Verifying && !self.rereads_out.contains(&k.region))
            .map(|(k, _)| k.clone())
            .collect();
        for key in held {
            cancelled += usize::from(self.end_pending(&key, RowStatus::Cancelled));
        }
        cancelled
    }

    /// Ends a row that is still pending; true if it was.
    fn end_pending(&mut self, key: &Key, end: RowStatus) -> bool {
        match self.rows.get_mut(key) {
            Some(status) if status.is_pending() => {
                *status = end;
                true
            }
            _ => false,
        }
    }

    /// Seconds until every queued and in-flight call is sent at each region's rate (`None`
    /// while a rate is unknown or nothing is being sent).
    pub fn eta_secs(&self, rate: impl Fn(&str) -> Option<f64>) -> Option<f64> {
        if self.phase() != Phase::Sending {
            return None;
        }
        let mut left: BTreeMap<&str, usize> = BTreeMap::new();
        for (key, status) in &self.rows {
            if matches!(status, RowStatus::Queued(_) | RowStatus::Sending(_)) {
                *left.entry(key.region.as_str()).or_default() += 1;
            }
        }
        let mut eta: f64 = 0.0;
        for (region, n) in left {
            let r = rate(region).filter(|r| *r > 0.0)?;
            #[allow(clippy::cast_precision_loss, reason = "a count of sender IDs")]
            let secs = n as f64 / r;
            eta = eta.max(secs);
        }
        Some(eta)
    }
}
