//! The one owner of the application's state and its pure transition, [`update`]: given the state
//! and an [`Action`] it changes the state and names the work to start as [`Effect`]s. It does no
//! IO, spawns nothing and reads no clock, so every rule of marking, filtering, reviewing and
//! releasing is tested without a terminal or a network.

pub mod confirm;
pub mod inventory;
mod key_index;
mod keys;
pub mod line_input;
pub mod marks;
mod pause;
pub mod prices;
pub mod release;
pub mod review;
mod search_text;
pub mod view;

use crate::action::{Action, Effect, Input, ReleaseOutcome};
use crate::aws::Reread;
use crate::domain::{Key, Ownership};
use crate::pacing::PacingStats;
use inventory::Inventory;
use line_input::LineInput;
use marks::Marks;
pub use pause::CREDENTIALS_PAUSE;
use pause::journal_failed;
pub(crate) use pause::resume_batch;
use release::{Batch, Phase, RowStatus};
use review::ReviewSheet;
use std::collections::{BTreeMap, HashMap};
use std::time::Instant;
use view::{SortMode, View};

/// The longest `/` filter, in characters.
pub const FILTER_LIMIT: usize = 64;

/// What the session is connected to, for the header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Session {
    pub profile: String,
    pub regions: Vec<String>,
    /// The endpoint when it is not AWS's own (emulator, proxy).
    pub endpoint: Option<String>,
    pub read_only: bool,
    pub demo: bool,
    /// Why the journal cannot be written, when it cannot: releases are then refused.
    pub journal_error: Option<String>,
}

/// What has the keyboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Table,
    /// Typing a `/` filter.
    Filter,
    /// The detail pane has focus.
    Detail,
    Review(Box<ReviewSheet>),
    /// The price view: groups with count and monthly subtotal.
    Prices,
    Help,
    /// Asked before quitting while releases run.
    ConfirmQuit,
}

#[derive(Debug)]
pub struct State {
    pub session: Session,
    pub inventory: Inventory,
    pub generation: u64,
    /// The marked sender IDs, by key; compares equal to a `BTreeSet<Key>` of the same keys.
    pub marks: Marks,
    pub filter: LineInput,
    pub sort: SortMode,
    pub view: View,
    pub prices: prices::PriceView,
    /// Row index of the cursor in `view.rows`.
    pub cursor: usize,
    /// Scroll of the detail pane when it has focus.
    pub detail_scroll: u16,
    pub mode: Mode,
    pub statuses: HashMap<Key, RowStatus>,
    pub batch: Option<Batch>,
    pub next_batch: u64,
    /// Each region's pacing as last reported (rates, throttles seen).
    pub pacing: BTreeMap<String, PacingStats>,
    /// One line for the operator: what just happened.
    pub notice: Option<String>,
    pub width: u16,
    pub height: u16,
    pub quit: bool,
    /// Marks kept across a reload, checked once every region has loaded.
    pending_mark_check: bool,
    /// The journal's interrupted releases are settled once the first load ends (the session's
    /// account is known then); only by the journal's writer, never in the demo.
    journal_to_settle: bool,
    /// The view's inputs changed: it is built again before anyone looks at it (at the end of
    /// the update, or of a batch of them), once however many pages arrived.
    view_dirty: bool,
    /// The inventory version the mark counts were worked out for.
    counted_version: u64,
}

impl State {
    pub fn new(session: Session) -> Self {
        Self {
            journal_to_settle: session.journal_error.is_none() && !session.demo,
            session,
            inventory: Inventory::default(),
            generation: 0,
            marks: Marks::default(),
            filter: LineInput::new(FILTER_LIMIT),
            sort: SortMode::default(),
            view: View::default(),
            prices: prices::PriceView::default(),
            cursor: 0,
            detail_scroll: 0,
            mode: Mode::Table,
            statuses: HashMap::new(),
            batch: None,
            next_batch: 1,
            pacing: BTreeMap::new(),
            notice: None,
            width: 80,
            height: 24,
            quit: false,
            pending_mark_check: false,
            view_dirty: false,
            counted_version: 0,
        }
    }

