//! The TUI path against a hostile server: records loaded through the real runner, SDK and
//! emulator, then the real App driven by keys and drawn on ratatui's `TestBackend` (the harness),
//! resized to several sizes. No cell of any screen — table, detail pane, filter, review sheet,
//! help, price view, release outcomes and error notices — may hold an escape sequence, a control
//! character or a bidi override, whatever the server sent.

use crate::common::harness::{Harness, Options};
use crate::common::hostile::{REGION, assert_clean, bounded};
use crossterm::event::KeyCode;
use sidman::action::Outcome;
use sidman::emulator::{Hostile, Malformed};
use sidman::state::batch::RowStatus;

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (200, 60)];

/// Resizes the App's terminal to every size and checks every cell of the frame it draws; returns
/// the widest screen as text.
fn assert_screens_clean(what: &str, h: &mut Harness) -> String {
    let mut text = String::new();
    for (width, height) in SIZES {
        h.resize(width, height);
        text = h.screen();
        assert_clean(&format!("{what} at {width}x{height}"), &text);
    }
    text
}

async fn loaded(mode: Hostile) -> Harness {
    let mut h = Harness::start(Options::demo(&[REGION])).await;
    h.emulator.set_hostile(Some(mode));
    bounded("load", h.load()).await;
    h
}

#[tokio::test]
async fn escape_sequences_never_reach_a_screen_cell() {
    let mut h = loaded(Hostile::Escapes).await;
    assert_eq!(h.state().inventory.len(), 5, "{}", h.summary());
    let table = assert_screens_clean("table", &mut h);
    assert!(table.contains("PLAIN"), "{table}");
    assert!(
        table.contains('\u{fffd}'),
        "escapes are shown as visible marks"
    );

    // Every row under the cursor, with its detail pane.
    h.key(KeyCode::Char('g'));
    for row in 0..h.state().view.rows.len() {
        assert_screens_clean(&format!("row {row}"), &mut h);
        h.key(KeyCode::Char('j'));
    }
    h.key(KeyCode::Enter);
    assert_screens_clean("detail focus", &mut h);
    h.key(KeyCode::Esc);
    for key in ['?', 'p'] {
        h.key(KeyCode::Char(key));
        assert_screens_clean(&format!("{key} screen"), &mut h);
        h.key(KeyCode::Esc);
    }
    h.key(KeyCode::Char('/'));
    h.type_text("ac");
    assert_screens_clean("filter", &mut h);
    h.key(KeyCode::Esc);

    // Review, confirm, and the outcomes: a success whose every field is hostile, and a refusal
    // whose every member is.
    h.key(KeyCode::Char('a'));
    h.key(KeyCode::Char('D'));
    assert_screens_clean("review sheet", &mut h);
    h.type_text("release");
    h.dwell();
    h.key(KeyCode::Enter);
    bounded("release batch", h.finish_batch()).await;
    let batch = h.state().batch.as_ref().expect("batch");
    let statuses: Vec<&RowStatus> = batch.rows().map(|(_, s)| s).collect();
    let released = statuses
        .iter()
        .filter(|s| matches!(s, RowStatus::Ended(Outcome::Done { .. })))
        .count();
    let failed = statuses
        .iter()
        .filter(|s| matches!(s, RowStatus::Ended(Outcome::Failed { .. })))
        .count();
    assert!(released >= 1 && failed >= 1, "{}", h.summary());
    h.key(KeyCode::Char('g'));
    for row in 0..h.state().view.rows.len() {
        assert_screens_clean(&format!("outcome row {row}"), &mut h);
        h.key(KeyCode::Char('j'));
    }
}

#[tokio::test]
async fn broken_servers_leave_a_clean_screen_and_a_notice() {
    let modes = [
        Hostile::ErrorBodies,
        Hostile::ServerFault,
        Hostile::ErrorType { header: true },
        Hostile::ErrorWithoutType,
        Hostile::Malformed(Malformed::NotJson),
        Hostile::Malformed(Malformed::Truncated),
        Hostile::MissingMembers,
        Hostile::UnknownEnums,
        Hostile::HugeField {
            chars: 5 * 1024 * 1024,
        },
        Hostile::RepeatingToken,
    ];
    for mode in modes {
        let mut h = loaded(mode.clone()).await;
        let screen = assert_screens_clean(&format!("{mode:?}"), &mut h);
        let failed = !matches!(mode, Hostile::UnknownEnums | Hostile::HugeField { .. });
        if failed {
            let notice = h.state().notice.clone().unwrap_or_default();
            assert!(notice.contains("could not list"), "{mode:?}: {notice:?}");
            assert_clean(&format!("{mode:?} notice"), &notice);
        } else {
            assert!(!h.state().inventory.is_empty(), "{mode:?}: {screen}");
        }
        h.key(KeyCode::Enter);
        assert_screens_clean(&format!("{mode:?} detail"), &mut h);
        drop(h);
    }
}
