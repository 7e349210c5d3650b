//! `sidman list` (the real binary) against the emulator in hostile mode on 127.0.0.1, in every
//! output format: whatever the server sends, neither stdout nor stderr carries an escape sequence,
//! a C0/C1 control (but `\n`) or a bidi override; JSON output still parses as one array and CSV
//! output as rows of the documented columns; a broken server ends in a clear error line and exit
//! code 3, never a panic, and each run finishes within a bound.

use std::path::Path;
use std::process::Output;

use crate::common::harness::isolated_env;
use crate::common::hostile::{CASE_LIMIT, REGION, assert_clean_bytes};
use serde_json::Value;
use sidman::emulator::{Emulator, Hostile, Malformed, Seed};

const FORMATS: [&str; 3] = ["table", "json", "csv"];

/// Runs `sidman list --format FORMAT` against `url` with dummy keys and no ambient AWS set-up.
async fn list(url: &str, home: &Path, format: &str) -> Output {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_sidman"));
    isolated_env(&mut cmd, home);
    cmd.env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_ACCESS_KEY_ID", "AKIDTEST")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .args([
            "list",
            "--region",
            REGION,
            "--endpoint-url",
            url,
            "--format",
            format,
        ])
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    tokio::time::timeout(CASE_LIMIT, cmd.output())
        .await
        .unwrap_or_else(|_| panic!("sidman list --format {format} did not exit"))
        .expect("run sidman")
}

/// What one run must show besides being clean.
struct Expect {
    exit: i32,
    /// Sender IDs listed (JSON array length, CSV rows).
    rows: usize,
    /// Text that must appear on stdout (table) or stderr.
    stdout: &'static [&'static str],
    stderr: &'static [&'static str],
}

async fn check(mode: Hostile, expect: Expect) {
    let emulator = Emulator::start_local(Seed::demo())
        .await
        .expect("the emulator starts");
    emulator.set_hostile(Some(mode.clone()));
    let home = tempfile::tempdir().expect("tempdir");
    for format in FORMATS {
        let out = list(&emulator.endpoint_url(), home.path(), format).await;
        let what = format!("{mode:?} --format {format}");
        assert_clean_bytes(&format!("{what}: stdout"), &out.stdout);
        assert_clean_bytes(&format!("{what}: stderr"), &out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{what}: {stderr}");
        assert_eq!(out.status.code(), Some(expect.exit), "{what}: {stderr}");
        for needle in expect.stderr {
            assert!(stderr.contains(needle), "{what}: {needle:?} in {stderr}");
        }
        if expect.rows == 0 && expect.exit != 0 {
            // Nothing was listed: stdout holds nothing (no `[]`, no header, no totals).
            assert!(out.stdout.is_empty(), "{what}: {stdout}");
            continue;
        }
        match format {
            "json" => {
                let parsed: Value = serde_json::from_slice(&out.stdout)
                    .unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {stdout}"));
                let rows = parsed.as_array().map(Vec::len);
                assert_eq!(rows, Some(expect.rows), "{what}");
            }
            "csv" => {
                let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
                let header = reader.headers().expect("a CSV header").len();
                assert_eq!(header, sidman::export::COLUMNS.len(), "{what}");
                let rows: Vec<csv::StringRecord> = reader
                    .records()
                    .collect::<Result<_, _>>()
                    .unwrap_or_else(|e| panic!("{what}: not CSV ({e})"));
                assert_eq!(rows.len(), expect.rows, "{what}");
                assert!(rows.iter().all(|r| r.len() == header), "{what}");
            }
            _ => {
                for needle in expect.stdout {
                    assert!(stdout.contains(needle), "{what}: {needle:?} in {stdout}");
                }
            }
        }
    }
}

const LISTING_FAILED: &str = "us-east-1: could not list sender IDs";

#[tokio::test]
async fn escape_sequences_are_shown_neutralised() {
    check(
        Hostile::Escapes,
        Expect {
            exit: 0,
            rows: 5,
            stdout: &["PLAIN", "AC\u{fffd}[31mME", "\u{fffd}DIPER", "TOTALS"],
            stderr: &["price(s) could not be read"],
        },
    )
    .await;
}

#[tokio::test]
async fn hostile_errors_end_in_one_clean_line_per_listing() {
    let cases: [(Hostile, &'static [&'static str]); 5] = [
        (
            Hostile::ErrorBodies,
            &[
                LISTING_FAILED,
                "ValidationException (OTHER\u{fffd}[31m): Access \u{fffd}]0;pwned",
            ],
        ),
        (
            Hostile::ServerFault,
            &[LISTING_FAILED, "InternalServerException"],
        ),
        (
            Hostile::ErrorType { header: false },
            &[
                LISTING_FAILED,
                "\u{fffd}]0;pwned\u{fffd}Throttling\u{fffd}[2JException",
            ],
        ),
        (
            Hostile::ErrorType { header: true },
            &[LISTING_FAILED, "\u{fffd}31mAccessDenied\u{fffd}Exception"],
        ),
        (
            Hostile::ErrorWithoutType,
            &[LISTING_FAILED, "UnknownError", "HTTP 400"],
        ),
    ];
    for (mode, stderr) in cases {
        check(
            mode,
            Expect {
                exit: 3,
                rows: 0,
                stdout: &["TOTALS"],
                stderr,
            },
        )
        .await;
    }
}

#[tokio::test]
async fn malformed_answers_end_in_a_clear_error() {
    for kind in [
        Malformed::Truncated,
        Malformed::NotJson,
        Malformed::WrongTypes,
        Malformed::InvalidUtf8,
    ] {
        check(
            Hostile::Malformed(kind),
            Expect {
                exit: 3,
                rows: 0,
                stdout: &["TOTALS"],
                stderr: &[
                    LISTING_FAILED,
                    "MalformedResponse",
                    "could not read the answer",
                ],
            },
        )
        .await;
    }
}

#[tokio::test]
async fn missing_members_and_unknown_values_are_shown_or_counted() {
    check(
        Hostile::MissingMembers,
        Expect {
            exit: 3,
            rows: 2,
            stdout: &["COMPLETE", "BARE"],
            stderr: &[
                LISTING_FAILED,
                "IncompleteSenderIds",
                "3 sender ID(s)",
                "1 sender ID(s)",
            ],
        },
    )
    .await;
    check(
        Hostile::UnknownEnums,
        Expect {
            exit: 0,
            rows: 3,
            stdout: &["CONVERSATIONAL", "TRANSACTIONAL+FUTURE_TYPE", "(none)"],
            stderr: &[],
        },
    )
    .await;
}

#[tokio::test]
async fn absurd_sizes_and_broken_tokens_are_bounded() {
    check(
        Hostile::HugeField {
            chars: 5 * 1024 * 1024,
        },
        Expect {
            exit: 0,
            rows: 1,
            stdout: &["HUGE", "[cut]"],
            stderr: &[],
        },
    )
    .await;
    let cases: [(Hostile, &'static [&'static str]); 3] = [
        (
            Hostile::HugePage { items: 100_000 },
            &[LISTING_FAILED, "ResponseTooLarge", "16 MiB"],
        ),
        (
            Hostile::RepeatingToken,
            &[LISTING_FAILED, "RepeatedNextToken", "repeated a page token"],
        ),
        (
            Hostile::HugeToken { chars: 1 << 20 },
            &[LISTING_FAILED, "InvalidNextToken"],
        ),
    ];
    for (mode, stderr) in cases {
        check(
            mode,
            Expect {
                exit: 3,
                rows: 0,
                stdout: &["TOTALS"],
                stderr,
            },
        )
        .await;
    }
}
