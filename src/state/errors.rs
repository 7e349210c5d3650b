//! What the errors sheet (`e`) says: each failed region's whole sentence (what went wrong and
//! the fix), wrapped at the sheet's width with the detail pane's wrapping, as lines the state
//! can count, so the sheet moves like every other list and its last line is always reachable.

use super::State;
use super::scroll::Window;

/// The sheet's width inside its border: 80 columns (the minimum size) less the border and a
/// column each side.
pub const WIDTH: usize = 76;

/// Rows the sheet spends on its frame: border (2), the blank and position lines (2), a margin
/// above and below (2).
const CHROME: u16 = 6;

/// Every line of the sheet's list: the failures, wrapped, a blank line between two.
pub fn lines(state: &State) -> Vec<String> {
    let failures = state.failures();
    if failures.is_empty() {
        return vec!["nothing failed".to_owned()];
    }
    let mut lines = Vec::new();
    for (n, failure) in failures.iter().enumerate() {
        if n > 0 {
            lines.push(String::new());
        }
        lines.extend(super::detail::wrap_text(failure, WIDTH));
    }
    lines
}

/// How many lines of the list a terminal `height` rows high shows.
pub fn page(height: u16) -> usize {
    usize::from(height.saturating_sub(CHROME)).max(1)
}

/// The part of a list of `len` lines on screen.
pub fn window(state: &State, len: usize) -> Window {
    Window::at(state.errors_scroll, len, page(state.height))
}
