//! A typed confirmation: the one code path through which every confirmation sheet (the release
//! review today, any later irreversible change) is confirmed. It counts only what a person typed
//! after seeing the sheet:
//!
//! - keys that arrive before the sheet's first frame never reach its input (the loop also
//!   flushes the type-ahead waiting when that frame is drawn, as a password prompt does);
//! - Enter confirms only once the sheet has been on screen for [`DWELL`]; earlier it is refused
//!   with a notice and the typed word is kept; a sheet that goes off screen (the terminal too
//!   small to show it whole) awaits its first frame again, and its dwell starts again then;
//! - pasted text is refused: the word must be typed;
//! - with a word (e.g. `release`), Enter confirms only when the input is exactly that word.
//!
//! Time comes in with the input (the loop stamps each burst), so the rule is tested without a
//! clock.

use super::line_input::{Edit, LineInput};
use crossterm::event::{KeyCode, KeyEvent};
use std::time::{Duration, Instant};

/// How long a sheet must have been on screen before Enter confirms it.
pub const DWELL: Duration = Duration::from_secs(1);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmation {
    /// What must be typed; `None`: Enter alone confirms (after the dwell).
    word: Option<&'static str>,
    input: LineInput,
    /// When the sheet was first on screen; `None` until its first frame.
    shown_at: Option<Instant>,
    /// The dwell has passed (as far as the last tick knew): the prompt says Enter works.
    ready: bool,
}

/// What a key or a paste did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Typed, erased, or ignored: the sheet stays.
    Stay,
    Confirmed,
    Cancelled,
    /// Not taken; the sheet stays, says why, and the rest of the input burst is discarded.
    Refused(Refusal),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Input that arrived before the sheet was drawn.
    NotShownYet,
    /// Enter before the sheet was on screen for [`DWELL`].
    TooSoon,
    /// Enter without the word.
    WrongWord(&'static str),
    /// Pasted text.
    Pasted,
}

impl Refusal {
    /// The notice shown on the sheet.
    pub fn notice(&self) -> String {
        match self {
            Self::NotShownYet => "keys typed before the sheet appeared were ignored".to_owned(),
            Self::TooSoon => format!(
                "read the sheet first: Enter is accepted {} s after it appears (what you typed is kept)",
                DWELL.as_secs()
            ),
            Self::WrongWord(word) => format!("type `{word}` then Enter to confirm, Esc to cancel"),
            Self::Pasted => {
                "pasting is refused here: type the confirmation word yourself".to_owned()
            }
        }
    }
}

impl Confirmation {
    /// A confirmation by the typed `word` then Enter.
    pub fn typed(word: &'static str) -> Self {
        Self {
            word: Some(word),
            input: LineInput::new(32),
            shown_at: None,
            ready: false,
        }
    }

    /// A confirmation by Enter alone (after the dwell).
    pub fn enter() -> Self {
        Self {
            word: None,
            ..Self::typed("")
        }
    }

