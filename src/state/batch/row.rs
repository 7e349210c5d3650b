//! Where one sender ID of a batch stands ([`RowStatus`]), the counts of a batch worked out from
//! its rows ([`Tally`], never kept by hand), the phase they add up to ([`Phase`]), and how many
//! calls a region may have in flight.

use crate::domain::{Mutation, Outcome, SenderIdRecord};
use crate::pacing::MAX_RELEASES_IN_FLIGHT;

/// Calls in flight per region while its rate is not known yet, and the least ever.
pub const PER_REGION_IN_FLIGHT: usize = 2;

/// Calls in flight for a region changing at `rps` per second: enough to keep the rate with
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

/// Where one sender ID stands in a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowStatus {
    /// Being re-read before the change is sent.
    Verifying,
    /// Re-read and unchanged, waiting for its turn; the record as the re-read found it is what
    /// will be sent and journaled.
    Queued(Box<SenderIdRecord>),
    /// The call is in flight, with the record sent (queued again if refused without effect).
    Sending(Box<SenderIdRecord>),
    /// The call ended (done, failed, unknown, or refused by the journal).
    Ended(Outcome),
    /// Never sent: listed apart on the review (protected, shared, read-only…), why.
    Excluded(String),
    /// Never sent: the re-read found it changed or gone, or could not read it.
    NotSent(String),
    /// Never sent: the operator stopped the batch (or the journal failed) before its turn.
    Cancelled,
}

impl RowStatus {
    /// A short word for the table's status column; never colour alone.
    pub fn label(&self, mutation: Mutation) -> &'static str {
        match (self, mutation) {
            (Self::Verifying, _) => "checking",
            (Self::Queued(_), _) => "queued",
            (Self::Sending(_), m) => m.doing(),
            (Self::Ended(Outcome::Done { .. }), m) => m.done(),
            (Self::Ended(Outcome::Failed { .. }), _) => "FAILED",
            (Self::Ended(Outcome::Unknown { .. }), _) => "UNKNOWN",
            (Self::Ended(Outcome::Unjournaled(_)) | Self::NotSent(_) | Self::Excluded(_), _) => {
                "not sent"
            }
            (Self::Cancelled, _) => "cancelled",
        }
    }

    /// True until the row has reached an end.
    pub fn is_pending(&self) -> bool {
        matches!(self, Self::Verifying | Self::Queued(_) | Self::Sending(_))
    }
}

/// How many rows of a batch stand where: counted from the rows whenever asked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub verifying: usize,
    pub queued: usize,
    pub sending: usize,
    /// The change took effect.
    pub done: usize,
    /// The service refused; nothing changed.
    pub failed: usize,
    /// Neither the call nor a re-read could tell: not a failure, it may have taken effect.
    pub unknown: usize,
    /// Never sent: listed apart on the review.
    pub excluded: usize,
    /// Never sent: stale at re-read, refused by the journal.
    pub not_sent: usize,
    /// Never sent: stopped before its turn.
    pub cancelled: usize,
}

impl Tally {
    pub fn of<'a>(rows: impl IntoIterator<Item = &'a RowStatus>) -> Self {
        let mut t = Self::default();
        for row in rows {
            match row {
                RowStatus::Verifying => t.verifying += 1,
                RowStatus::Queued(_) => t.queued += 1,
                RowStatus::Sending(_) => t.sending += 1,
                RowStatus::Ended(Outcome::Done { .. }) => t.done += 1,
                RowStatus::Ended(Outcome::Failed { .. }) => t.failed += 1,
                RowStatus::Ended(Outcome::Unknown { .. }) => t.unknown += 1,
                RowStatus::Ended(Outcome::Unjournaled(_)) | RowStatus::NotSent(_) => {
                    t.not_sent += 1;
                }
                RowStatus::Excluded(_) => t.excluded += 1,
                RowStatus::Cancelled => t.cancelled += 1,
            }
        }
        t
    }

    /// Rows that have not reached an end.
    pub fn pending(&self) -> usize {
        self.verifying + self.queued + self.sending
    }

    /// Rows that have reached an end.
    pub fn ended(&self) -> usize {
        self.done + self.failed + self.unknown + self.never_sent()
    }

    pub fn total(&self) -> usize {
        self.pending() + self.ended()
    }

    /// Rows that were never sent, for any reason (excluded at review included).
    pub fn never_sent(&self) -> usize {
        self.excluded + self.not_sent + self.cancelled
    }

    /// Confirmed rows never sent (stale at re-read, refused by the journal, stopped before their
    /// turn): with done, failed, unknown and those still pending they make up [`Tally::confirmed`].
    pub fn confirmed_not_sent(&self) -> usize {
        self.not_sent + self.cancelled
    }

    /// Rows the operator confirmed to send (those listed apart on the review are not).
    pub fn confirmed(&self) -> usize {
        self.total() - self.excluded
    }

    /// Confirmed rows that reached an end.
    pub fn settled(&self) -> usize {
        self.ended() - self.excluded
    }

    /// Progress from 0.0 to 1.0 for the gauge, over the confirmed rows.
    pub fn progress(&self) -> f64 {
        match self.confirmed() {
            0 => 1.0,
            #[allow(clippy::cast_precision_loss, reason = "counts of sender IDs")]
            n => (self.settled() as f64 / n as f64).clamp(0.0, 1.0),
        }
    }
}

/// Where a batch stands as a whole, worked out from its rows and two facts the operator or a
/// failure set: paused, stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Re-reading before anything is sent.
    Verifying,
    /// Calls are being sent.
    Sending,
    /// Nothing new is sent until the operator resumes (`R`); the queue is kept.
    Paused,
    /// Nothing new is sent; calls in flight finish and are recorded.
    Stopped,
    Finished,
}
