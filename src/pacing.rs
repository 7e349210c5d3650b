//! Client-side pacing of AWS calls, per region and per operation (DescribeSenderIds,
//! ReleaseSenderId, UpdateSenderId). The service's quotas are per account and region, and many control-plane
//! operations of `pinpoint-sms-voice-v2` default to low rates (AWS documents about 1 request per
//! second for many; accounts raise them). sidman must neither hammer such a quota nor slow down an
//! account whose quota is high, so each lane is adaptive, AIMD-like:
//!
//! - it starts at its maximum (`--max-rps`, default [`DEFAULT_READ_RPS`] for reads and
//!   [`DEFAULT_RELEASE_RPS`] for changes: releases, and protection changes in a lane of their
//!   own) and never goes above it;
//! - a ThrottlingException cuts the rate by [`CUT`], once per congestion episode: a throttle of a
//!   call sent before the previous cut, or less than [`EPISODE`] after it, does not cut again (the
//!   service's bucket refills over about a second; as TCP cuts once per round trip);
//! - each success raises it by [`RAISE`] of the current rate (at least [`RAISE_FLOOR`] of the
//!   maximum), so a lane at 1 request/s creeps up by about 5% a second while one at 20/s
//!   recovers a cut within a second; it never goes below [`MIN_RPS`].
//!
//! Throttling that has nothing to do with the rate (a service that refuses 30% of calls at
//! random) thus costs little speed: the retries absorb it, and the rate stays near its maximum.
//!
//! Calls wait for their turn in a token bucket (GCRA: a theoretical arrival time, a small burst for
//! reads, none for releases). A call throttled again and again gives up after
//! [`PacingConfig::give_up_after`] (`--give-up-after SECS`, default [`DEFAULT_GIVE_UP`]), so a
//! service that throttles every request ends in a clear error within a minute instead of a spin.
//! Nothing here knows the SDK: the API layer asks for a [`Permit`] before each attempt and reports
//! what became of it. Time is tokio's clock (`tokio::time::Instant`, `sleep_until`), so a test on
//! a paused clock passes waits and deadlines without waiting.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// Default maximum rate of DescribeSenderIds per region: listing is one page after the other,
/// so this only binds on bursts; 50/s keeps 20 pages of a 30 ms endpoint at latency speed.
pub const DEFAULT_READ_RPS: f64 = 50.0;
/// Default maximum rate of ReleaseSenderId per region: 500 releases in about 25 s where the quota
/// allows it; an account at a lower quota is throttled a few times and the rate settles below it.
pub const DEFAULT_RELEASE_RPS: f64 = 20.0;
/// The rate is never cut below this (one call every 2 s).
pub const MIN_RPS: f64 = 0.5;
/// A throttle episode multiplies the rate by this.
pub const CUT: f64 = 0.75;
/// The shortest time between two cuts.
pub const EPISODE: Duration = Duration::from_secs(1);
/// A success adds this share of the current rate…
pub const RAISE: f64 = 0.05;
/// …and at least this share of the maximum.
pub const RAISE_FLOOR: f64 = 0.005;
/// How long one call may keep being throttled before sidman gives up on it.
pub const DEFAULT_GIVE_UP: Duration = Duration::from_secs(30);
/// At most this many releases in flight per region, whatever the rate.
pub const MAX_RELEASES_IN_FLIGHT: usize = 8;

/// The operations sidman paces, each with its own lane per region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// DescribeSenderIds (listing and re-reading).
    Read,
    /// ReleaseSenderId.
    Release,
    /// UpdateSenderId (deletion protection): a change like a release, in a lane of its own (its
    /// quota is its own), with the same ceiling.
    Update,
}

/// The pacing knobs.
#[derive(Debug, Clone, PartialEq)]
pub struct PacingConfig {
    /// Start and ceiling of DescribeSenderIds, requests per second per region.
    pub read_rps: f64,
    /// Start and ceiling of ReleaseSenderId, requests per second per region.
    pub release_rps: f64,
    /// How long one call may keep being throttled before sidman gives up on it.
    pub give_up_after: Duration,
}

