//! Makes text that came from the network safe to print. A server (or anyone in the middle) can put
//! escape sequences in an error message, a tag or any field; printed raw they could retitle the
//! terminal, move the cursor or hide what the operator is about to confirm. Every string that
//! crosses the `aws` module boundary goes through [`clean`], so nothing later has to remember to.

/// The longest string kept from the network; anything longer is cut with a marker. No field of
/// this API is legitimately longer than a few hundred characters.
pub const MAX_FIELD_CHARS: usize = 4096;

/// Replaces control characters (C0, DEL, C1, and the bidirectional controls that can reorder
/// what is shown: embeddings, overrides, isolates and marks) with a visible `�`, keeps other text
/// as is, and cuts absurd lengths.
pub fn clean(input: &str) -> String {
    let needs_work = input.len() > MAX_FIELD_CHARS || input.chars().any(is_unsafe);
    if !needs_work {
        return input.to_owned();
    }
    let mut out = String::with_capacity(input.len().min(MAX_FIELD_CHARS + 16));
    for (n, c) in input.chars().enumerate() {
        if n >= MAX_FIELD_CHARS {
            out.push_str("…[cut]");
            break;
        }
        out.push(if is_unsafe(c) { '\u{FFFD}' } else { c });
    }
    out
}

fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_never_pass() {
        let hostile = "ok\x1b]0;pwned\x07\x1b[2J\u{9b}31m\r\nend\u{202E}";
        let cleaned = clean(hostile);
        assert!(!cleaned.chars().any(char::is_control));
        assert!(cleaned.starts_with("ok"));
        assert!(cleaned.contains("end"));
        assert!(!cleaned.contains('\u{202E}'));
        let marks = clean("a\u{200F}b\u{061C}c\u{2067}d\u{200E}");
        assert_eq!(marks, "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}");
    }

    #[test]
    fn plain_text_is_untouched_and_long_text_is_cut() {
        assert_eq!(clean("ACME-OTP"), "ACME-OTP");
        let long = "x".repeat(MAX_FIELD_CHARS * 3);
        let cut = clean(&long);
        assert!(cut.chars().count() < MAX_FIELD_CHARS + 10);
        assert!(cut.ends_with("[cut]"));
    }
}
