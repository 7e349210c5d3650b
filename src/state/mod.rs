//! The one owner of the application's state and its pure transition, [`update`]: given the state
//! and an [`Action`] it changes the state and names the work to start as [`Effect`]s. It does no
//! IO, spawns nothing and reads no clock, so every rule of marking, filtering, reviewing and
//! releasing is tested without a terminal or a network.

pub mod batch;
mod commands;
pub mod confirm;
pub mod detail;
pub mod errors;
mod flow;
pub mod history;
pub mod keymap;
mod keys;
pub mod line_input;
pub mod pools;
pub mod prices;
pub mod review;
pub mod scroll;
pub mod table;
pub mod tags;

pub use detail::WIDE;
pub use table::{inventory, marks, view};

use crate::action::{Action, Effect, Input};
use crate::domain::{Key, Mutation};
use crate::pacing::PacingStats;
use batch::{Batch, Phase, RowStatus};
pub use flow::stop_batch;
pub(crate) use flow::{resume_batch, start_batch};
use line_input::LineInput;
use review::ReviewSheet;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Instant;
use table::query::{self, Facts, Parsed, Query, RecordTags, TagFacts};
use table::{Basis, Inventory, MarkCounts, Marks};
use view::{SortMode, View};

/// The longest `/` filter, in characters.
pub const FILTER_LIMIT: usize = 64;

/// The smallest terminal every screen fits in whole; below it the screen says so and nothing
/// can be confirmed.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;
/// How long after a refusal in the table the keys typed on are discarded: less than a person
/// takes to read the refusal and decide, more than a burst or a key-repeat lasts.
pub const REFUSAL_HOLD: std::time::Duration = std::time::Duration::from_secs(1);

/// A group of the price view opened in the table: only its sender IDs are shown until Esc goes
/// back to the price view, which puts the filter back as it was.
#[derive(Debug, Clone)]
pub struct Drill {
    pub scope: view::Scope,
    /// The filter when the group was opened.
    pub filter: LineInput,
}

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
    /// Where the credentials came from (`environment`, `SSO, profile prod`, `demo`…); empty
    /// says `profile` and the profile's name.
    pub credentials: String,
    /// The account the credentials name, when their provider said (SSO, credential_process);
    /// the sender IDs' ARNs say it otherwise.
    pub account: Option<String>,
    /// Whether `y`/`Y` may write to the terminal's clipboard (OSC 52); off with `--no-osc52`.
    pub osc52: bool,
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
    /// The release history, read from the journal.
    History,
    /// Each failed region's whole error (`e`).
    Errors,
}

#[derive(Debug)]
pub struct State {
    pub session: Session,
    pub inventory: Inventory,
    pub generation: u64,
    /// What the screen shows of the marks, as of the view it was counted for.
    mark_counts: MarkCounts,
    pub filter: LineInput,
    /// The filter's text as last parsed, and what it parsed to (parsed once per change).
    parsed: (String, Parsed),
    /// Every record's pool membership as of (inventory generation, pools generation), worked out
    /// when a `pool:` filter first needs it.
    pool_facts: Memo<Vec<u8>>,
    /// The tags read so far by record index, as of (inventory generation, tags version).
    tag_facts: Memo<RecordTags>,
    /// What the filter last said on the notice line (said once, taken back once it no longer
    /// applies).
    filter_notice: String,
    pub sort: SortMode,
    pub view: View,
    pub prices: prices::PriceView,
    /// Row index of the cursor in `view.rows`.
    pub cursor: usize,
    /// Scroll of the detail pane when it has focus, in lines (wrapped at the pane's width).
    pub detail_scroll: usize,
    /// The price view's group opened in the table, if one is.
    pub drill: Option<Drill>,
    /// Scroll of the help sheet, in rows.
    pub help_scroll: usize,
    /// Scroll of the errors sheet, in lines.
    pub errors_scroll: usize,
    pub mode: Mode,
    /// What the session knows of pools, per region.
    pub pools: pools::Pools,
    /// What the session knows of sender IDs' tags.
    pub tags: tags::Tags,
    /// The release history view's contents and cursor.
    pub history: history::History,
    /// The current batch of changes (running, or the last one, finished).
    pub batch: Option<Batch>,
    /// Where the sender IDs of this session's earlier batches ended.
    pub past: HashMap<Key, (Mutation, RowStatus)>,
    pub next_batch: u64,
    /// Each region's pacing as last reported (rates, throttles seen).
    pub pacing: BTreeMap<String, PacingStats>,
    /// One line for the operator: what just happened.
    pub notice: Option<String>,
    pub width: u16,
    pub height: u16,
    pub quit: bool,
    /// When a key was last refused in the table: keys typed on within [`REFUSAL_HOLD`] of it
    /// are discarded, as the rest of its burst is.
    refused_at: Option<Instant>,
    /// Marks kept across a reload, checked once every region has loaded.
    pending_mark_check: bool,
    /// The journal's interrupted releases are settled once the first load ends (the session's
    /// account is known then); only by the journal's writer, never in the demo.
    journal_to_settle: bool,
}