impl Default for PacingConfig {
    fn default() -> Self {
        Self {
            read_rps: DEFAULT_READ_RPS,
            release_rps: DEFAULT_RELEASE_RPS,
            give_up_after: DEFAULT_GIVE_UP,
        }
    }
}

impl PacingConfig {
    /// `--max-rps N`: both operations start at and never exceed `N` (at least [`MIN_RPS`]).
    pub fn with_max_rps(max: Option<f64>) -> Self {
        let mut config = Self::default();
        if let Some(n) = max.filter(|n| n.is_finite() && *n > 0.0) {
            config.read_rps = n.max(MIN_RPS);
            config.release_rps = n.max(MIN_RPS);
        }
        config
    }

    /// `--give-up-after SECS`: how long one call may keep being throttled (a zero or absent
    /// value keeps [`DEFAULT_GIVE_UP`]).
    pub fn with_give_up_after(mut self, limit: Option<Duration>) -> Self {
        if let Some(limit) = limit.filter(|l| !l.is_zero()) {
            self.give_up_after = limit;
        }
        self
    }

    fn max(&self, op: Op) -> f64 {
        match op {
            Op::Read => self.read_rps,
            Op::Release | Op::Update => self.release_rps,
        }
    }
}

/// What one region's pacing looks like now, for the header and the ETA.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PacingStats {
    /// Current DescribeSenderIds rate, requests per second.
    pub read_rps: f64,
    /// Current ReleaseSenderId rate, requests per second.
    pub release_rps: f64,
    /// Current UpdateSenderId rate, requests per second.
    pub update_rps: f64,
    /// ThrottlingExceptions seen in this region so far (every operation).
    pub throttled: u64,
    /// Calls given up after being throttled for too long.
    pub gave_up: u64,
}

impl PacingStats {
    /// The current rate of one operation's lane.
    pub fn rate(&self, op: Op) -> f64 {
        match op {
            Op::Read => self.read_rps,
            Op::Release => self.release_rps,
            Op::Update => self.update_rps,
        }
    }
}

/// Proof that a call waited for its turn; handed back with the result.
#[derive(Debug, Clone, Copy)]
pub struct Permit {
    op: Op,
    sent_at: Instant,
}

/// One region's lane for one operation.
#[derive(Debug, Clone)]
struct Lane {
    max: f64,
    rate: f64,
    /// The theoretical arrival time of the next call (GCRA).
    tat: Instant,
    /// How far ahead of `tat` a call may go (the burst).
    burst: Duration,
    last_cut: Option<Instant>,
    throttled: u64,
    gave_up: u64,
}

impl Lane {
    fn new(max: f64, burst: Duration, now: Instant) -> Self {
        Self {
            max,
            rate: max,
            tat: now,
            burst,
            last_cut: None,
            throttled: 0,
            gave_up: 0,
        }
    }

    fn interval(&self) -> Duration {
        Duration::from_secs_f64(1.0 / self.rate.max(MIN_RPS))
    }

    /// Reserves the next slot: the instant at which the caller may send.
    fn reserve(&mut self, now: Instant) -> Instant {
        let tat = self.tat.max(now);
        let send_at = if tat > now + self.burst {
            tat - self.burst
        } else {
            now
        };
        self.tat = tat + self.interval();
        send_at
    }

    fn on_success(&mut self) {
        let step = (RAISE * self.rate).max(RAISE_FLOOR * self.max);
        self.rate = (self.rate + step).min(self.max);
    }

    /// A throttle of a call sent at `sent_at`: cuts once per episode.
    fn on_throttle(&mut self, sent_at: Instant, now: Instant) {
        self.throttled += 1;
        if self
            .last_cut
            .is_some_and(|cut| sent_at < cut || now < cut + EPISODE)
        {
            return;
        }
        self.rate = (self.rate * CUT).max(MIN_RPS).min(self.max);
        self.last_cut = Some(now);
        // The service's bucket is empty: the next call waits a full interval at the new rate.
        self.tat = self.tat.max(now + self.interval());
    }
}

