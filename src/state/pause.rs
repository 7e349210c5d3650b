//! Batches that cannot go on as planned. A release refused without effect (expired credentials,
//! or a service that kept throttling it past the give-up deadline) goes back to the head of its
//! queue and pauses the batch until the operator presses `R`; a journal that cannot take an
//! intent stops the whole batch, because no release may start without its record on disk.

use super::release::{Batch, Phase, RowStatus};
use super::{State, announce_if_finished, schedule, stop_batch};
use crate::action::{Effect, JOURNAL_UNWRITABLE, ReleaseOutcome};
use crate::aws::ErrorKind;
use crate::domain::Key;

/// What the operator is told when expired credentials pause a batch.
pub const CREDENTIALS_PAUSE: &str =
    "credentials expired: log in again (e.g. aws sso login) and press R to resume";

/// The journal stopped accepting writes: no release may start any more. The batch stops (calls
/// already in flight finish), and new reviews are refused with the reason.
pub(super) fn journal_failed(state: &mut State, why: &str) {
    let first = state.session.journal_error.is_none();
    if first {
        state.session.journal_error = Some(why.to_owned());
    }
    let running = state
        .batch
        .as_ref()
        .is_some_and(|b| matches!(b.phase, Phase::Verifying | Phase::Releasing | Phase::Paused));
    if running {
        stop_batch(state);
    }
    if running || first {
        let flying = state.batch.as_ref().map_or(0, Batch::in_flight_total);
        state.notice = Some(format!(
            "stopped: the journal cannot be written ({why}); no more releases are sent, \
             {flying} in flight will finish"
        ));
    }
}

/// `R`: resumes a paused batch (re-reads held by the pause first, then the queue).
pub(crate) fn resume_batch(state: &mut State) -> Vec<Effect> {
    let Some(batch) = state.batch.as_mut().filter(|b| b.phase == Phase::Paused) else {
        state.notice = Some("nothing to resume".to_owned());
        return Vec::new();
    };
    let id = batch.id;
    let held = batch.resume();
    let mut effects: Vec<Effect> = held
        .into_iter()
        .map(|(region, keys)| Effect::Reread {
            batch: id,
            region,
            keys,
        })
        .collect();
    effects.extend(schedule(state));
    let left = state
        .batch
        .as_ref()
        .map_or(0, |b| b.queued_total() + b.in_flight_total());
    state.notice = Some(format!(
        "resumed: {left} sender ID(s) left to release · Esc stops sending more"
    ));
    effects
}

/// Handles a release refused without effect; `None` when the outcome is an ordinary one.
pub(super) fn refused_without_effect(
    state: &mut State,
    batch_id: u64,
    key: &Key,
    outcome: &ReleaseOutcome,
) -> Option<Vec<Effect>> {
    let ReleaseOutcome::Failed { error, .. } = outcome else {
        return None;
    };
    let ours = state.batch.as_ref().is_some_and(|b| b.id == batch_id);
    if error.code == JOURNAL_UNWRITABLE {
        // Nothing was sent; no other release may start.
        journal_failed(state, &error.message);
        if let Some(batch) = state.batch.as_mut().filter(|_| ours) {
            if let Some(n) = batch.in_flight.get_mut(&key.region) {
                *n = n.saturating_sub(1);
            }
            batch.not_sent += 1;
            batch.settle_if_done();
        }
        state
            .statuses
            .insert(key.clone(), RowStatus::NotSent(error.message.clone()));
        announce_if_finished(state);
        return Some(Vec::new());
    }
    let pause = if error.credentials_expired() {
        Some((
            format!("{CREDENTIALS_PAUSE} ({error})"),
            CREDENTIALS_PAUSE.to_owned(),
        ))
    } else if error.kind == ErrorKind::Throttled {
        let why = format!(
            "paused: the service kept throttling ReleaseSenderId in {}; press R to resume \
             (or Esc to stop)",
            key.region
        );
        Some((format!("{why} ({error})"), why))
    } else {
        None
    };
    let stopped = state
        .batch
        .as_ref()
        .is_some_and(|b| matches!(b.phase, Phase::Stopped | Phase::Finished));
    if let (Some((why, notice)), true, false) = (pause, ours, stopped) {
        // Refused without effect: back to the queue, sent again on resume.
        if let Some(batch) = state.batch.as_mut() {
            batch.requeue(key.clone());
            batch.pause(why);
        }
        state.statuses.insert(key.clone(), RowStatus::Queued);
        state.notice = Some(notice);
        return Some(Vec::new());
    }
    None
}
