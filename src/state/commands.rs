//! What each [`Command`] of the keymap does to the state. Dispatch (`keys.rs`) has already looked
//! the key up in the keymap and checked that the command is offered; a handler only acts, and
//! says through its [`Reply`] whether the rest of the input burst is discarded (a sheet opened,
//! an input left, a refusal). The review sheet's prompt confirms only through its
//! [`Confirmation`](super::confirm::Confirmation): the typed word, then Enter after the dwell.

use super::confirm::Step;
use super::keymap::{self, Command, Motion};
use super::keys::{Reply, refuse};
use super::review::ReviewSheet;
use super::view::Row;
use super::{Mode, State, resume_batch, start_batch, stop_batch};
use crate::action::Effect;
use crossterm::event::KeyEvent;
use std::collections::BTreeSet;
use std::time::Instant;

/// Runs `command`, run by `key` at `at`.
pub(super) fn run(state: &mut State, command: Command, key: KeyEvent, at: Instant) -> Reply {
    match command {
        Command::Quit => return request_quit(state),
        Command::Move(motion) => move_in(state, motion),
        Command::ToggleMark => toggle_mark(state),
        Command::MarkAll => mark_all_visible(state),
        Command::UnmarkAll => {
            let n = state.marks().len();
            state.inventory.clear_marks();
            state.notice = Some(format!("unmarked {n} sender ID(s)"));
        }
        Command::Filter => state.mode = Mode::Filter,
        Command::StopReleasing => stop_batch(state),
        Command::ClearFilter => state.filter.clear(),
        Command::CycleSort => {
            state.sort = state.sort.next();
            state.notice = Some(format!("sorted by {}", state.sort.label()));
        }
        Command::Detail => {
            state.detail_scroll = 0;
            state.mode = Mode::Detail;
            // Its tags are read now, not after a rest.
            let generation = state.generation;
            let target = state.cursor_record().map(super::tags::target);
            return state.tags.request(generation, target).into();
        }
        Command::CopyId => return copy(state, false).into(),
        Command::CopyArn => return copy(state, true).into(),
        Command::ReadAllTags => return read_all_tags(state).into(),
        Command::Review => return open_review(state),
        Command::Protect => return open_protection(state),
        Command::FlipProtection => return flip_protection(state),
        Command::Resume => return resume_batch(state).into(),
        Command::Reload => {
            // From the errors sheet too (it says "r reloads once fixed"): back to the table.
            state.mode = Mode::Table;
            state.notice = None;
            return state.reload().into();
        }
        Command::Prices | Command::BackToPrices => {
            if let Some(drill) = state.drill.take() {
                state.filter = drill.filter;
            }
            state.mode = Mode::Prices;
        }
        Command::OpenGroup => open_group(state),
        Command::Export => return export(state).into(),
        Command::Help => {
            state.help_scroll = 0;
            state.mode = Mode::Help;
            return Reply::ending(Vec::new());
        }
        Command::CloseDetail | Command::ClosePrices | Command::CloseHistory => {
            state.mode = Mode::Table;
        }
        Command::OpenHistory => {
            // Read afresh every time: what the journal holds now, this session's and earlier.
            state.history = super::history::History::default();
            state.mode = Mode::History;
            return Reply::ending(vec![Effect::ReadHistory]);
        }
        Command::HistoryRecord => {
            state.history.open = !state.history.open && state.history.current().is_some();
            state.history.scroll = 0;
        }
        Command::NextGrouping => {
            state.prices.dimension = state.prices.dimension.next();
            state.prices.cursor = 0;
        }
        Command::PriceSort => {
            use super::prices::PriceSort;
            state.prices.sort = match state.prices.sort {
                PriceSort::Subtotal => PriceSort::Name,
                PriceSort::Name => PriceSort::Subtotal,
            };
            state.prices.cursor = 0;
        }
        // Leaving the input ends the burst: what follows a pasted newline is not a command.
        Command::KeepFilter => {
            state.mode = Mode::Table;
            return Reply::ending(Vec::new());
        }
        Command::CancelFilter => {
            state.filter.clear();
            state.mode = Mode::Table;
            return Reply::ending(Vec::new());
        }
        Command::EditFilter => {
            state.filter.key(key);
        }
        Command::TypeWord | Command::Confirm | Command::Cancel => return answer(state, key, at),
        Command::CloseHelp | Command::CloseErrors => state.mode = Mode::Table,
        Command::OpenErrors => {
            state.errors_scroll = 0;
            state.mode = Mode::Errors;
            return Reply::ending(Vec::new());
        }
        Command::QuitAnyway => {
            stop_batch(state);
            state.quit = true;
            return Reply::ending(Vec::new());
        }
        Command::Stay => {
            state.mode = Mode::Table;
            return Reply::ending(Vec::new());
        }
    }
    Reply::default()
}