    pub fn word(&self) -> Option<&'static str> {
        self.word
    }

    pub fn input(&self) -> &LineInput {
        &self.input
    }

    /// True until the sheet's first frame was drawn.
    pub fn awaits_frame(&self) -> bool {
        self.shown_at.is_none()
    }

    /// True once the dwell has passed (as of the last time the state was told the time).
    pub fn ready(&self) -> bool {
        self.ready
    }

    /// The sheet's first frame was drawn at `at`.
    pub fn shown(&mut self, at: Instant) {
        if self.shown_at.is_none() {
            self.shown_at = Some(at);
        }
        self.tick(at);
    }

    /// The sheet went off screen (the terminal became too small to show it whole): it awaits a
    /// first frame again, and its dwell starts again from that frame. What was typed stays.
    pub fn hide(&mut self) {
        self.shown_at = None;
        self.ready = false;
    }

    /// Time passed: notes whether the dwell is over. Returns true when that changed.
    pub fn tick(&mut self, at: Instant) -> bool {
        let ready = self.dwelt(at);
        let changed = ready != self.ready;
        self.ready = ready;
        changed
    }

    fn dwelt(&self, at: Instant) -> bool {
        self.shown_at
            .is_some_and(|shown| at.saturating_duration_since(shown) >= DWELL)
    }

    /// A key, read at `at`.
    pub fn key(&mut self, key: KeyEvent, at: Instant) -> Step {
        if key.code == KeyCode::Esc {
            return Step::Cancelled;
        }
        if self.shown_at.is_none() {
            return Step::Refused(Refusal::NotShownYet);
        }
        self.tick(at);
        if key.code == KeyCode::Enter {
            if !self.dwelt(at) {
                return Step::Refused(Refusal::TooSoon);
            }
            return match self.word {
                Some(word) if self.input.text() != word => Step::Refused(Refusal::WrongWord(word)),
                _ => Step::Confirmed,
            };
        }
        if self.word.is_some() {
            // Typing and editing keys change the word; any other key does nothing here.
            let _: Edit = self.input.key(key);
        }
        Step::Stay
    }

    /// Pasted text: never typed into the confirmation.
    pub fn paste(&mut self) -> Step {
        Step::Refused(Refusal::Pasted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn k(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn type_word(c: &mut Confirmation, word: &str, at: Instant) {
        for ch in word.chars() {
            assert_eq!(c.key(k(KeyCode::Char(ch)), at), Step::Stay);
        }
    }

    #[test]
    fn keys_before_the_first_frame_never_count() {
        let t0 = Instant::now();
        let mut c = Confirmation::typed("release");
        assert_eq!(
            c.key(k(KeyCode::Char('r')), t0),
            Step::Refused(Refusal::NotShownYet)
        );
        c.shown(t0);
        assert_eq!(c.input().text(), "");
    }

    #[test]
    fn a_hidden_sheet_dwells_again_from_its_next_frame() {
        let t0 = Instant::now();
        let mut c = Confirmation::typed("release");
        c.shown(t0);
        type_word(&mut c, "release", t0);
        let later = t0 + DWELL * 3;
        c.hide();
        assert!(c.awaits_frame() && !c.ready());
        assert_eq!(
            c.key(k(KeyCode::Enter), later),
            Step::Refused(Refusal::NotShownYet)
        );
        c.shown(later);
        assert_eq!(
            c.key(k(KeyCode::Enter), later + DWELL / 2),
            Step::Refused(Refusal::TooSoon)
        );
        assert_eq!(c.input().text(), "release");
        assert_eq!(c.key(k(KeyCode::Enter), later + DWELL), Step::Confirmed);
    }

    #[test]
    fn enter_waits_for_the_dwell_and_keeps_the_word() {
        let t0 = Instant::now();
        let mut c = Confirmation::typed("release");
        c.shown(t0);
        type_word(&mut c, "release", t0);
        let early = t0 + DWELL - Duration::from_millis(1);
        assert_eq!(
            c.key(k(KeyCode::Enter), early),
            Step::Refused(Refusal::TooSoon)
        );
        assert_eq!(c.input().text(), "release");
        assert!(!c.ready());
        assert!(c.tick(t0 + DWELL));
        assert!(c.ready());
        assert_eq!(c.key(k(KeyCode::Enter), t0 + DWELL), Step::Confirmed);
    }

    #[test]
    fn the_word_must_be_exact_and_pastes_are_refused() {
        let t0 = Instant::now();
        let later = t0 + DWELL * 2;
        let mut c = Confirmation::typed("release");
        c.shown(t0);
        type_word(&mut c, "releas", later);
        assert_eq!(
            c.key(k(KeyCode::Enter), later),
            Step::Refused(Refusal::WrongWord("release"))
        );
        assert_eq!(c.paste(), Step::Refused(Refusal::Pasted));
        assert_eq!(c.key(k(KeyCode::Esc), later), Step::Cancelled);
        let mut plain = Confirmation::enter();
        plain.shown(t0);
        assert_eq!(
            plain.key(k(KeyCode::Enter), t0),
            Step::Refused(Refusal::TooSoon)
        );
        assert_eq!(plain.key(k(KeyCode::Enter), later), Step::Confirmed);
    }
}