/// The lanes of every region, shared by every clone of the API.
#[derive(Debug)]
pub struct Pacer {
    config: PacingConfig,
    lanes: Mutex<HashMap<(String, Op), Lane>>,
}

impl Pacer {
    pub fn new(config: PacingConfig) -> Self {
        Self {
            config,
            lanes: Mutex::new(HashMap::new()),
        }
    }

    pub fn config(&self) -> &PacingConfig {
        &self.config
    }

    fn with_lane<T>(&self, region: &str, op: Op, f: impl FnOnce(&mut Lane) -> T) -> T {
        let mut lanes = self
            .lanes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        let burst = match op {
            Op::Read => Duration::from_millis(250),
            Op::Release | Op::Update => Duration::ZERO,
        };
        let lane = lanes
            .entry((region.to_owned(), op))
            .or_insert_with(|| Lane::new(self.config.max(op), burst, now));
        f(lane)
    }

    /// Waits for this lane's next turn.
    pub async fn acquire(&self, region: &str, op: Op) -> Permit {
        let send_at = self.with_lane(region, op, |lane| lane.reserve(Instant::now()));
        // A turn that is already due is taken at once: a timer, even one already expired, waits
        // for the next tick of tokio's 1 ms wheel, which would add up to a millisecond a page.
        if send_at > Instant::now() {
            tokio::time::sleep_until(send_at).await;
        }
        Permit {
            op,
            sent_at: Instant::now(),
        }
    }

    pub fn succeeded(&self, region: &str, permit: Permit) {
        self.with_lane(region, permit.op, Lane::on_success);
    }

    pub fn throttled(&self, region: &str, permit: Permit) {
        self.with_lane(region, permit.op, |lane| {
            lane.on_throttle(permit.sent_at, Instant::now());
        });
    }

    pub fn gave_up(&self, region: &str, op: Op) {
        self.with_lane(region, op, |lane| lane.gave_up += 1);
    }

    /// The region's pacing now.
    pub fn stats(&self, region: &str) -> PacingStats {
        let read = self.with_lane(region, Op::Read, |l| l.clone());
        let release = self.with_lane(region, Op::Release, |l| l.clone());
        let update = self.with_lane(region, Op::Update, |l| l.clone());
        PacingStats {
            read_rps: read.rate,
            release_rps: release.rate,
            update_rps: update.rate,
            throttled: read.throttled + release.throttled + update.throttled,
            gave_up: read.gave_up + release.gave_up + update.gave_up,
        }
    }
}

/// Counts one call's throttled attempts and says how long to wait before the next, or that it is
/// time to give up.
#[derive(Debug)]
pub struct ThrottleBudget {
    started: Instant,
    limit: Duration,
    attempts: u32,
}

impl ThrottleBudget {
    pub fn start(limit: Duration) -> Self {
        Self {
            started: Instant::now(),
            limit,
            attempts: 0,
        }
    }

    /// Throttled attempts so far.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    pub fn limit(&self) -> Duration {
        self.limit
    }

    /// After one more throttled attempt: the back-off before the next one (the pacer spaces the
    /// calls too), or `None` once the call has been throttled for longer than the limit.
    pub fn next_wait(&mut self) -> Option<Duration> {
        self.attempts += 1;
        let elapsed = self.started.elapsed();
        if elapsed >= self.limit {
            return None;
        }
        Some(backoff(self.attempts).min(self.limit - elapsed))
    }
}

/// Exponential back-off with jitter: about 100 ms, 200 ms, 400 ms … up to 2 s.
pub fn backoff(attempt: u32) -> Duration {
    let base = 100u64
        .saturating_mul(1 << attempt.saturating_sub(1).min(5))
        .min(2_000);
    Duration::from_millis(base / 2 + fastrand::u64(0..=base / 2))
}

#[cfg(test)]
mod tests;
