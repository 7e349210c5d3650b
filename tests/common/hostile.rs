//! Helpers of the hostile-server tests (`tests/hostile_*.rs`): what "clean" means for text that
//! reaches a terminal, a bound on every case so that a hang fails instead of blocking, and an
//! [`Api`] opened through `aws::connect` (the binary's path) against an emulator in hostile mode,
//! with pacing lifted so that the listing caps, not the request rate, decide how long a case runs.

use std::future::Future;
use std::time::Duration;

use sidman::aws::{self, Api, ApiError, ConnectOptions};
use sidman::emulator::{Emulator, Hostile, Seed};
use sidman::pacing::PacingConfig;

use super::harness::{ACCESS_KEY, SECRET_KEY};

/// How long one malformed-response case may take before the test calls it a hang.
pub const CASE_LIMIT: Duration = Duration::from_secs(120);
/// The region every hostile test uses.
pub const REGION: &str = "us-east-1";

/// True for a character that must never reach a terminal raw: C0 controls but `\n`, DEL, C1
/// controls (U+0080–U+009F, U+009B is CSI), and the bidi embeddings, overrides, isolates and marks.
pub fn is_dangerous(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c,
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
        )
}

/// Fails when `text` holds any dangerous character, naming where.
pub fn assert_clean(what: &str, text: &str) {
    if let Some((at, c)) = text.char_indices().find(|(_, c)| is_dangerous(*c)) {
        let start = text[..at]
            .char_indices()
            .rev()
            .nth(40)
            .map_or(0, |(i, _)| i);
        let context: String = text[start..].chars().take(80).collect();
        panic!("{what}: {c:?} at byte {at}, near {context:?}");
    }
}

/// Fails when raw bytes are not UTF-8 or hold a dangerous character (a raw 0x1b or 0x07 byte
/// included).
pub fn assert_clean_bytes(what: &str, bytes: &[u8]) {
    assert!(!bytes.contains(&0x1b), "{what}: a raw ESC byte");
    assert!(!bytes.contains(&0x07), "{what}: a raw BEL byte");
    let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{what}: not UTF-8: {e}"));
    assert_clean(what, text);
}

/// Every string of an error is clean.
pub fn assert_error_clean(what: &str, e: &ApiError) {
    assert_clean(&format!("{what}: code"), &e.code);
    assert_clean(&format!("{what}: message"), &e.message);
    assert_clean(&format!("{what}: display"), &e.to_string());
    for s in [&e.reason, &e.request_id, &e.resource_type, &e.resource_id]
        .into_iter()
        .flatten()
    {
        assert_clean(&format!("{what}: member"), s);
    }
    for (name, message) in &e.fields {
        assert_clean(&format!("{what}: field"), &format!("{name} {message}"));
    }
}

/// Runs one case to its end within [`CASE_LIMIT`], or fails the test naming it.
pub async fn bounded<T>(case: &str, work: impl Future<Output = T>) -> T {
    tokio::time::timeout(CASE_LIMIT, work)
        .await
        .unwrap_or_else(|_| panic!("{case}: no answer or error within {CASE_LIMIT:?}"))
}

/// An emulator on 127.0.0.1 in `mode`, and an [`Api`] reaching it through `aws::connect`.
pub async fn hostile_api(mode: Hostile) -> (Emulator, Api) {
    let emulator = Emulator::start_local(Seed::demo())
        .await
        .expect("the emulator starts on 127.0.0.1");
    emulator.set_hostile(Some(mode));
    let endpoint = emulator.endpoint_url();
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{endpoint}");
    let (api, _) = aws::connect(&ConnectOptions {
        regions: vec![REGION.to_owned()],
        endpoint_url: Some(endpoint),
        static_credentials: Some((ACCESS_KEY.into(), SECRET_KEY.into())),
        ..ConnectOptions::default()
    })
    .await
    .expect("connect to the emulator");
    let unpaced = PacingConfig {
        read_rps: 1_000_000.0,
        release_rps: 1_000_000.0,
        ..PacingConfig::default()
    };
    (emulator, api.with_pacing(unpaced))
}
