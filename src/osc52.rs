//! Copying to the terminal's clipboard with OSC 52 (`ESC ] 52 ; c ; BASE64 BEL`), which works
//! over SSH and inside tmux (with `set-clipboard on`), where no mouse selection crosses the
//! pane's border. What is copied came from the network, so each line is passed through
//! [`sanitize::clean`](crate::sanitize::clean) first, and the sequence carries only base64: no
//! byte of the text can end the sequence or start another.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// The most text one copy carries (terminals cap what OSC 52 may set; xterm's default is about
/// 100,000 bytes of base64).
pub const MAX_TEXT: usize = 74_000;

/// The escape sequence that puts `text` on the clipboard.
pub fn sequence(text: &str) -> String {
    let clean: Vec<String> = text.lines().map(crate::sanitize::clean).collect();
    format!("\x1b]52;c;{}\x07", STANDARD.encode(clean.join("\n")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carries_only_base64_of_the_cleaned_text() {
        let seq = sequence("ACME\nEVIL\x07\x1b]52;c;aGk=\x07");
        let body = seq
            .strip_prefix("\x1b]52;c;")
            .and_then(|s| s.strip_suffix('\x07'))
            .expect("one OSC 52 sequence");
        assert!(
            body.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
        );
        let decoded = String::from_utf8(STANDARD.decode(body).expect("base64")).expect("utf-8");
        assert!(decoded.starts_with("ACME\nEVIL"));
        assert!(!decoded.contains('\x1b') && !decoded.contains('\x07'));
    }
}
