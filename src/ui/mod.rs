//! The view: draws a frame from `&State` and does no IO. The screen is a header (session, counts,
//! totals, per-region loading, READ-ONLY badge), a progress gauge while releasing, the table with
//! the detail pane beside it from [`WIDE`] columns up (or instead of it, on Enter, when narrower),
//! a notice line and a footer of the keys that work now. Sheets (review, help, errors, quit question) are
//! drawn last, over everything. The only memory it keeps between frames is the table's scroll.

mod detail;
mod errors;
mod header;
mod help;
mod history;
mod prices;
mod review;
mod table;
pub mod theme;

use crate::state::{Mode, State, keymap};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
pub use theme::Theme;
use unicode_width::UnicodeWidthStr;

pub use crate::state::WIDE;

/// What the view remembers between frames: only where the table is scrolled to.
#[derive(Debug, Default, Clone, Copy)]
pub struct Viewport {
    pub table_offset: usize,
}

/// Draws the whole screen: below [`crate::state::MIN_WIDTH`] x [`crate::state::MIN_HEIGHT`],
/// only a screen that says so, whatever the mode (nothing half drawn, nothing cut).
pub fn render(frame: &mut Frame, state: &State, viewport: &mut Viewport, theme: Theme) {
    let area = frame.area();
    if let Some((width, height)) = state.too_small() {
        render_too_small(frame, area, width, height, theme);
        return;
    }
    let gauge_height = u16::from(state.batch.is_some());
    let [head, gauge, body, notice, footer] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Length(gauge_height),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    header::render(frame, head, state, theme);
    if let Some(batch) = &state.batch {
        header::render_gauge(frame, gauge, state, batch, theme);
    }
    render_body(frame, body, state, viewport, theme);
    let note = state.notice.as_deref().unwrap_or("");
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(note.to_owned(), theme.warn()))),
        notice,
    );
    frame.render_widget(
        Paragraph::new(footer_line(state, theme, footer.width)),
        footer,
    );
    match &state.mode {
        Mode::Review(sheet) => review::render(frame, area, state, sheet, theme),
        Mode::Help => help::render(frame, area, state, theme),
        Mode::Errors => errors::render(frame, area, state, theme),
        Mode::ConfirmQuit => help::render_quit_question(frame, area, state, theme),
        _ => {}
    }
}

/// The screen of a terminal too small: what sidman needs and what it has, word-wrapped and
/// centred, so it reads whole down to 20x5.
fn render_too_small(frame: &mut Frame, area: Rect, width: u16, height: u16, theme: Theme) {
    let text = format!(
        "sidman needs at least {}x{}; this terminal is {width}x{height}.",
        crate::state::MIN_WIDTH,
        crate::state::MIN_HEIGHT
    );
    let room = usize::from(area.width).max(1);
    let mut lines: Vec<Line> = words_in_rows(&text, room)
        .into_iter()
        .map(|l| Line::from(Span::styled(l, theme.warn())).centered())
        .collect();
    lines.extend(
        words_in_rows("Enlarge it to go on; ctrl-c quits.", room)
            .into_iter()
            .map(|l| Line::from(Span::styled(l, theme.dim())).centered()),
    );
    lines.truncate(usize::from(area.height));
    let rect = centered(area, area.width, u16::try_from(lines.len()).unwrap_or(0));
    frame.render_widget(Paragraph::new(lines), rect);
}

/// `text` in rows of at most `width` columns, broken between words (a word wider than a row is
/// cut).
fn words_in_rows(text: &str, width: usize) -> Vec<String> {
    let mut rows: Vec<String> = Vec::new();
    let mut row = String::new();
    for word in text.split(' ') {
        if !row.is_empty() && row.width() + 1 + word.width() > width {
            rows.push(std::mem::take(&mut row));
        }
        if !row.is_empty() {
            row.push(' ');
        }
        row.push_str(word);
    }
    rows.push(row);
    rows.into_iter()
        .map(|r| if r.width() > width { fit(&r, width) } else { r })
        .collect()
}