impl State {
    pub fn new(session: Session) -> Self {
        Self {
            journal_to_settle: session.journal_error.is_none() && !session.demo,
            session,
            inventory: Inventory::default(),
            generation: 0,
            mark_counts: MarkCounts::default(),
            filter: LineInput::new(FILTER_LIMIT),
            parsed: (String::new(), Parsed::default()),
            pool_facts: Memo::default(),
            tag_facts: Memo::default(),
            filter_notice: String::new(),
            sort: SortMode::default(),
            view: View::default(),
            prices: prices::PriceView::default(),
            cursor: 0,
            detail_scroll: 0,
            drill: None,
            help_scroll: 0,
            errors_scroll: 0,
            mode: Mode::Table,
            history: history::History::default(),
            pools: pools::Pools::default(),
            tags: tags::Tags::default(),
            batch: None,
            past: HashMap::new(),
            next_batch: 1,
            pacing: BTreeMap::new(),
            notice: None,
            width: 80,
            height: 24,
            quit: false,
            pending_mark_check: false,
            refused_at: None,
        }
    }

    /// Starts loading every region; the first call at start-up and the `r` key.
    pub fn reload(&mut self) -> Vec<Effect> {
        self.generation += 1;
        let regions = self.session.regions.clone();
        self.inventory.start(&regions);
        self.pools.clear();
        self.tags.clear();
        // The old view's rows name records that are gone.
        self.view = View::default();
        self.pending_mark_check = !self.marks().is_empty();
        self.refresh();
        // What an earlier load still reads (a listing, pools, `T`'s tags) is dropped first.
        let cancel = (self.generation > 1).then_some(Effect::CancelReads);
        cancel
            .into_iter()
            .chain(regions.into_iter().map(|region| Effect::LoadRegion {
                generation: self.generation,
                region,
            }))
            .collect()
    }

    /// The terminal's size when it is smaller than every screen needs ([`MIN_WIDTH`] x
    /// [`MIN_HEIGHT`]); `None` when it is big enough.
    pub fn too_small(&self) -> Option<(u16, u16)> {
        (self.width < MIN_WIDTH || self.height < MIN_HEIGHT).then_some((self.width, self.height))
    }

    /// One sentence per failure, with the fix: why changes are disabled (the journal), each
    /// region whose listing failed, then each region whose pools could not be read. What the
    /// errors sheet (`e`) shows.
    pub fn failures(&self) -> Vec<String> {
        let listed = self
            .inventory
            .regions
            .iter()
            .filter_map(|(region, load)| match load {
                inventory::RegionLoad::Failed { error, .. } => {
                    Some(error.in_region(region, "list sender IDs"))
                }
                _ => None,
            });
        let pools = self.pools.unknown().map(|(region, error)| {
            format!(
                "{} (pool membership is unknown there)",
                error.in_region(region, "read pools")
            )
        });
        // Why changes are disabled, when they are: its fix may be longer than the notice line.
        let journal = self.session.journal_error.clone();
        journal.into_iter().chain(listed).chain(pools).collect()
    }