    /// Starts loading every region; the first call at start-up and the `r` key.
    pub fn reload(&mut self) -> Vec<Effect> {
        self.generation += 1;
        let regions = self.session.regions.clone();
        self.marks.detach_all();
        self.inventory.start(&regions);
        self.pending_mark_check = !self.marks.is_empty();
        self.invalidate_view();
        self.refresh();
        regions
            .into_iter()
            .map(|region| Effect::LoadRegion {
                generation: self.generation,
                region,
            })
            .collect()
    }

    /// The key of the sender ID under the cursor.
    pub fn cursor_key(&self) -> Option<Key> {
        let idx = self.view.item_at(self.cursor)?;
        self.inventory.records().get(idx).map(|r| r.key())
    }

    /// Marked sender IDs that are loaded but hidden by the filter.
    pub fn hidden_marks(&self) -> usize {
        self.marks
            .loaded_total()
            .count
            .saturating_sub(self.marks.shown())
    }

    /// Marked sender IDs that are not in the inventory (not loaded yet, gone, or in a region
    /// that failed to load).
    pub fn absent_marks(&self) -> usize {
        self.marks.detached().len()
    }

    /// The monthly total of the marked sender IDs that are loaded.
    pub fn marked_total(&self) -> crate::domain::Total {
        self.marks.loaded_total()
    }

    pub fn releasing(&self) -> bool {
        self.batch.as_ref().is_some_and(Batch::running)
    }

    /// True while a batch is paused (expired credentials, throttled past the deadline).
    pub fn paused(&self) -> bool {
        self.batch
            .as_ref()
            .is_some_and(|b| b.phase == Phase::Paused)
    }

    /// True while a sheet waits for its first frame: the loop then flushes the input waiting at
    /// that frame and says when it was drawn ([`Action::Drawn`]).
    pub fn awaits_frame(&self) -> bool {
        matches!(&self.mode, Mode::Review(sheet) if sheet.confirm.awaits_frame())
    }

    /// Says the view's inputs (inventory, filter, sort) changed: it is built again, once, before
    /// the update (or batch of updates) ends.
    pub(crate) fn invalidate_view(&mut self) {
        self.view_dirty = true;
    }

    /// Brings everything derived up to date: the view when its inputs changed (keeping the
    /// cursor on the same sender ID), then the marks' flags and counts.
    pub(crate) fn refresh(&mut self) {
        let rebuilt = self.view_dirty;
        if rebuilt {
            self.view_dirty = false;
            self.inventory.settle();
            let keep = self
                .view
                .item_at(self.cursor)
                .filter(|_| self.view.epoch() == self.inventory.epoch());
            let previous = std::mem::take(&mut self.view);
            self.view = View::rebuild(
                &self.inventory,
                self.filter.text(),
                self.sort,
                Some(previous),
            );
            match keep.and_then(|i| self.view.row_of(i)) {
                Some(pos) => self.cursor = pos,
                None => self.cursor = self.cursor.min(self.view.rows.len().saturating_sub(1)),
            }
        }
        let inventory_changed = self.counted_version != self.inventory.version();
        self.counted_version = self.inventory.version();
        self.marks.sync(&self.inventory);
        self.marks
            .count(&self.inventory, &self.view, inventory_changed, rebuilt);
    }
}

/// The transition: applies one action and returns the work to start.
pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    let effects = apply(state, action);
    state.refresh();
    effects
}

