//! The state's side of a batch: what the rest of the state learns from it and tells it. Starting
//! a confirmed review, feeding it re-reads and outcomes, the region rates it schedules by, Esc,
//! `R` and a journal that failed — and what each means for the inventory (a re-read record
//! replaces the loaded one), the marks (a released sender ID is unmarked) and the operator (one
//! notice per turn of events). The rules of the batch itself live in [`super::batch`].

use super::State;
use super::batch::{Batch, Phase, Reaction, RowStatus, in_flight_limit};
use super::review::ReviewSheet;
use crate::action::Effect;
use crate::domain::{ApiError, Key, Mutation, Outcome, Reread};

/// Starts a confirmed review's batch: every key is re-read first, per region. A finished
/// batch's rows are kept as the past, for the table and the detail pane.
pub(crate) fn start_batch(state: &mut State, sheet: &ReviewSheet) -> Vec<Effect> {
    if let Some(old) = state.batch.take() {
        for (key, status) in old.rows() {
            state
                .past
                .insert(key.clone(), (old.mutation, status.clone()));
        }
    }
    let id = state.next_batch;
    state.next_batch += 1;
    let excluded: Vec<(Key, String)> = sheet
        .excluded
        .iter()
        .map(|(k, why)| (k.clone(), sheet.reason(k, *why)))
        .collect();
    let (batch, effects) = Batch::start(id, sheet.mutation, &sheet.to_release, &excluded);
    state.batch = Some(batch);
    state.notice = Some(format!(
        "checking {} sender ID(s) before sending…",
        sheet.to_release.len()
    ));
    effects
}

/// The batch `id`, if it is the current one.
fn current(state: &mut State, id: u64) -> Option<&mut Batch> {
    state.batch.as_mut().filter(|b| b.id == id)
}

pub(super) fn on_reread(
    state: &mut State,
    id: u64,
    region: &str,
    keys: Vec<Key>,
    result: Result<Vec<(Key, Reread)>, ApiError>,
) -> Vec<Effect> {
    let Some(batch) = current(state, id) else {
        return Vec::new();
    };
    let was = batch.phase();
    let fresh = batch.on_reread(region, keys, result);
    let now = batch.phase();
    for record in fresh {
        state.inventory.update(record);
    }
    if now == Phase::Paused && was != Phase::Paused {
        state.notice = Some(super::batch::CREDENTIALS_PAUSE.to_owned());
    }
    let effects = schedule(state);
    if was == Phase::Verifying && !effects.is_empty() {
        let lane = state.batch.as_ref().map(|b| b.mutation.lane());
        let most = state
            .session
            .regions
            .iter()
            .map(|r| in_flight_limit(lane.and_then(|l| state.pacing.get(r).map(|p| p.rate(l)))))
            .max()
            .unwrap_or(super::batch::PER_REGION_IN_FLIGHT);
        let (doing, t) = state
            .batch
            .as_ref()
            .map(|b| (b.mutation.doing(), b.tally()))
            .unwrap_or_default();
        state.notice = Some(format!(
            "{doing} {} sender ID(s), {most} at a time per region · Esc stops sending more",
            t.queued + t.sending
        ));
    }
    announce_if_finished(state);
    effects
}

pub(super) fn on_mutated(state: &mut State, id: u64, key: Key, outcome: Outcome) -> Vec<Effect> {
    let done = matches!(outcome, Outcome::Done { .. });
    let Some(batch) = current(state, id) else {
        return Vec::new();
    };
    let mutation = batch.mutation;
    let sent = match batch.status(&key) {
        Some(RowStatus::Sending(record)) => Some(record.clone()),
        _ => None,
    };
    match batch.on_outcome(&key, outcome) {
        Reaction::Ended | Reaction::Unknown => {}
        Reaction::Paused(notice) => state.notice = Some(notice),
        Reaction::JournalFailed(why) => journal_failed(state, &why),
    }
    if done && mutation == Mutation::Release {
        // Gone: unmarked, and out of every count and total; still listed until a reload.
        state.inventory.unmark(&key);
        state.inventory.set_gone(&key);
    }
    if let (true, Mutation::SetProtection(on), Some(mut record)) = (done, mutation, sent) {
        // The PROT flag as the service now holds it: a following release review excludes a
        // protected one, and includes one just unprotected.
        record.deletion_protection = on;
        state.inventory.update(*record);
    }
    let effects = schedule(state);
    announce_if_finished(state);
    effects
}