    /// True once every region has finished loading and none of them loaded.
    pub fn every_region_failed(&self) -> bool {
        let regions = &self.inventory.regions;
        !regions.is_empty()
            && regions
                .values()
                .all(|l| matches!(l, inventory::RegionLoad::Failed { .. }))
    }

    /// The sender ID under the cursor (`None` on a group's header).
    pub fn cursor_record(&self) -> Option<&crate::domain::SenderIdRecord> {
        let idx = self.view.item_at(self.cursor)?;
        self.inventory.records().get(idx)
    }

    /// The key of the sender ID under the cursor.
    pub fn cursor_key(&self) -> Option<Key> {
        self.cursor_record().map(|r| r.key())
    }

    /// The marked sender IDs, by key or record; compares equal to a `BTreeSet<Key>` of the
    /// same keys. Marking goes through the inventory, which holds the marks.
    pub fn marks(&self) -> Marks<'_> {
        Marks::new(&self.inventory, &self.mark_counts)
    }

    /// Marked sender IDs that are loaded but hidden by the filter.
    pub fn hidden_marks(&self) -> usize {
        let marks = self.marks();
        marks.loaded_total().count.saturating_sub(marks.shown())
    }

    /// Marked sender IDs that are not in the inventory (not loaded yet, gone, or in a region
    /// that failed to load).
    pub fn absent_marks(&self) -> usize {
        self.marks().detached().len()
    }

    /// The monthly total of the marked sender IDs that are loaded.
    pub fn marked_total(&self) -> crate::domain::Total {
        self.marks().loaded_total()
    }

    pub fn releasing(&self) -> bool {
        self.batch.as_ref().is_some_and(Batch::running)
    }

    /// True while a batch is paused (expired credentials, throttled past the deadline).
    pub fn paused(&self) -> bool {
        self.batch
            .as_ref()
            .is_some_and(|b| b.phase() == Phase::Paused)
    }

    /// Where a sender ID stands in the current batch or an earlier one of this session, with
    /// the change that batch made.
    pub fn status(&self, key: &Key) -> Option<(Mutation, &RowStatus)> {
        flow::status(self, key)
    }

    /// True while a sheet waits for its first frame: the loop then flushes the input waiting at
    /// that frame and says when it was drawn ([`Action::Drawn`]).
    pub fn awaits_frame(&self) -> bool {
        // A frame of a terminal too small shows the too-small sentence, not the sheet.
        self.too_small().is_none()
            && matches!(&self.mode, Mode::Review(sheet) if sheet.confirm.awaits_frame())
    }

    /// Brings everything derived up to date: the view, when the inventory, the filter or the
    /// sort differ from what it was built from (keeping the cursor on the same sender ID), then
    /// the mark counts, when the records, the marks or the view differ from what they were
    /// counted for. Both compare; nothing is flagged by hand.
    pub(crate) fn refresh(&mut self) {
        if self.parsed.0 != self.filter.text() {
            self.parsed = (
                self.filter.text().to_owned(),
                Query::parse(self.filter.text()),
            );
        }
        let query = self.parsed.1.query.clone();
        let facts = self.facts(&query);
        self.filter_notes(&query);
        let scope = self.drill.as_ref().map(|d| d.scope.clone());
        let basis = Basis::new(&self.inventory, query, facts, self.sort).scoped(scope);
        if !self.view.is_for(&basis) {
            self.inventory.settle();
            let keep = self.view.item_at(self.cursor);
            let previous = std::mem::take(&mut self.view);
            self.view = View::rebuild(&self.inventory, basis, Some(previous));
            match keep.and_then(|i| self.view.row_of(i)) {
                Some(pos) => self.cursor = pos,
                None => self.cursor = self.cursor.min(self.view.rows.len().saturating_sub(1)),
            }
        }
        self.mark_counts.update(&self.inventory, &self.view);
    }
}