/// Applies several actions as [`update`] does one after the other, but builds the view once at
/// the end rather than after each page: the TUI's loop hands over everything that arrived while
/// it was busy, so loading costs a view per frame drawn, not one per page.
pub fn update_all(state: &mut State, actions: impl IntoIterator<Item = Action>) -> Vec<Effect> {
    let mut effects = Vec::new();
    for action in actions {
        if !matches!(action, Action::PageLoaded { .. }) {
            // Whatever reads the view (a key) sees it up to date.
            state.refresh();
        }
        effects.extend(apply(state, action));
    }
    state.refresh();
    effects
}

/// One action, without bringing the view up to date.
fn apply(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Input { at, events } => input_burst(state, at, events),
        Action::Resize { width, height } => {
            state.width = width;
            state.height = height;
            Vec::new()
        }
        Action::Tick { at } => {
            if let Mode::Review(sheet) = &mut state.mode {
                sheet.confirm.tick(at);
            }
            Vec::new()
        }
        Action::Drawn { at, flushed } => {
            if let Mode::Review(sheet) = &mut state.mode {
                sheet.confirm.shown(at);
                if flushed > 0 {
                    state.notice = Some(format!(
                        "{flushed} key(s) typed before the sheet appeared were ignored"
                    ));
                }
            }
            Vec::new()
        }
        Action::PageLoaded {
            generation,
            region,
            records,
            ..
        } => {
            if generation == state.generation {
                state.inventory.add_page(&region, records);
                state.invalidate_view();
            }
            Vec::new()
        }
        Action::RegionListed {
            generation,
            region,
            result,
            ..
        } => {
            if generation == state.generation {
                if let Err(e) = &result {
                    state.notice = Some(format!("{region}: could not list sender IDs: {e}"));
                }
                state.inventory.finish(&region, result);
                drop_vanished_marks(state);
                if state.journal_to_settle && !state.inventory.loading() {
                    state.journal_to_settle = false;
                    return vec![Effect::SettleJournal {
                        account: state.inventory.own_account().map(ToOwned::to_owned),
                    }];
                }
            }
            Vec::new()
        }
        Action::Reread {
            batch,
            region,
            keys,
            result,
        } => on_reread(state, batch, &region, keys, result),
        Action::Released {
            batch,
            key,
            outcome,
        } => on_released(state, batch, key, outcome),
        Action::Exported(result) => {
            state.notice = Some(match result {
                Ok(path) => format!("exported the current view to {path}"),
                Err(e) => format!("export failed: {e}"),
            });
            Vec::new()
        }
        Action::Pacing { region, stats } => {
            state.pacing.insert(region, stats);
            // A faster region may take more calls in flight now.
            let before = state.batch.as_ref().map(|b| b.phase);
            let effects = schedule(state);
            if state.batch.as_ref().map(|b| b.phase) != before {
                announce_if_finished(state);
            }
            effects
        }
        Action::JournalSettled(result) => {
            match result {
                Ok(settled) => {
                    if let Some(line) = settled.summary() {
                        state.notice = Some(line);
                    }
                }
                Err(e) => state.notice = Some(format!("the journal could not be settled: {e}")),
            }
            Vec::new()
        }
        Action::JournalFailed(why) => {
            journal_failed(state, &why);
            Vec::new()
        }
    }
}

/// One burst of input, in order, until a key ends it (a sheet opened, an input closed, a
/// refusal): the rest is discarded, and the notice says how many keys were.
fn input_burst(state: &mut State, at: Instant, events: Vec<Input>) -> Vec<Effect> {
    let total = events.len();
    let mut effects = Vec::new();
    for (n, input) in events.into_iter().enumerate() {
        // Whatever the key reads (the view, the cursor's row) is up to date.
        state.refresh();
        let reply = keys::handle(state, input, at);
        effects.extend(reply.effects);
        let rest = total - n - 1;
        if reply.end_burst && rest > 0 {
            let note = format!("{rest} key(s) typed after it were ignored");
            state.notice = Some(match state.notice.take() {
                Some(n) => format!("{n} · {note}"),
                None => note,
            });
            break;
        }
    }
    effects
}

