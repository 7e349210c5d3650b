//! What each key does in each mode. A modal sheet (review, help, quit question) gets every key
//! first and lets none through, so a key meant for the table can never act behind a sheet. The
//! review sheet confirms only on Enter after the typed word; no single key releases.

use super::review::ReviewSheet;
use super::view::Row;
use super::{Mode, State, resume_batch, start_batch, stop_batch};
use crate::action::Effect;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::collections::BTreeSet;

pub fn handle(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && key.code == KeyCode::Char('c') {
        return request_quit(state);
    }
    match state.mode.clone() {
        Mode::Review(sheet) => review_key(state, *sheet, key),
        Mode::Help => {
            state.mode = Mode::Table;
            Vec::new()
        }
        Mode::ConfirmQuit => {
            match key.code {
                KeyCode::Char('y' | 'Y') => {
                    stop_batch(state);
                    state.quit = true;
                }
                _ => state.mode = Mode::Table,
            }
            Vec::new()
        }
        Mode::Filter => {
            filter_key(state, key);
            Vec::new()
        }
        Mode::Detail => detail_key(state, key, ctrl),
        Mode::Prices => prices_key(state, key),
        Mode::Table => table_key(state, key, ctrl),
    }
}

fn request_quit(state: &mut State) -> Vec<Effect> {
    if state.releasing() && state.mode != Mode::ConfirmQuit {
        state.mode = Mode::ConfirmQuit;
    } else {
        stop_batch(state);
        state.quit = true;
    }
    Vec::new()
}

fn table_key(state: &mut State, key: KeyEvent, ctrl: bool) -> Vec<Effect> {
    let page = usize::from(state.height.saturating_sub(8)).max(1);
    match key.code {
        KeyCode::Char('d') if ctrl => return open_review(state),
        KeyCode::Char('q') => return request_quit(state),
        KeyCode::Char('j') | KeyCode::Down => move_cursor(state, 1),
        KeyCode::Char('k') | KeyCode::Up => move_cursor(state, -1),
        KeyCode::PageDown => move_cursor(state, isize::try_from(page).unwrap_or(1)),
        KeyCode::PageUp => move_cursor(state, -isize::try_from(page).unwrap_or(1)),
        KeyCode::Char('g') | KeyCode::Home => state.cursor = 0,
        KeyCode::Char('G') | KeyCode::End => state.cursor = state.view.rows.len().saturating_sub(1),
        KeyCode::Char(' ') => toggle_mark(state),
        KeyCode::Char('a') => mark_all_visible(state),
        KeyCode::Char('U') => {
            let n = state.marks.len();
            state.marks.clear();
            state.notice = Some(format!("unmarked {n} sender ID(s)"));
        }
        KeyCode::Char('/') => state.mode = Mode::Filter,
        KeyCode::Esc => {
            if state.releasing() {
                stop_batch(state);
            } else if !state.filter.is_empty() {
                state.filter.clear();
                state.invalidate_view();
            }
        }
        KeyCode::Char('s') => {
            state.sort = state.sort.next();
            state.invalidate_view();
            state.notice = Some(format!("sorted by {}", state.sort.label()));
        }
        KeyCode::Enter => {
            state.detail_scroll = 0;
            state.mode = Mode::Detail;
        }
        KeyCode::Char('D') => return open_review(state),
        KeyCode::Char('R') => return resume_batch(state),
        KeyCode::Char('r') => {
            if state.releasing() {
                state.notice = Some("reload waits until the running release ends".to_owned());
            } else {
                return state.reload();
            }
        }
        KeyCode::Char('?') => state.mode = Mode::Help,
        KeyCode::Char('x') => return export_view(state),
        KeyCode::Char('p') => state.mode = Mode::Prices,
        _ => {}
    }
    Vec::new()
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

fn prices_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
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
        KeyCode::Char('x') => return export_view(state),
        KeyCode::Char('q') => return request_quit(state),
        KeyCode::Char('?') => state.mode = Mode::Help,
        _ => {}
    }
    Vec::new()
}