/// One move in the list of the screen, the same keys everywhere: a cursor (table, price view,
/// history) moves and the window follows it; a text (detail, review sheet, help, an open
/// history record) scrolls no further than its last line at the bottom.
fn move_in(state: &mut State, motion: Motion) {
    let height = state.height;
    match &mut state.mode {
        Mode::Table | Mode::Filter => {
            let page = usize::from(height.saturating_sub(8)).max(1);
            state.cursor = motion.cursor(state.cursor, state.view.rows.len(), page);
        }
        Mode::Detail => {
            let (_, page) = super::detail::pane(state);
            let len = super::detail::len(state);
            state.detail_scroll = motion.scroll(state.detail_scroll, len, page);
        }
        Mode::Prices => {
            let len = super::prices::groups(state).len();
            let page = super::prices::page(state);
            state.prices.cursor = motion.cursor(state.prices.cursor, len, page);
        }
        Mode::Review(sheet) => {
            let page = ReviewSheet::page(height);
            sheet.scroll = motion.scroll(sheet.scroll, sheet.lines().len(), page);
        }
        Mode::Help => {
            let len = keymap::help_rows().len();
            state.help_scroll = motion.scroll(state.help_scroll, len, keymap::help_window(height));
        }
        Mode::History => {
            let page = super::history::page(height);
            state.history.move_by(motion, page);
        }
        Mode::Errors => {
            let len = super::errors::lines(state).len();
            let page = super::errors::page(height);
            state.errors_scroll = motion.scroll(state.errors_scroll, len, page);
        }
        Mode::ConfirmQuit => {}
    }
}

/// Opens the price view's group under the cursor in the table: only its sender IDs are shown
/// (with the filter as it is) until Esc goes back to the price view.
fn open_group(state: &mut State) {
    let groups = super::prices::groups(state);
    let Some(group) = groups.get(state.prices.cursor.min(groups.len().saturating_sub(1))) else {
        state.notice = Some("no group to open: nothing is shown".to_owned());
        return;
    };
    state.notice = Some(format!(
        "showing {}: {} sender ID(s) · Esc goes back to the price view",
        group.scope.label(),
        group.total.count
    ));
    state.drill = Some(super::Drill {
        scope: group.scope.clone(),
        filter: state.filter.clone(),
    });
    state.cursor = 0;
    state.mode = Mode::Table;
}

fn request_quit(state: &mut State) -> Reply {
    if state.releasing() && state.mode != Mode::ConfirmQuit {
        state.mode = Mode::ConfirmQuit;
    } else {
        stop_batch(state);
        state.quit = true;
    }
    Reply::ending(Vec::new())
}

/// A key for the review sheet's prompt (typing, Enter, Esc): what its confirmation makes of it.
fn answer(state: &mut State, key: KeyEvent, at: Instant) -> Reply {
    let Mode::Review(sheet) = &mut state.mode else {
        return Reply::default();
    };
    let step = sheet.confirm.key(key, at);
    let nothing_to_send = sheet.to_release.is_empty();
    let mutation = sheet.mutation;
    match step {
        Step::Cancelled => {
            state.mode = Mode::Table;
            state.notice = Some(format!("{} cancelled: nothing was sent", mutation.verb()));
            Reply::ending(Vec::new())
        }
        Step::Confirmed if nothing_to_send => refuse(
            state,
            match mutation {
                crate::domain::Mutation::Release => "nothing can be released from this selection",
                crate::domain::Mutation::SetProtection(_) => "nothing to change in this selection",
            },
        ),
        Step::Confirmed => match std::mem::replace(&mut state.mode, Mode::Table) {
            Mode::Review(sheet) => Reply::ending(start_batch(state, &sheet)),
            _ => Reply::default(),
        },
        Step::Refused(why) => refuse(state, why.notice()),
        Step::Stay => {
            state.notice = None;
            Reply::default()
        }
    }
}