/// After a reload, marks whose sender ID did not come back are dropped, and the operator is told.
/// Only regions that loaded completely count: a region that failed keeps its marks.
fn drop_vanished_marks(state: &mut State) {
    if !state.pending_mark_check || state.inventory.loading() {
        return;
    }
    state.pending_mark_check = false;
    let vanished: Vec<Key> = state
        .marks
        .detached()
        .iter()
        .filter(|k| state.inventory.region_complete(&k.region) && !state.inventory.contains(k))
        .cloned()
        .collect();
    if vanished.is_empty() {
        return;
    }
    for k in &vanished {
        state.marks.remove(k);
    }
    let names: Vec<String> = vanished.iter().take(3).map(ToString::to_string).collect();
    let more = vanished.len().saturating_sub(3);
    state.notice = Some(format!(
        "{} mark(s) dropped, no longer in the inventory: {}{}",
        vanished.len(),
        names.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    ));
}

/// Starts a confirmed batch: every key is re-read first, per region.
pub(crate) fn start_batch(state: &mut State, sheet: &ReviewSheet) -> Vec<Effect> {
    let id = state.next_batch;
    state.next_batch += 1;
    for (key, why) in &sheet.excluded {
        state
            .statuses
            .insert(key.clone(), RowStatus::NotSent(why.reason().to_owned()));
    }
    let mut by_region: BTreeMap<String, Vec<Key>> = BTreeMap::new();
    for key in &sheet.to_release {
        by_region
            .entry(key.region.clone())
            .or_default()
            .push(key.clone());
        state.statuses.insert(key.clone(), RowStatus::Verifying);
    }
    state.batch = Some(Batch::new(id, sheet.to_release.len(), by_region.len()));
    state.notice = Some(format!(
        "checking {} sender ID(s) before releasing…",
        sheet.to_release.len()
    ));
    by_region
        .into_iter()
        .map(|(region, keys)| Effect::Reread {
            batch: id,
            region,
            keys,
        })
        .collect()
}

fn on_reread(
    state: &mut State,
    batch_id: u64,
    region: &str,
    keys: Vec<Key>,
    result: Result<Vec<(Key, Reread)>, crate::aws::ApiError>,
) -> Vec<Effect> {
    let Some(batch) = state.batch.as_mut().filter(|b| b.id == batch_id) else {
        return Vec::new();
    };
    batch.rereads_left = batch.rereads_left.saturating_sub(1);
    match result {
        Err(e)
            if e.credentials_expired()
                && matches!(batch.phase, Phase::Verifying | Phase::Paused) =>
        {
            // Nothing was read: keep the keys for a re-read on resume.
            batch.held_rereads.insert(region.to_owned(), keys);
            batch.pause(format!("{CREDENTIALS_PAUSE} ({e})"));
            state.notice = Some(CREDENTIALS_PAUSE.to_owned());
        }
        Err(e) => {
            for key in keys {
                let why = format!("could not re-read before release: {e}");
                state.statuses.insert(key, RowStatus::NotSent(why));
                batch.not_sent += 1;
            }
        }
        Ok(found) => {
            for (key, reread) in found {
                let stale = match &reread {
                    Reread::Gone => Some("no longer exists (released elsewhere?)".to_owned()),
                    Reread::Present(r) if r.deletion_protection => {
                        Some("deletion protection was turned on since loading".to_owned())
                    }
                    Reread::Present(r) if r.ownership == Ownership::Shared => {
                        Some("shared from another account".to_owned())
                    }
                    Reread::Present(_) => None,
                };
                if let Reread::Present(r) = reread {
                    state.inventory.update(*r);
                }
                if matches!(batch.phase, Phase::Stopped | Phase::Finished) {
                    state.statuses.insert(key, RowStatus::Cancelled);
                    batch.not_sent += 1;
                } else if let Some(why) = stale {
                    state.statuses.insert(key, RowStatus::NotSent(why));
                    batch.not_sent += 1;
                } else {
                    state.statuses.insert(key.clone(), RowStatus::Queued);
                    batch
                        .queues
                        .entry(region.to_owned())
                        .or_default()
                        .push_back(key);
                }
            }
        }
    }
    let started = batch.phase == Phase::Verifying && batch.rereads_left == 0;
    if started {
        batch.phase = Phase::Releasing;
    }
    batch.settle_if_done();
    let effects = schedule(state);
    if started {
        let most = state
            .session
            .regions
            .iter()
            .map(|r| release::in_flight_limit(state.pacing.get(r).map(|p| p.release_rps)))
            .max()
            .unwrap_or(release::PER_REGION_IN_FLIGHT);
        state.notice = Some(format!(
            "releasing {} sender ID(s), {most} at a time per region · Esc stops sending more",
            state
                .batch
                .as_ref()
                .map_or(0, |b| b.queued_total() + b.in_flight_total()),
        ));
    }
    announce_if_finished(state);
    state.invalidate_view();
    effects
}

