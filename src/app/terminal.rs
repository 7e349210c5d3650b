//! Taking over the real terminal for the session: raw mode, the alternate screen and bracketed
//! paste are turned on, the [`App`] runs on crossterm with the terminal's [`Events`], and all
//! three are left on every way out, errors and panics included.

use super::{App, Events, Exit};
use crate::action::Action;
use crate::effects::Runner;
use crate::state::State;
use crate::ui::Theme;
use color_eyre::eyre::Result;
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use tokio::sync::mpsc::UnboundedSender;

/// Runs the TUI until the operator quits or a signal arrives; the terminal is restored on every
/// path out of this function.
pub async fn run(
    state: State,
    make_runner: impl FnOnce(UnboundedSender<Action>) -> Runner,
    theme: Theme,
) -> Result<Exit> {
    let terminal = ratatui::try_init()?;
    // ratatui's panic hook restores raw mode and the screen; this one also ends bracketed
    // paste, so a shell after a panic does not see pastes wrapped in escape codes.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = crossterm::execute!(std::io::stdout(), DisableBracketedPaste);
        previous(info);
    }));
    let result = match crossterm::execute!(std::io::stdout(), EnableBracketedPaste) {
        Ok(()) => {
            let osc52 = state.session.osc52;
            let mut app = App::new(terminal, state, make_runner, theme);
            if osc52 {
                app = app.with_clipboard(Box::new(std::io::stdout()));
            }
            app.run(&mut Events::terminal()).await
        }
        Err(e) => Err(e.into()),
    };
    let _ = crossterm::execute!(std::io::stdout(), DisableBracketedPaste);
    ratatui::restore();
    result
}
