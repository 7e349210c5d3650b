//! The help sheet (`?`): every binding of the keymap, mode by mode, scrolled when it is taller
//! than the terminal; and the question asked before quitting while releases run.

use super::{Theme, centered, fit};
use crate::state::State;
use crate::state::keymap::{self, HelpRow};
use crate::state::scroll::Window;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

/// The widest the sheet gets: an 80-column terminal, less a column each side.
const WIDTH: u16 = 78;

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: Theme) {
    let rows = keymap::help_rows();
    let window = keymap::help_window(area.height);
    let window = Window::at(state.help_scroll, rows.len(), window);
    let shown: Vec<HelpRow> = rows[window.range()].to_vec();
    let width = area.width.min(WIDTH);
    let inner = usize::from(width.saturating_sub(2));
    let key_width = keymap::help_key_width();
    let mut lines: Vec<Line> = shown
        .iter()
        .map(|row| match row {
            HelpRow::Section(title) => Line::from(Span::styled(
                fit(&format!("{title}:"), inner),
                theme.title(),
            )),
            HelpRow::Binding(b) => Line::from(vec![
                Span::styled(format!("{:>key_width$}  ", b.keys_label()), theme.key()),
                Span::raw(fit(b.help, inner.saturating_sub(key_width + 2))),
            ]),
            HelpRow::Note(example, what) => Line::from(vec![
                Span::styled(format!("{example:>key_width$}  "), theme.key()),
                Span::raw(fit(what, inner.saturating_sub(key_width + 2))),
            ]),
        })
        .collect();
    lines.push(Line::from(Span::styled(
        format!(
            "rows {} · j/k PgUp/PgDn g/G move · any other key closes",
            window.position()
        ),
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
        super::footer_line(state, theme, rect.width.saturating_sub(2)),
    ];
    let block = Block::default().borders(Borders::ALL).title(" quit? ");
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        rect,
    );
}