fn detail_key(state: &mut State, key: KeyEvent, ctrl: bool) -> Vec<Effect> {
    match key.code {
        KeyCode::Esc | KeyCode::Enter | KeyCode::Tab => state.mode = Mode::Table,
        KeyCode::Char('j') | KeyCode::Down => {
            state.detail_scroll = state.detail_scroll.saturating_add(1)
        }
        KeyCode::Char('k') | KeyCode::Up => {
            state.detail_scroll = state.detail_scroll.saturating_sub(1)
        }
        KeyCode::Char('q') => return request_quit(state),
        KeyCode::Char('?') => state.mode = Mode::Help,
        KeyCode::Char('D') => return open_review(state),
        KeyCode::Char('d') if ctrl => return open_review(state),
        _ => {}
    }
    Vec::new()
}

fn filter_key(state: &mut State, key: KeyEvent) {
    match key.code {
        KeyCode::Enter => state.mode = Mode::Table,
        KeyCode::Esc => {
            state.filter.clear();
            state.mode = Mode::Table;
            state.invalidate_view();
        }
        KeyCode::Backspace => {
            state.filter.pop();
            state.invalidate_view();
        }
        KeyCode::Char(c) if !c.is_control() && state.filter.chars().count() < 64 => {
            state.filter.push(c);
            state.invalidate_view();
        }
        _ => {}
    }
}

fn review_key(state: &mut State, mut sheet: ReviewSheet, key: KeyEvent) -> Vec<Effect> {
    match key.code {
        KeyCode::Esc => {
            state.mode = Mode::Table;
            state.notice = Some("release cancelled: nothing was sent".to_owned());
            return Vec::new();
        }
        KeyCode::Enter => {
            if sheet.confirmed() {
                state.mode = Mode::Table;
                return start_batch(state, &sheet);
            }
            // Not confirmed: say what would confirm (the sheet shows this line).
            state.notice = Some(if sheet.to_release.is_empty() {
                "nothing can be released from this selection".to_owned()
            } else {
                format!(
                    "type `{}` then Enter to confirm, Esc to cancel",
                    super::review::CONFIRM_WORD
                )
            });
            state.mode = Mode::Review(Box::new(sheet));
            return Vec::new();
        }
        KeyCode::Backspace => {
            sheet.input.pop();
        }
        KeyCode::Down => sheet.scroll = sheet.scroll.saturating_add(1),
        KeyCode::Up => sheet.scroll = sheet.scroll.saturating_sub(1),
        KeyCode::Char(c) if !c.is_control() && sheet.input.len() < 32 => sheet.input.push(c),
        _ => {}
    }
    state.notice = None;
    state.mode = Mode::Review(Box::new(sheet));
    Vec::new()
}

fn move_cursor(state: &mut State, delta: isize) {
    let last = state.view.rows.len().saturating_sub(1);
    state.cursor = state.cursor.saturating_add_signed(delta).min(last);
}

fn toggle_mark(state: &mut State) {
    match state.view.rows.get(state.cursor).copied() {
        Some(Row::Item(i)) => {
            let on = !state.marks.is_marked(i);
            state.marks.set(i, on);
            move_cursor(state, 1);
        }
        Some(Row::Header(g)) => {
            let Some(group) = state.view.groups.get(g) else {
                return;
            };
            let all_marked = group.members.iter().all(|&i| state.marks.is_marked(i));
            let n = group.members.len();
            for &i in &group.members {
                state.marks.set(i, !all_marked);
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
    let before = state.marks.len();
    for i in state.view.items() {
        state.marks.set(i, true);
    }
    state.notice = Some(format!(
        "marked {} more sender ID(s); {} marked in all",
        state.marks.len() - before,
        state.marks.len()
    ));
}

/// Opens the review sheet for the marks, or for the row under the cursor when none is marked.
fn open_review(state: &mut State) -> Vec<Effect> {
    if state.releasing() {
        let paused = state
            .batch
            .as_ref()
            .is_some_and(|b| b.phase == super::release::Phase::Paused);
        state.notice = Some(if paused {
            "a release is paused: R resumes it, Esc stops it".to_owned()
        } else {
            "a release is running; wait for it to end (Esc stops it)".to_owned()
        });
        return Vec::new();
    }
    if state.inventory.loading() {
        state.notice = Some("still loading; review once every region has loaded".to_owned());
        return Vec::new();
    }
    let keys: BTreeSet<_> = if state.marks.is_empty() {
        state.cursor_key().into_iter().collect()
    } else {
        state.marks.keys()
    };
    if keys.is_empty() {
        state.notice = Some("nothing to release: mark sender IDs with space".to_owned());
        return Vec::new();
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
    Vec::new()
}
