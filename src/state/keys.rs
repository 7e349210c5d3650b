//! Dispatch of input: a key is looked up in the [keymap](super::keymap) for the current mode and
//! runs its command (`commands.rs`), or is refused with the keymap's reason. A modal sheet
//! (review, help, quit question) binds every key, so a key meant for the table can never act
//! behind a sheet; the review sheet confirms only through its typed word, then Enter after the
//! dwell, and no single key releases.
//!
//! Input arrives in bursts (everything the terminal had waiting). A key that opens a sheet, leaves
//! a text input, or is refused ends its burst: the rest is discarded and counted, so type-ahead,
//! a key-repeat or a paste the terminal did not bracket never runs on as commands behind it.
//! Pasted text is never a command: the filter takes it as text, everywhere else it is refused.

use super::commands;
use super::confirm::Step;
use super::keymap::{self, Offer};
use super::{Mode, State};
use crate::action::{Effect, Input};
use crossterm::event::{KeyEvent, KeyEventKind};
use std::time::Instant;

/// What one piece of input did: the work to start, and whether the rest of its burst is
/// discarded.
#[derive(Debug, Default)]
pub(super) struct Reply {
    pub effects: Vec<Effect>,
    pub end_burst: bool,
    /// What was asked was refused (and said why): see [`refuse`].
    pub refused: bool,
}

impl Reply {
    fn effects(effects: Vec<Effect>) -> Self {
        Self {
            effects,
            ..Self::default()
        }
    }

    /// Ends the burst (a sheet opened, an input closed) after starting `effects`.
    pub fn ending(effects: Vec<Effect>) -> Self {
        Self {
            effects,
            end_burst: true,
            refused: false,
        }
    }
}

impl From<Vec<Effect>> for Reply {
    fn from(effects: Vec<Effect>) -> Self {
        Self::effects(effects)
    }
}

/// Refuses what was asked: says why, and ends the burst.
pub(super) fn refuse(state: &mut State, why: impl Into<String>) -> Reply {
    state.notice = Some(why.into());
    Reply {
        refused: true,
        ..Reply::ending(Vec::new())
    }
}

pub(super) fn handle(state: &mut State, input: Input, at: Instant) -> Reply {
    match input {
        Input::Key(key) => handle_key(state, key, at),
        Input::Paste(text) => paste(state, &text),
    }
}

fn paste(state: &mut State, text: &str) -> Reply {
    match &mut state.mode {
        Mode::Filter => {
            state.filter.paste(text);
            Reply::default()
        }
        Mode::Review(sheet) => {
            let Step::Refused(why) = sheet.confirm.paste() else {
                return Reply::default();
            };
            refuse(state, why.notice())
        }
        _ => refuse(
            state,
            "pasted text ignored: a paste is never taken as commands",
        ),
    }
}

fn handle_key(state: &mut State, key: KeyEvent, at: Instant) -> Reply {
    if key.kind == KeyEventKind::Release {
        return Reply::default();
    }
    match keymap::resolve(state, &key) {
        Some((binding, Offer::Yes)) => commands::run(state, binding.command, key, at),
        Some((_, Offer::Refused(why))) => refuse(state, why),
        Some((_, Offer::No)) | None => Reply::default(),
    }
}