fn on_released(state: &mut State, batch_id: u64, key: Key, outcome: ReleaseOutcome) -> Vec<Effect> {
    if let Some(effects) = pause::refused_without_effect(state, batch_id, &key, &outcome) {
        return effects;
    }
    if let ReleaseOutcome::Released { .. } = outcome {
        state.marks.remove(&key);
    }
    if let Some(batch) = state.batch.as_mut().filter(|b| b.id == batch_id) {
        batch.finish_one(&key.region, &outcome);
    }
    state.statuses.insert(key, RowStatus::Done(outcome));
    let effects = schedule(state);
    announce_if_finished(state);
    effects
}

/// Tells the operator how a batch ended, once it has (after a release, or after the re-reads
/// when none was left to send).
fn announce_if_finished(state: &mut State) {
    if let Some(b) = state.batch.as_ref().filter(|b| b.phase == Phase::Finished) {
        let journal = state
            .session
            .journal_error
            .as_ref()
            .map(|why| format!("; stopped because the journal cannot be written ({why})"))
            .unwrap_or_default();
        state.notice = Some(format!(
            "release finished: {} released, {} failed, {} not sent{journal}",
            b.released, b.failed, b.not_sent
        ));
    }
}

/// Sends what the batch allows now.
fn schedule(state: &mut State) -> Vec<Effect> {
    let pacing = &state.pacing;
    let Some(batch) = state.batch.as_mut() else {
        return Vec::new();
    };
    let id = batch.id;
    let keys = batch
        .next_to_send(|region| release::in_flight_limit(pacing.get(region).map(|p| p.release_rps)));
    let mut effects = Vec::with_capacity(keys.len());
    for key in keys {
        match state.inventory.get(&key) {
            Some(record) => {
                state.statuses.insert(key, RowStatus::Releasing);
                effects.push(Effect::Release {
                    batch: id,
                    record: Box::new(record.clone()),
                });
            }
            None => {
                // Cannot happen for a key that was just re-read; kept safe all the same.
                if let Some(n) = batch.in_flight.get_mut(&key.region) {
                    *n = n.saturating_sub(1);
                }
                batch.not_sent += 1;
                state
                    .statuses
                    .insert(key, RowStatus::NotSent("not in the inventory".to_owned()));
            }
        }
    }
    batch.settle_if_done();
    effects
}

/// Stops scheduling more releases (Esc during a batch, or quitting).
pub(crate) fn stop_batch(state: &mut State) {
    let Some(batch) = state.batch.as_mut() else {
        return;
    };
    let cancelled = batch.stop();
    let flying = batch.in_flight_total();
    for key in cancelled {
        state.statuses.insert(key, RowStatus::Cancelled);
    }
    batch.settle_if_done();
    state.notice = Some(format!(
        "stopped: no more releases will be sent; {flying} in flight will finish and be recorded"
    ));
}