/// `x`: in the price view its summary as shown, in the table the rows.
fn export(state: &mut State) -> Vec<Effect> {
    if state.mode == Mode::Prices {
        let rows = super::prices::summary_csv(state);
        state.notice = Some(format!(
            "exporting the price summary ({} group(s))…",
            rows.len().saturating_sub(2)
        ));
        return vec![Effect::ExportSummary { rows }];
    }
    export_view(state)
}

/// `y`/`Y`: the sender IDs (or ARNs) of the marks, one per line, else of the row under the
/// cursor, to the terminal's clipboard.
fn copy(state: &mut State, arn: bool) -> Vec<Effect> {
    let what = if arn { "ARN" } else { "sender ID" };
    let records: Vec<&crate::domain::SenderIdRecord> = if state.marks().is_empty() {
        state.cursor_record().into_iter().collect()
    } else {
        let keys = state.marks().keys();
        keys.iter().filter_map(|k| state.inventory.get(k)).collect()
    };
    let Some(first) = records.first() else {
        state.notice = Some(format!("no sender ID here: no {what} to copy"));
        return Vec::new();
    };
    let hidden = if state.marks().is_empty() {
        0
    } else {
        state.hidden_marks()
    };
    let one = if arn { &first.arn } else { &first.sender_id };
    let n = records.len();
    let text = records
        .iter()
        .map(|r| {
            if arn {
                r.arn.as_str()
            } else {
                r.sender_id.as_str()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut named = if n == 1 {
        format!("{what} {one}")
    } else {
        format!("{n} {what}s (one per line)")
    };
    if hidden > 0 {
        named.push_str(&format!(", {hidden} hidden by the filter"));
    }
    if !state.session.osc52 {
        state.notice = Some(format!(
            "copy is off (--no-osc52 or SIDMAN_NO_OSC52): {named} not copied"
        ));
        return Vec::new();
    }
    if text.len() > crate::osc52::MAX_TEXT {
        state.notice = Some(format!(
            "{n} {what}s are too many to copy at once (terminals cap the clipboard); x exports them"
        ));
        return Vec::new();
    }
    state.notice = Some(format!("copied {named} to the clipboard (OSC 52)"));
    vec![Effect::Copy { text }]
}

/// `T`: the tags of every sender ID listed, read one paced call each, for `tag:` filters.
fn read_all_tags(state: &mut State) -> Vec<Effect> {
    let generation = state.generation;
    let targets: Vec<_> = state
        .inventory
        .records()
        .iter()
        .enumerate()
        .filter(|(i, _)| !state.inventory.is_gone(*i))
        .map(|(_, r)| super::tags::target(r))
        .collect();
    let effects = state.tags.request_all(generation, targets);
    state.notice = Some(match state.tags.progress() {
        Some(p) if p.asked > 0 => format!(
            "reading the tags of {} sender ID(s), one paced call each…",
            p.asked
        ),
        _ => "every sender ID's tags are read already".to_owned(),
    });
    effects
}

/// Exports the current view (after filter and sort) to CSV.
fn export_view(state: &mut State) -> Vec<Effect> {
    let records = state.inventory.records();
    let rows: Vec<_> = state
        .view
        .items()
        .filter_map(|i| records.get(i).cloned())
        .collect();
    let status = rows
        .iter()
        .map(|r| {
            state
                .status(&r.key())
                .map_or(String::new(), |(m, s)| s.label(m).to_owned())
        })
        .collect();
    state.notice = Some(format!("exporting {} sender ID(s)…", rows.len()));
    vec![Effect::Export { rows, status }]
}

fn move_cursor(state: &mut State, delta: isize) {
    let last = state.view.rows.len().saturating_sub(1);
    state.cursor = state.cursor.saturating_add_signed(delta).min(last);
}

fn toggle_mark(state: &mut State) {
    match state.view.rows.get(state.cursor).copied() {
        Some(Row::Item(i)) => {
            let on = !state.marks().is_marked(i);
            state.inventory.set_mark(i, on);
            move_cursor(state, 1);
        }
        Some(Row::Header(g)) => {
            let Some(group) = state.view.groups.get(g) else {
                return;
            };
            let all_marked = group.members.iter().all(|&i| state.marks().is_marked(i));
            let n = group.members.len();
            for &i in &group.members {
                state.inventory.set_mark(i, !all_marked);
            }
            state.notice = Some(format!(
                "{} {n} sender ID(s) of {} {}",
                if all_marked { "unmarked" } else { "marked" },
                group.country,
                group.types
            ));
        }
        None => {}
    }
}

fn mark_all_visible(state: &mut State) {
    let before = state.marks().len();
    for i in state.view.items() {
        state.inventory.set_mark(i, true);
    }
    state.notice = Some(format!(
        "marked {} more sender ID(s); {} marked in all",
        state.marks().len() - before,
        state.marks().len()
    ));
}

/// The keys a sheet is for: the marks, or the row under the cursor when none is marked.
fn selection(state: &State) -> BTreeSet<crate::domain::Key> {
    if state.marks().is_empty() {
        state.cursor_key().into_iter().collect()
    } else {
        state.marks().keys()
    }
}

/// Opens the protection sheet for the marks (or the row): the same sheet, confirmation and batch
/// as a release. Which way it turns is [`ReviewSheet::protection`]'s rule. (Read-only sessions and
/// running batches are refused by the keymap before this.)
fn open_protection(state: &mut State) -> Reply {
    if state.inventory.loading() {
        return refuse(
            state,
            "still loading; change protection once every region has loaded",
        );
    }
    let keys = selection(state);
    if keys.is_empty() {
        return refuse(state, "nothing to protect: mark sender IDs with space");
    }
    let sheet = protection_sheet(state, &keys, None);
    state.notice = None;
    state.mode = Mode::Review(Box::new(sheet));
    Reply::ending(Vec::new())
}

fn protection_sheet(
    state: &State,
    keys: &BTreeSet<crate::domain::Key>,
    on: Option<bool>,
) -> ReviewSheet {
    let (inventory, view) = (&state.inventory, &state.view);
    let visible =
        |k: &crate::domain::Key| inventory.index_of(k).and_then(|i| view.row_of(i)).is_some();
    ReviewSheet::protection(
        keys,
        inventory,
        visible,
        state.session.journal_error.is_none(),
        on,
    )
}

/// Tab on a mixed protection sheet: the same selection turned the other way. It is a new sheet:
/// its dwell starts again at its first frame, and what was typed is dropped.
fn flip_protection(state: &mut State) -> Reply {
    let Mode::Review(sheet) = &state.mode else {
        return Reply::default();
    };
    let crate::domain::Mutation::SetProtection(on) = sheet.mutation else {
        return Reply::default();
    };
    let flipped = protection_sheet(state, &sheet.keys(), Some(!on));
    state.notice = Some(format!(
        "now turning deletion protection {}",
        if on { "OFF" } else { "ON" }
    ));
    state.mode = Mode::Review(Box::new(flipped));
    Reply::ending(Vec::new())
}

/// Opens the review sheet for the marks, or for the row under the cursor when none is marked.
/// Opening it ends the input burst: nothing typed before it appeared reaches its prompt. (While a
/// release runs the keymap refuses it before it gets here.)
fn open_review(state: &mut State) -> Reply {
    if state.inventory.loading() {
        return refuse(state, "still loading; review once every region has loaded");
    }
    if state.pools.pending() {
        return refuse(state, "still reading pools; review in a moment");
    }
    let keys = selection(state);
    if keys.is_empty() {
        return refuse(state, "nothing to release: mark sender IDs with space");
    }
    let (inventory, view) = (&state.inventory, &state.view);
    let visible =
        |k: &crate::domain::Key| inventory.index_of(k).and_then(|i| view.row_of(i)).is_some();
    let sheet = ReviewSheet::build(
        &keys,
        &state.inventory,
        &state.pools,
        visible,
        state.session.read_only,
        state.session.journal_error.is_none(),
    );
    state.notice = None;
    state.mode = Mode::Review(Box::new(sheet));
    Reply::ending(Vec::new())
}
