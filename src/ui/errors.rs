//! The errors sheet (`e`): each failed region's whole sentence (what went wrong and the fix),
//! for when the notice line cuts it or another notice replaced it. Its lines and where it is
//! scrolled come from `state::errors`; it moves like every other list.

use super::{Theme, centered};
use crate::state::State;
use crate::state::errors::{self, WIDTH};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: Theme) {
    let failures = state.failures().len();
    let lines = errors::lines(state);
    let window = errors::window(state, lines.len());
    let tone = if failures == 0 {
        theme.dim()
    } else {
        theme.bad()
    };
    let mut shown: Vec<Line> = lines[window.range()]
        .iter()
        .map(|l| Line::from(Span::styled(l.clone(), tone)))
        .collect();
    shown.push(Line::default());
    shown.push(Line::from(Span::styled(
        super::fit(
            &format!(
                "lines {} · r reloads once fixed · j/k move · any other key closes",
                window.position()
            ),
            WIDTH,
        ),
        theme.dim(),
    )));
    let height = u16::try_from(shown.len() + 2).unwrap_or(u16::MAX);
    let width = u16::try_from(WIDTH + 2).unwrap_or(u16::MAX);
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let title = format!(
        " {} error{} ",
        failures,
        if failures == 1 { "" } else { "s" }
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme.title()));
    frame.render_widget(Paragraph::new(shown).block(block), rect);
}