impl State {
    /// The filter as parsed, and what is wrong with its text.
    pub fn query(&self) -> &Parsed {
        &self.parsed.1
    }

    /// What the query's terms need from outside the inventory, resolved per record: only what
    /// they use, so a query without `status:` or `pool:` costs nothing here.
    fn facts(&mut self, query: &Query) -> Facts {
        let status = query.uses_status().then(|| Arc::new(self.status_facts()));
        let pools = query.uses_pool().then(|| self.pool_facts());
        let tags = query.uses_tags().then(|| self.tag_facts());
        Facts {
            status,
            pools,
            tags,
        }
    }

    /// (record index, status bits) of each loaded sender ID of this session's batches, by
    /// index; the current batch's word over an earlier one's, as [`State::status`] gives it.
    fn status_facts(&self) -> Vec<(u32, u8)> {
        let mut by_index: BTreeMap<u32, u8> = BTreeMap::new();
        let current = self.batch.as_ref().map(|b| (b.mutation, b));
        let rows = self.past.iter().map(|(k, (m, s))| (k, *m, s)).chain(
            current
                .into_iter()
                .flat_map(|(m, b)| b.rows().map(move |(k, s)| (k, m, s))),
        );
        for (key, mutation, row) in rows {
            if let Some(i) = self
                .inventory
                .index_of(key)
                .and_then(|i| u32::try_from(i).ok())
            {
                by_index.insert(i, status_bits(mutation, row));
            }
        }
        by_index.into_iter().collect()
    }

    /// Every record's pool membership, worked out again only when the records or the pools
    /// changed since.
    fn pool_facts(&mut self) -> Arc<Vec<u8>> {
        let (inventory, pools) = (&self.inventory, &self.pools);
        let at = (inventory.generation(), pools.generation());
        self.pool_facts.get(at, || {
            inventory
                .records()
                .iter()
                .map(|r| {
                    if pools.pool_of(r).is_some() {
                        query::pool::POOLED
                    } else if pools.known(&r.region) {
                        query::pool::NONE
                    } else {
                        query::pool::UNKNOWN
                    }
                })
                .collect()
        })
    }

    /// The tags read so far, lower-case, by record index; worked out again only when the records
    /// or the tags changed since.
    fn tag_facts(&mut self) -> TagFacts {
        let (inventory, tags) = (&self.inventory, &self.tags);
        let at = (inventory.generation(), tags.version());
        self.tag_facts.get(at, || {
            let mut by_index: RecordTags = tags
                .all_read_tags()
                .filter_map(|(key, tags)| {
                    let i = u32::try_from(inventory.index_of(key)?).ok()?;
                    let lower = tags
                        .iter()
                        .map(|(k, v)| (k.to_lowercase(), v.to_lowercase()))
                        .collect();
                    Some((i, lower))
                })
                .collect();
            by_index.sort_unstable_by_key(|(i, _)| *i);
            by_index
        })
    }

    /// Tells the operator, on the notice line, what of the filter is left out and why (a bad
    /// term; `pool:` in regions whose pools are not known), once each time it changes, and takes
    /// it back once it no longer applies.
    fn filter_notes(&mut self, query: &Query) {
        let mut notes = self.parsed.1.problems.clone();
        if query.uses_pool() {
            let unknown: Vec<&str> = self
                .inventory
                .region_names()
                .iter()
                .filter(|r| !self.pools.known(r))
                .map(String::as_str)
                .collect();
            if !unknown.is_empty() {
                notes.push(format!(
                    "pool: unknown in {} (neither yes nor no there)",
                    unknown.join(", ")
                ));
            }
        }
        if query.uses_tags() && !self.tags.all_read() {
            notes.push("tag: sees only the tags read so far; T reads them all".to_owned());
        }
        let line = notes.join(" · ");
        if line != self.filter_notice {
            if !line.is_empty() {
                self.notice = Some(line.clone());
            } else if self.notice.as_deref() == Some(self.filter_notice.as_str()) {
                self.notice = None;
            }
            self.filter_notice = line;
        }
    }
}