fn render_body(
    frame: &mut Frame,
    body: Rect,
    state: &State,
    viewport: &mut Viewport,
    theme: Theme,
) {
    if state.mode == Mode::Prices {
        prices::render(frame, body, state, theme);
    } else if state.mode == Mode::History {
        history::render(frame, body, state, theme);
    } else if body.width >= WIDE {
        let [left, right] = Layout::horizontal([
            Constraint::Min(70),
            Constraint::Length(body.width.saturating_mul(2) / 5),
        ])
        .areas(body);
        table::render(frame, left, state, viewport, theme);
        detail::render(frame, right, state, theme);
    } else if state.mode == Mode::Detail {
        detail::render(frame, body, state, theme);
    } else {
        table::render(frame, body, state, viewport, theme);
    }
}

/// The keys that work now, from the keymap, in its order (`?` help last); bindings that share a
/// hint share an entry (`j/k move`). When they do not all fit, the most useful are kept: each
/// entry, by priority, if there is still room for it.
pub fn footer_line(state: &State, theme: Theme, width: u16) -> Line<'static> {
    let mut entries: Vec<(String, &str, u8)> = Vec::new();
    for binding in keymap::offered(state) {
        let Some(hint) = binding.hint else { continue };
        let key = binding.key_label();
        match entries.last_mut() {
            Some((keys, what, priority)) if *what == hint.what && *priority == hint.priority => {
                keys.push('/');
                keys.push_str(&key);
            }
            _ => entries.push((key, hint.what, hint.priority)),
        }
    }
    // An entry and the two spaces after it; the last one's spaces may fall off the edge.
    let cost = |(keys, what, _): &(String, &str, u8)| {
        keys.width() + if what.is_empty() { 0 } else { 1 + what.width() } + 2
    };
    let mut by_priority: Vec<usize> = (0..entries.len()).collect();
    by_priority.sort_by_key(|&i| std::cmp::Reverse(entries[i].2));
    let mut keep = vec![false; entries.len()];
    let mut room = usize::from(width) + 2;
    for i in by_priority {
        let c = cost(&entries[i]);
        if c <= room {
            room -= c;
            keep[i] = true;
        }
    }
    let mut spans = Vec::new();
    for ((keys, what, _), _) in entries.into_iter().zip(keep).filter(|(_, k)| *k) {
        spans.push(Span::styled(keys, theme.key()));
        if !what.is_empty() {
            spans.push(Span::raw(format!(" {what}")));
        }
        spans.push(Span::raw("  "));
    }
    Line::from(spans)
}

/// A line input as spans: its text, and while it has the keyboard a cursor (the character under
/// it reversed, or `_` at the end).
pub(crate) fn input_spans(
    input: &crate::state::line_input::LineInput,
    editing: bool,
    theme: Theme,
) -> Vec<Span<'static>> {
    let text = input.text();
    if !editing {
        return vec![Span::styled(text.to_owned(), theme.input())];
    }
    let at = text
        .char_indices()
        .nth(input.cursor())
        .map_or(text.len(), |(i, _)| i);
    let (before, rest) = text.split_at(at);
    let mut chars = rest.chars();
    let under = chars.next();
    vec![
        Span::styled(before.to_owned(), theme.input()),
        Span::styled(
            under.map_or_else(|| "_".to_owned(), String::from),
            theme
                .input()
                .add_modifier(ratatui::style::Modifier::REVERSED),
        ),
        Span::styled(chars.as_str().to_owned(), theme.input()),
    ]
}

/// Pads or cuts `text` to exactly `width` display columns, marking a cut with `…`.
pub(crate) fn fit(text: &str, width: usize) -> String {
    let w = text.width();
    if w <= width {
        let mut s = String::with_capacity(text.len() + width - w);
        s.push_str(text);
        s.extend(std::iter::repeat_n(' ', width - w));
        return s;
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + cw > width - 1 {
            break;
        }
        out.push(c);
        used += cw;
    }
    out.push('…');
    used += 1;
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    out
}

/// `$12.00/mo`, with the count of unreadable prices after it: `$12.00/mo (+1 unreadable)`.
pub(crate) fn per_month(total: &crate::domain::Total) -> String {
    let sum = crate::domain::format_usd(total.sum);
    if total.unparsed == 0 {
        format!("{sum}/mo")
    } else {
        format!("{sum}/mo (+{} unreadable)", total.unparsed)
    }
}

/// A rectangle of the given size centred in `area`, clipped to it.
pub(crate) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

#[cfg(test)]
mod tests {
    use super::fit;

    #[test]
    fn fit_pads_and_cuts_to_display_width() {
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("", 0), "");
    }
}
