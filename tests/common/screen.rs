//! Drawing the real view into ratatui's `TestBackend` and reading it back as text, for the tests
//! that look at the screen (render, prices, hostile TUI, and the harness's App).

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use sidman::action::Action;
use sidman::state::{State, update};
use sidman::ui::{self, Theme, Viewport};

/// Resizes the state to `width` x `height` and draws one frame with `theme`.
pub fn draw_with(
    state: &mut State,
    width: u16,
    height: u16,
    theme: Theme,
) -> Terminal<TestBackend> {
    update(state, Action::Resize { width, height });
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    let mut viewport = Viewport::default();
    terminal
        .draw(|frame| ui::render(frame, state, &mut viewport, theme))
        .expect("draw");
    terminal
}

/// One frame with the plain theme, so snapshots hold text only.
pub fn draw(state: &mut State, width: u16, height: u16) -> Terminal<TestBackend> {
    draw_with(state, width, height, Theme::plain())
}

/// The screen as plain text, one line per row.
pub fn text(terminal: &Terminal<TestBackend>) -> String {
    buffer_text(terminal.backend().buffer())
}

/// A buffer (a `TestBackend`'s screen) as plain text, one line per row.
pub fn buffer_text(buffer: &Buffer) -> String {
    let area = buffer.area;
    (0..area.height)
        .map(|y| {
            (0..area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}
