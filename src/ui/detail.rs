//! The detail pane: the lines [`crate::state::detail`] says for the row under the cursor (its
//! release outcome first, then every field), already wrapped at the pane's width, drawn inside a
//! border whose bottom says which lines are shown when they do not all fit.

use super::Theme;
use crate::state::State;
use crate::state::detail::{self, Tone};
use crate::state::scroll::Window;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: Theme) {
    let focused = detail::focused(state);
    let rows = detail::wrapped(state);
    let page = usize::from(area.height.saturating_sub(2)).max(1);
    let window = Window::at(
        if focused { state.detail_scroll } else { 0 },
        rows.len(),
        page,
    );
    let mut block = Block::default().borders(Borders::ALL).title(Span::styled(
        if focused {
            " detail (focused) "
        } else {
            " detail "
        },
        theme.title(),
    ));
    if !window.fits() {
        block = block.title_bottom(
            Line::from(Span::styled(
                format!(" lines {} ", window.position()),
                theme.dim(),
            ))
            .right_aligned(),
        );
    }
    let lines: Vec<Line> = rows[window.range()]
        .iter()
        .map(|row| {
            Line::from(vec![
                Span::styled(row.name.clone(), theme.dim()),
                Span::styled(row.value.clone(), tone(row.tone, theme)),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn tone(tone: Tone, theme: Theme) -> Style {
    match tone {
        Tone::Plain => Style::new(),
        Tone::Title => theme.title(),
        Tone::Ok => theme.ok(),
        Tone::Bad => theme.bad(),
        Tone::Warn => theme.warn(),
        Tone::Dim => theme.dim(),
    }
}