/// A value derived from the state, kept with the versions of what it was derived from, and
/// derived again only when they differ.
#[derive(Debug)]
struct Memo<T> {
    kept: Option<((u64, u64), Arc<T>)>,
}

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Self { kept: None }
    }
}

impl<T> Memo<T> {
    /// The value as of `at`: the one kept when it was derived at `at`, else `make`'s.
    fn get(&mut self, at: (u64, u64), make: impl FnOnce() -> T) -> Arc<T> {
        match &self.kept {
            Some((kept_at, value)) if *kept_at == at => Arc::clone(value),
            _ => {
                let value = Arc::new(make());
                self.kept = Some((at, Arc::clone(&value)));
                value
            }
        }
    }
}

/// Where a row of a batch stands, as the bits `status:` filters by: released (a release done),
/// protected, unprotected (a protection change done), failed (refused, or refused by the
/// journal), unknown, not sent (excluded, changed since, cancelled), pending.
fn status_bits(mutation: Mutation, row: &RowStatus) -> u8 {
    use crate::domain::Outcome;
    use query::status;
    match row {
        RowStatus::Ended(Outcome::Done { .. }) => match mutation {
            Mutation::Release => status::RELEASED,
            Mutation::SetProtection(true) => status::PROTECTED,
            Mutation::SetProtection(false) => status::UNPROTECTED,
        },
        RowStatus::Ended(Outcome::Failed { .. } | Outcome::Unjournaled(_)) => status::FAILED,
        RowStatus::Ended(Outcome::Unknown { .. }) => status::UNKNOWN,
        RowStatus::NotSent(_) | RowStatus::Cancelled | RowStatus::Excluded(_) => status::NOT_SENT,
        RowStatus::Verifying | RowStatus::Queued(_) | RowStatus::Sending(_) => status::PENDING,
    }
}

/// The transition: applies one action and returns the work to start.
pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    let effects = apply(state, action);
    state.refresh();
    effects
}

/// Applies several actions as [`update`] does one after the other, but builds the view once at
/// the end rather than after each page (or tag read, or pacing report): the TUI's loop hands
/// over everything that arrived while it was busy, so loading costs a view per frame drawn, not
/// one per page.
pub fn update_all(state: &mut State, actions: impl IntoIterator<Item = Action>) -> Vec<Effect> {
    let mut effects = Vec::new();
    for action in actions {
        // Whatever reads the view (a key, a batch's result) sees it up to date; the results
        // that arrive by the hundred and read nothing of it (pages, tags, pacing) do not each
        // pay for a build (with a `tag:` filter, every tag read would rebuild the view).
        if !matches!(
            action,
            Action::PageLoaded { .. } | Action::TagsRead { .. } | Action::Pacing { .. }
        ) {
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
        Action::Start => state.reload(),
        Action::Stop => {
            stop_batch(state);
            Vec::new()
        }
        Action::Input { at, events } => input_burst(state, at, events),
        Action::Resize { width, height } => {
            state.width = width;
            state.height = height;
            // The sheet can no longer be seen whole: it must be on screen again, for its whole
            // dwell, before Enter confirms it.
            if state.too_small().is_some()
                && let Mode::Review(sheet) = &mut state.mode
            {
                sheet.confirm.hide();
            }
            Vec::new()
        }
        Action::Tick { at } => {
            if let Mode::Review(sheet) = &mut state.mode {
                sheet.confirm.tick(at);
            }
            read_tags_at_rest(state)
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
                    state.notice = Some(e.in_region(&region, "list sender IDs"));
                }
                state.inventory.finish(&region, result);
                drop_vanished_marks(state);
                let mut effects = Vec::new();
                if state.inventory.region_complete(&region) && state.pools.region(&region).is_none()
                {
                    // The region's pools, read after its sender IDs, paced like every call.
                    state.pools.reading(&region);
                    effects.push(Effect::LoadPools {
                        generation,
                        region: region.clone(),
                    });
                }
                if state.journal_to_settle && !state.inventory.loading() {
                    state.journal_to_settle = false;
                    effects.push(Effect::SettleJournal {
                        account: state.inventory.own_account().map(ToOwned::to_owned),
                    });
                }
                return effects;
            }
            Vec::new()
        }
        Action::Reread {
            batch,
            region,
            keys,
            result,
        } => flow::on_reread(state, batch, &region, keys, result),
        Action::Mutated {
            batch,
            key,
            outcome,
        } => flow::on_mutated(state, batch, key, outcome),
        Action::Exported(result) => {
            state.notice = Some(match result {
                Ok(path) => format!("exported to {path}"),
                Err(e) => format!("export failed: {e}"),
            });
            Vec::new()
        }
        Action::Pacing { region, stats } => {
            state.pacing.insert(region, stats);
            flow::on_pacing(state)
        }
        Action::PoolsRead {
            generation,
            region,
            result,
        } => {
            if generation == state.generation {
                state.pools.read(&region, result);
            }
            Vec::new()
        }
        Action::TagsRead {
            generation,
            key,
            result,
        } => {
            if generation == state.generation
                && let Some(line) = state.tags.read(key, result)
            {
                state.notice = Some(line);
            }
            Vec::new()
        }
        Action::HistoryRead(result) => {
            state.history.loaded(result);
            Vec::new()
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
            flow::journal_failed(state, &why);
            Vec::new()
        }
    }
}

