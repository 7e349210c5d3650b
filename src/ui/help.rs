//! The help sheet (`?`): every key, and the question asked before quitting while releases run.

use super::{Theme, centered};
use crate::state::State;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

/// Every key of the table, as the README lists them. Descriptions are kept short enough that the
/// whole sheet fits an 80x24 terminal without wrapping.
pub const KEYS: [(&str, &str); 16] = [
    ("j / k, ↓ / ↑", "move"),
    ("PgDn / PgUp, g / G", "page, first, last"),
    (
        "space",
        "mark or unmark the row; on a group header: all visible",
    ),
    ("a", "mark every visible row"),
    ("U", "unmark all"),
    ("/", "filter: type to narrow; Enter keeps it, Esc clears it"),
    (
        "Esc",
        "clear the filter (marks stay); releasing: stop sending",
    ),
    ("s", "sort: country, sender ID, price (high first), region"),
    ("Enter", "focus the detail pane (Esc returns)"),
    (
        "D or ctrl-d",
        "review the release of the marks (or of the row)",
    ),
    ("r / R", "reload (marks are kept) / resume a paused release"),
    ("p", "price view: totals by country, region, type (Tab, s)"),
    ("x", "export the current view (filtered, sorted) to CSV"),
    ("?", "this help"),
    ("q, ctrl-c", "quit (asks first while releases run)"),
    (
        "in review",
        "type release and Enter to confirm; Esc cancels",
    ),
];

pub fn render(frame: &mut Frame, area: Rect, theme: Theme) {
    let width = area.width.min(78);
    let key_width = KEYS.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
    // Inside the border: the key column, two spaces, the description wrapped under itself.
    let text_width = usize::from(width.saturating_sub(2))
        .saturating_sub(key_width + 2)
        .max(10);
    let mut lines: Vec<Line> = Vec::new();
    for (k, what) in KEYS {
        for (i, part) in wrap_words(what, text_width).into_iter().enumerate() {
            let key = if i == 0 { k } else { "" };
            lines.push(Line::from(vec![
                Span::styled(format!("{key:>key_width$}  "), theme.key()),
                Span::raw(part),
            ]));
        }
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        "any key closes this help",
        theme.dim(),
    )));
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" keys ", theme.title()));
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

/// Splits `text` at spaces into lines of at most `width` columns (a longer word gets a line).
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.width() + 1 + word.width() > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push(line);
    out
}

pub fn render_quit_question(frame: &mut Frame, area: Rect, state: &State, theme: Theme) {
    let rect = centered(area, 64, 6);
    frame.render_widget(Clear, rect);
    let (flying, queued) = state
        .batch
        .as_ref()
        .map(|b| b.tally())
        .map_or((0, 0), |t| (t.sending, t.queued + t.verifying));
    let lines = vec![
        Line::from(Span::styled("Changes are being sent.", theme.danger())),
        Line::from(format!(
            "{flying} in flight will finish and be recorded; {queued} queued will not be sent."
        )),
        Line::from(vec![
            Span::styled("y", theme.key()),
            Span::raw(" quit · any other key stays"),
        ]),
    ];
    let block = Block::default().borders(Borders::ALL).title(" quit? ");
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        rect,
    );
}
