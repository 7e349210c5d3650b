//! What each key does in each mode. A modal sheet (review, help, quit question) gets every key
//! first and lets none through, so a key meant for the table can never act behind a sheet. The
//! review sheet confirms only through its [`Confirmation`](super::confirm::Confirmation): the
//! typed word, then Enter after the dwell; no single key releases.
//!
//! Input arrives in bursts (everything the terminal had waiting). A key that opens a sheet, leaves
//! a text input, or is refused ends its burst: the rest is discarded and counted, so type-ahead,
//! a key-repeat or a paste the terminal did not bracket never runs on as commands behind it.
//! Pasted text is never a command: the filter takes it as text, everywhere else it is refused.

use super::confirm::Step;
use super::review::ReviewSheet;
use super::view::Row;
use super::{Mode, State, resume_batch, start_batch, stop_batch};
use crate::action::{Effect, Input};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::collections::BTreeSet;
use std::time::Instant;

/// What one piece of input did: the work to start, and whether the rest of its burst is
/// discarded.
#[derive(Debug, Default)]
pub(super) struct Reply {
    pub effects: Vec<Effect>,
    pub end_burst: bool,
}

impl Reply {
    fn effects(effects: Vec<Effect>) -> Self {
        Self {
            effects,
            end_burst: false,
        }
    }

    /// Ends the burst (a sheet opened, an input closed) after starting `effects`.
    fn ending(effects: Vec<Effect>) -> Self {
        Self {
            effects,
            end_burst: true,
        }
    }
}

impl From<Vec<Effect>> for Reply {
    fn from(effects: Vec<Effect>) -> Self {
        Self::effects(effects)
    }
}

/// Refuses what was asked: says why, and ends the burst.
fn refuse(state: &mut State, why: impl Into<String>) -> Reply {
    state.notice = Some(why.into());
    Reply::ending(Vec::new())
}

pub(super) fn handle(state: &mut State, input: Input, at: Instant) -> Reply {
    match input {
        Input::Key(key) => handle_key(state, key, at),
        Input::Paste(text) => paste(state, &text),
    }
}

fn paste(state: &mut State, text: &str) -> Reply {
    match &mut state.mode {
        Mode::Filter => {
            state.filter.paste(text);
            Reply::default()
        }
        Mode::Review(sheet) => {
            let Step::Refused(why) = sheet.confirm.paste() else {
                return Reply::default();
            };
            refuse(state, why.notice())
        }
        _ => refuse(
            state,
            "pasted text ignored: a paste is never taken as commands",
        ),
    }
}