/// Esc and Ctrl-C: taken even right after a refusal (they stop, clear or leave).
fn always_taken(input: &Input) -> bool {
    use crossterm::event::{KeyCode, KeyModifiers};
    match input {
        Input::Key(k) => {
            k.code == KeyCode::Esc
                || (k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL))
        }
        Input::Paste(_) => false,
    }
}

/// The tags of the sender ID the cursor rests on (table or detail pane), read once it has
/// rested there for a moment: moving through the table with j/k asks for nothing.
fn read_tags_at_rest(state: &mut State) -> Vec<Effect> {
    let under = matches!(state.mode, Mode::Table | Mode::Detail)
        .then(|| state.cursor_record().map(tags::target))
        .flatten();
    if state.tags.rest(under.as_ref().map(|(key, _)| key)) {
        let generation = state.generation;
        return state.tags.request(generation, under);
    }
    Vec::new()
}

/// One burst of input, in order, until a key ends it (a sheet opened, an input closed, a
/// refusal): the rest is discarded, and the notice says how many keys were.
fn input_burst(state: &mut State, at: Instant, mut events: Vec<Input>) -> Vec<Effect> {
    // Keys typed in the table within a moment of a refusal there are taken as typed on after
    // it (`D` refused while loading, then `release`): they are discarded, not run as commands.
    // Esc and Ctrl-C still work: they only stop, clear or leave, and stopping a batch must
    // never wait.
    if state.mode == Mode::Table
        && state
            .refused_at
            .is_some_and(|t| at.saturating_duration_since(t) < REFUSAL_HOLD)
    {
        let before = events.len();
        events.retain(always_taken);
        let dropped = before - events.len();
        if dropped > 0 {
            let note = format!("{dropped} key(s) typed right after the refusal were ignored");
            state.notice = Some(match state.notice.take() {
                Some(n) if !n.contains("right after the refusal") => format!("{n} · {note}"),
                _ => note,
            });
        }
    }
    let total = events.len();
    let mut effects = Vec::new();
    for (n, input) in events.into_iter().enumerate() {
        // Whatever the key reads (the view, the cursor's row) is up to date.
        state.refresh();
        let typed = matches!(input, Input::Key(_));
        let reply = keys::handle(state, input, at);
        // A refused key (a paste refused is no typing that runs on).
        state.refused_at = (typed && reply.refused && state.mode == Mode::Table).then_some(at);
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
        .marks()
        .detached()
        .iter()
        .filter(|k| state.inventory.region_complete(&k.region) && !state.inventory.contains(k))
        .cloned()
        .collect();
    if vanished.is_empty() {
        return;
    }
    for k in &vanished {
        state.inventory.unmark(k);
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
