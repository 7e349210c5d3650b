//! The help sheet (`?`): every key, and the question asked before quitting while releases run.

use super::{Theme, centered};
use crate::state::State;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

/// Every key of the table, as the README lists them.
pub const KEYS: [(&str, &str); 16] = [
    ("j / k, ↓ / ↑", "move"),
    ("PgDn / PgUp, g / G", "page, first, last"),
    (
        "space",
        "mark or unmark the row (on a group header: every visible member)",
    ),
    ("a", "mark every visible row"),
    ("U", "unmark all"),
    ("/", "filter: type to narrow; Enter keeps it, Esc clears it"),
    (
        "Esc",
        "clear the filter (marks stay); during a release: stop sending more",
    ),
    (
        "s",
        "cycle sort: country, sender ID, price (high first), region",
    ),
    ("Enter", "focus the detail pane (Esc returns)"),
    (
        "D or ctrl-d",
        "review the release of the marked sender IDs (or the row)",
    ),
    ("r", "reload the inventory (marks are kept)"),
    (
        "p",
        "price view: totals by country, region or message type (Tab, s)",
    ),
    (
        "x",
        "export the current view (after filter and sort) to CSV here",
    ),
    ("?", "this help"),
    ("q, ctrl-c", "quit (asks first while releases run)"),
    (
        "in review",
        "type release and Enter to confirm; Esc cancels",
    ),
];

pub fn render(frame: &mut Frame, area: Rect, theme: Theme) {
    let rect = centered(area, 78, u16::try_from(KEYS.len() + 4).unwrap_or(20));
    frame.render_widget(Clear, rect);
    let mut lines: Vec<Line> = KEYS
        .iter()
        .map(|(k, what)| {
            Line::from(vec![
                Span::styled(format!("{k:>20}  "), theme.key()),
                Span::raw(*what),
            ])
        })
        .collect();
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        "any key closes this help",
        theme.dim(),
    )));
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" keys ", theme.title()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        rect,
    );
}

pub fn render_quit_question(frame: &mut Frame, area: Rect, state: &State, theme: Theme) {
    let rect = centered(area, 64, 6);
    frame.render_widget(Clear, rect);
    let (flying, queued) = state
        .batch
        .as_ref()
        .map_or((0, 0), |b| (b.in_flight_total(), b.queued_total()));
    let lines = vec![
        Line::from(Span::styled("Releases are running.", theme.danger())),
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