fn handle_key(state: &mut State, key: KeyEvent, at: Instant) -> Reply {
    if key.kind == KeyEventKind::Release {
        return Reply::default();
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && key.code == KeyCode::Char('c') {
        return request_quit(state);
    }
    match state.mode.clone() {
        Mode::Review(sheet) => review_key(state, *sheet, key, at),
        Mode::Help => {
            state.mode = Mode::Table;
            Reply::default()
        }
        Mode::ConfirmQuit => {
            match key.code {
                KeyCode::Char('y' | 'Y') => {
                    stop_batch(state);
                    state.quit = true;
                }
                _ => state.mode = Mode::Table,
            }
            Reply::ending(Vec::new())
        }
        Mode::Filter => filter_key(state, key),
        Mode::Detail => detail_key(state, key, ctrl),
        Mode::Prices => prices_key(state, key),
        Mode::Table => table_key(state, key, ctrl),
    }
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

fn table_key(state: &mut State, key: KeyEvent, ctrl: bool) -> Reply {
    let page = usize::from(state.height.saturating_sub(8)).max(1);
    match key.code {
        KeyCode::Char('d') if ctrl => return open_review(state),
        KeyCode::Char('q') if !ctrl => return request_quit(state),
        KeyCode::Char('j') | KeyCode::Down => move_cursor(state, 1),
        KeyCode::Char('k') | KeyCode::Up => move_cursor(state, -1),
        KeyCode::PageDown => move_cursor(state, isize::try_from(page).unwrap_or(1)),
        KeyCode::PageUp => move_cursor(state, -isize::try_from(page).unwrap_or(1)),
        KeyCode::Char('g') | KeyCode::Home => state.cursor = 0,
        KeyCode::Char('G') | KeyCode::End => state.cursor = state.view.rows.len().saturating_sub(1),
        KeyCode::Char(' ') => toggle_mark(state),
        KeyCode::Char('a') => mark_all_visible(state),
        KeyCode::Char('U') => {
            let n = state.marks().len();
            state.inventory.clear_marks();
            state.notice = Some(format!("unmarked {n} sender ID(s)"));
        }
        KeyCode::Char('/') => state.mode = Mode::Filter,
        // Any other control chord means nothing here; it is never read as its letter.
        KeyCode::Char(_) if ctrl => {}
        KeyCode::Esc => {
            if state.releasing() {
                stop_batch(state);
            } else if !state.filter.is_empty() {
                state.filter.clear();
            }
        }
        KeyCode::Char('s') => {
            state.sort = state.sort.next();
            state.notice = Some(format!("sorted by {}", state.sort.label()));
        }
        KeyCode::Enter => {
            state.detail_scroll = 0;
            state.mode = Mode::Detail;
        }
        KeyCode::Char('D') => return open_review(state),
        KeyCode::Char('R') => {
            if !state.paused() {
                return refuse(state, "nothing to resume");
            }
            return resume_batch(state).into();
        }
        KeyCode::Char('r') => {
            if state.releasing() {
                return refuse(state, "reload waits until the running release ends");
            }
            return state.reload().into();
        }
        KeyCode::Char('?') => {
            state.mode = Mode::Help;
            return Reply::ending(Vec::new());
        }
        KeyCode::Char('x') => return export_view(state).into(),
        KeyCode::Char('p') => state.mode = Mode::Prices,
        _ => {}
    }
    Reply::default()
}

/// Exports the current view (after filter and sort) to CSV.
fn export_view(state: &mut State) -> Vec<Effect> {
    let records = state.inventory.records();
    let rows: Vec<_> = state
        .view
        .items()
        .filter_map(|i| records.get(i).cloned())
        .collect();
    state.notice = Some(format!("exporting {} sender ID(s)…", rows.len()));
    vec![Effect::Export { rows }]
}

fn prices_key(state: &mut State, key: KeyEvent) -> Reply {
    use super::prices::PriceSort;
    match key.code {
        KeyCode::Esc | KeyCode::Char('p') => state.mode = Mode::Table,
        KeyCode::Tab | KeyCode::Char('g') => state.prices.dimension = state.prices.dimension.next(),
        KeyCode::Char('s') => {
            state.prices.sort = match state.prices.sort {
                PriceSort::Subtotal => PriceSort::Name,
                PriceSort::Name => PriceSort::Subtotal,
            };
        }
        KeyCode::Char('x') => return export_view(state).into(),
        KeyCode::Char('q') => return request_quit(state),
        KeyCode::Char('?') => {
            state.mode = Mode::Help;
            return Reply::ending(Vec::new());
        }
        _ => {}
    }
    Reply::default()
}

fn detail_key(state: &mut State, key: KeyEvent, ctrl: bool) -> Reply {
    match key.code {
        KeyCode::Esc | KeyCode::Enter | KeyCode::Tab => state.mode = Mode::Table,
        KeyCode::Char('j') | KeyCode::Down => {
            state.detail_scroll = state.detail_scroll.saturating_add(1)
        }
        KeyCode::Char('k') | KeyCode::Up => {
            state.detail_scroll = state.detail_scroll.saturating_sub(1)
        }
        KeyCode::Char('q') => return request_quit(state),
        KeyCode::Char('?') => {
            state.mode = Mode::Help;
            return Reply::ending(Vec::new());
        }
        KeyCode::Char('D') => return open_review(state),
        KeyCode::Char('d') if ctrl => return open_review(state),
        _ => {}
    }
    Reply::default()
}

fn filter_key(state: &mut State, key: KeyEvent) -> Reply {
    match key.code {
        // Leaving the input ends the burst: what follows a pasted newline is not a command.
        KeyCode::Enter => {
            state.mode = Mode::Table;
            Reply::ending(Vec::new())
        }
        KeyCode::Esc => {
            state.filter.clear();
            state.mode = Mode::Table;
            Reply::ending(Vec::new())
        }
        _ => {
            state.filter.key(key);
            Reply::default()
        }
    }
}

fn review_key(state: &mut State, mut sheet: ReviewSheet, key: KeyEvent, at: Instant) -> Reply {
    let page = usize::from(state.height.saturating_sub(12)).max(1);
    match key.code {
        KeyCode::Down => sheet.scroll = sheet.scroll.saturating_add(1),
        KeyCode::Up => sheet.scroll = sheet.scroll.saturating_sub(1),
        KeyCode::PageDown => sheet.scroll = sheet.scroll.saturating_add(page),
        KeyCode::PageUp => sheet.scroll = sheet.scroll.saturating_sub(page),
        _ => {
            let step = sheet.confirm.key(key, at);
            return match step {
                Step::Cancelled => {
                    state.mode = Mode::Table;
                    state.notice = Some("release cancelled: nothing was sent".to_owned());
                    Reply::ending(Vec::new())
                }
                Step::Confirmed if sheet.to_release.is_empty() => {
                    state.mode = Mode::Review(Box::new(sheet));
                    refuse(state, "nothing can be released from this selection")
                }
                Step::Confirmed => {
                    state.mode = Mode::Table;
                    Reply::ending(start_batch(state, &sheet))
                }
                Step::Refused(why) => {
                    state.mode = Mode::Review(Box::new(sheet));
                    refuse(state, why.notice())
                }
                Step::Stay => {
                    state.notice = None;
                    state.mode = Mode::Review(Box::new(sheet));
                    Reply::default()
                }
            };
        }
    }
    state.mode = Mode::Review(Box::new(sheet));
    Reply::default()
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

/// Opens the review sheet for the marks, or for the row under the cursor when none is marked.
/// Opening it ends the input burst: nothing typed before it appeared reaches its prompt.
fn open_review(state: &mut State) -> Reply {
    if state.releasing() {
        let why = if state.paused() {
            "a release is paused: R resumes it, Esc stops it"
        } else {
            "a release is running; wait for it to end (Esc stops it)"
        };
        return refuse(state, why);
    }
    if state.inventory.loading() {
        return refuse(state, "still loading; review once every region has loaded");
    }
    let keys: BTreeSet<_> = if state.marks().is_empty() {
        state.cursor_key().into_iter().collect()
    } else {
        state.marks().keys()
    };
    if keys.is_empty() {
        return refuse(state, "nothing to release: mark sender IDs with space");
    }
    let (inventory, view) = (&state.inventory, &state.view);
    let visible =
        |k: &crate::domain::Key| inventory.index_of(k).and_then(|i| view.row_of(i)).is_some();
    let sheet = ReviewSheet::build(
        &keys,
        &state.inventory,
        visible,
        state.session.read_only,
        state.session.journal_error.is_none(),
    );
    state.notice = None;
    state.mode = Mode::Review(Box::new(sheet));
    Reply::ending(Vec::new())
}