/// Sends what the batch allows now, following each region's rate.
pub(super) fn schedule(state: &mut State) -> Vec<Effect> {
    let pacing = &state.pacing;
    let Some(batch) = state.batch.as_mut() else {
        return Vec::new();
    };
    let lane = batch.mutation.lane();
    batch.schedule(|region| in_flight_limit(pacing.get(region).map(|p| p.rate(lane))))
}

/// A region's rate changed: a faster one may take more calls in flight.
pub(super) fn on_pacing(state: &mut State) -> Vec<Effect> {
    let effects = schedule(state);
    announce_if_finished(state);
    effects
}

/// Stops scheduling (Esc during a batch, or quitting).
pub fn stop_batch(state: &mut State) {
    let Some(batch) = state.batch.as_mut() else {
        return;
    };
    if !batch.running() {
        return;
    }
    let cancelled = batch.stop();
    let flying = batch.tally().sending;
    state.notice = Some(format!(
        "stopped: {cancelled} not sent; {flying} in flight will finish and be recorded"
    ));
    announce_if_finished(state);
}

/// `R`: resumes a paused batch (re-reads a pause held back first, then the queue).
pub(crate) fn resume_batch(state: &mut State) -> Vec<Effect> {
    let Some(batch) = state.batch.as_mut() else {
        return Vec::new();
    };
    let mut effects = batch.resume();
    effects.extend(schedule(state));
    let left = state.batch.as_ref().map_or(0, |b| b.tally().pending());
    state.notice = Some(format!(
        "resumed: {left} sender ID(s) left · Esc stops sending more"
    ));
    effects
}

/// The journal stopped accepting writes: no change may start any more. The batch stops (calls
/// already in flight finish), and new reviews are refused with the reason.
pub(super) fn journal_failed(state: &mut State, why: &str) {
    let first = state.session.journal_error.is_none();
    if first {
        state.session.journal_error = Some(why.to_owned());
    }
    let flying = match state.batch.as_mut() {
        Some(b) if b.running() => {
            b.stop();
            Some(b.tally().sending)
        }
        _ => None,
    };
    if flying.is_some() || first {
        state.notice = Some(format!(
            "stopped: the journal cannot be written ({why}); nothing more is sent, {} in flight \
             will finish",
            flying.unwrap_or(0)
        ));
    }
}

/// Tells the operator how a batch ended, once it has: each kind of end counted as what it is.
fn announce_if_finished(state: &mut State) {
    let Some(b) = state
        .batch
        .as_ref()
        .filter(|b| b.phase() == Phase::Finished)
    else {
        return;
    };
    let t = b.tally();
    let journal = state
        .session
        .journal_error
        .as_ref()
        .map(|why| format!("; stopped because the journal cannot be written ({why})"))
        .unwrap_or_default();
    // The parts add up to what was confirmed; those listed apart on the review are said apart.
    let apart = match t.excluded {
        0 => String::new(),
        n => format!(" (+{n} listed apart on the review, never sent)"),
    };
    state.notice = Some(format!(
        "{} finished: {} {}, {} failed, {} unknown, {} not sent{apart}{journal}",
        b.mutation.verb(),
        t.done,
        b.mutation.done(),
        t.failed,
        t.unknown,
        t.confirmed_not_sent()
    ));
}

/// Where a sender ID stands in the current batch, or in an earlier one of this session.
pub(super) fn status<'a>(state: &'a State, key: &Key) -> Option<(Mutation, &'a RowStatus)> {
    state
        .batch
        .as_ref()
        .and_then(|b| b.status(key).map(|s| (b.mutation, s)))
        .or_else(|| state.past.get(key).map(|(m, s)| (*m, s)))
}
