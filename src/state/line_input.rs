//! One line of text the operator types (the `/` filter, a confirmation word), edited the way a
//! shell's readline does: Backspace and Ctrl-H erase a character, Ctrl-W a word, Ctrl-U the
//! line; Ctrl-A/Home and Ctrl-E/End and Left/Right move the cursor. A control key never becomes a
//! letter, and pasted text keeps only its printable characters, so nothing typed or pasted can
//! smuggle a newline or an escape into the input.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key did to the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// The text changed.
    Changed,
    /// Only the cursor moved, or nothing happened.
    Unchanged,
    /// Not an editing key: the caller decides (Enter, Esc, Tab…).
    NotMine,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    text: String,
    /// Cursor position, in characters.
    cursor: usize,
    /// The most characters the line holds.
    limit: usize,
}

impl LineInput {
    pub fn new(limit: usize) -> Self {
        Self {
            text: String::new(),
            cursor: 0,
            limit,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Cursor position, in characters.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }

    /// Applies an editing key.
    pub fn key(&mut self, key: KeyEvent) -> Edit {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        let before = self.text.clone();
        match key.code {
            KeyCode::Backspace => {
                if alt || ctrl {
                    self.erase_word();
                } else {
                    self.erase_char();
                }
            }
            KeyCode::Char('h') if ctrl => self.erase_char(),
            KeyCode::Char('w') if ctrl => self.erase_word(),
            KeyCode::Char('u') if ctrl => {
                let at = self.byte_at(self.cursor);
                self.text.drain(..at);
                self.cursor = 0;
            }
            KeyCode::Char('k') if ctrl => {
                let at = self.byte_at(self.cursor);
                self.text.truncate(at);
            }
            KeyCode::Char('a') if ctrl => self.cursor = 0,
            KeyCode::Char('e') if ctrl => self.cursor = self.len(),
            KeyCode::Char('b') if ctrl => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Char('f') if ctrl => self.cursor = (self.cursor + 1).min(self.len()),
            KeyCode::Delete => {
                if self.cursor < self.len() {
                    let at = self.byte_at(self.cursor);
                    self.text.remove(at);
                }
            }
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.len(),
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(self.len()),
            // Any other control or Alt chord is a command, never a letter.
            KeyCode::Char(_) if ctrl || alt => return Edit::Unchanged,
            KeyCode::Char(c) => self.insert(c),
            _ => return Edit::NotMine,
        }
        if self.text == before {
            Edit::Unchanged
        } else {
            Edit::Changed
        }
    }

    /// Inserts pasted text at the cursor: printable characters only (a newline or tab becomes a
    /// space, every other control character is dropped), up to the limit. Returns whether anything changed.
    pub fn paste(&mut self, text: &str) -> bool {
        let before = self.text.len();
        for c in text.chars() {
            // A line break or tab between pasted words stays a break between words.
            self.insert(if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            });
        }
        self.text.len() != before
    }

    fn insert(&mut self, c: char) {
        if c.is_control() || self.len() >= self.limit {
            return;
        }
        let at = self.byte_at(self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
    }

    fn erase_char(&mut self) {
        if self.cursor == 0 {
            return;
        }
        self.cursor -= 1;
        let at = self.byte_at(self.cursor);
        self.text.remove(at);
    }

    /// Erases back to the start of the word before the cursor (spaces first, as readline).
    fn erase_word(&mut self) {
        let chars: Vec<char> = self.text.chars().collect();
        let mut start = self.cursor;
        while start > 0 && chars[start - 1].is_whitespace() {
            start -= 1;
        }
        while start > 0 && !chars[start - 1].is_whitespace() {
            start -= 1;
        }
        let (from, to) = (self.byte_at(start), self.byte_at(self.cursor));
        self.text.drain(from..to);
        self.cursor = start;
    }

    fn len(&self) -> usize {
        self.text.chars().count()
    }

    /// The byte offset of character `n`.
    fn byte_at(&self, n: usize) -> usize {
        self.text
            .char_indices()
            .nth(n)
            .map_or(self.text.len(), |(i, _)| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn typed(s: &str) -> LineInput {
        let mut l = LineInput::new(64);
        for c in s.chars() {
            l.key(key(KeyCode::Char(c)));
        }
        l
    }

    #[test]
    fn control_keys_edit_and_never_type_letters() {
        let mut l = typed("ab");
        assert_eq!(l.key(ctrl('u')), Edit::Changed);
        assert_eq!(l.text(), "");
        let mut l = typed("bright");
        for _ in 0..6 {
            l.key(ctrl('h'));
        }
        assert_eq!(l.text(), "");
        let mut l = typed("acme otp");
        l.key(ctrl('w'));
        assert_eq!(l.text(), "acme ");
        l.key(ctrl('w'));
        assert_eq!(l.text(), "");
        let mut l = typed("otp");
        l.key(ctrl('a'));
        l.key(key(KeyCode::Char('x')));
        l.key(ctrl('e'));
        l.key(key(KeyCode::Char('y')));
        assert_eq!(l.text(), "xotpy");
        l.key(key(KeyCode::Left));
        l.key(key(KeyCode::Backspace));
        assert_eq!(l.text(), "xoty");
        for c in ['x', 'z', 'q', 'l', 'c'] {
            assert_eq!(l.key(ctrl(c)), Edit::Unchanged);
        }
        assert_eq!(l.text(), "xoty");
        assert_eq!(l.key(key(KeyCode::Enter)), Edit::NotMine);
    }

    #[test]
    fn paste_keeps_printable_characters_only() {
        let mut l = LineInput::new(10);
        assert!(l.paste("shop\nnow\r\x1b[31m\tall"));
        assert_eq!(l.text(), "shop now [");
        assert!(!l.paste("more"), "full");
    }
}
