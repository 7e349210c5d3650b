//! The screen the real App draws: the harness's `App` on a `TestBackend`, loaded through the real
//! runner and SDK from the emulator, driven by keys to the review sheet and through a release;
//! the drawn buffer is read back as text and checked at each step.

use crate::common::harness::{Harness, Options, own_key};
use crossterm::event::KeyCode;
use sidman::state::Mode;

const US: &str = "us-east-1";
const EU: &str = "eu-west-1";

#[tokio::test(flavor = "multi_thread")]
async fn the_app_draws_the_review_sheet_and_the_outcome() {
    let mut h = Harness::start(Options::demo(&[US, EU])).await;
    h.load().await;
    let table = h.screen();
    let loaded = format!("{} sender IDs", h.state().inventory.len());
    assert!(
        table.contains(&loaded),
        "{loaded:?} in the header:\n{table}"
    );
    assert!(
        table.contains("SHOPNOW"),
        "the table shows the rows:\n{table}"
    );
    assert!(!table.contains("Review release"), "{table}");

    let keys = [own_key(US, "FASTCAB", "NG"), own_key(EU, "SHOPNOW", "FR")];
    for key in &keys {
        h.mark(key);
    }
    h.key(KeyCode::Char('D'));
    assert!(matches!(h.state().mode, Mode::Review(_)), "{}", h.summary());
    assert!(
        !h.state().awaits_frame(),
        "the App drew the sheet's first frame and said so"
    );
    let sheet = h.screen();
    for text in [
        "Review release of 2 sender IDs — irreversible",
        "2 to release",
        "FASTCAB",
        "SHOPNOW",
        "Read the sheet: Enter is accepted after a second",
    ] {
        assert!(sheet.contains(text), "{text:?} on the sheet:\n{sheet}");
    }

    h.type_text("release");
    let typed = h.screen();
    assert!(typed.contains("> release"), "the typed word:\n{typed}");
    h.dwell();
    let ready = h.screen();
    assert!(
        ready.contains("Type release and press Enter to release; Esc cancels."),
        "after the dwell:\n{ready}"
    );

    h.key(KeyCode::Enter);
    h.finish_batch().await;
    let after = h.screen();
    assert!(
        !after.contains("Review release"),
        "the sheet is gone:\n{after}"
    );
    assert!(
        after.contains("release finished: 2 released"),
        "the outcome is on screen:\n{after}"
    );
}
