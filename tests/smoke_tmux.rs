//! Smoke tests of the real binary in a real terminal: `sidman --demo` inside a detached tmux
//! session on a private tmux server, driven with `send-keys` and read with `capture-pane`. Every
//! wait polls the screen (every 100 ms, up to a generous deadline); nothing sleeps to synchronise.
//! tmux is required: without it these tests fail and say so (CI installs it).

mod common;

use common::tmux::Tmux;
use sidman::emulator::Seed;

/// Lines of the screen that mention `needle`.
fn lines_with<'a>(screen: &'a str, needle: &str) -> Vec<&'a str> {
    screen.lines().filter(|l| l.contains(needle)).collect()
}

#[test]
fn demo_mark_review_release_and_see_the_outcome() {
    let seed = Seed::demo();
    let total = seed.len();
    let fastcabs = seed
        .sender_ids
        .iter()
        .filter(|s| s.sender_id == "FASTCAB")
        .count();
    assert!(fastcabs >= 3, "FASTCAB exists in several countries");

    let mut tmux = Tmux::new(&[]);
    let pane = tmux.start(120, 40, "--demo");
    tmux.wait_screen(&pane, "the inventory", |s| {
        s.contains(&format!("{total} sender IDs")) && s.contains("FASTCAB")
    });

    tmux.keys(&pane, &["/"]);
    tmux.type_text(&pane, "fastcab");
    tmux.keys(&pane, &["Enter"]);
    let screen = tmux.wait_screen(&pane, "the filtered table", |s| {
        s.contains(&format!("shown {fastcabs} "))
    });
    let rows = lines_with(&screen, "FASTCAB");
    assert!(rows.len() >= fastcabs, "{screen}");

    // The first two rows: top (a group header), down, mark (moves on), down, mark.
    tmux.keys(&pane, &["g", "j", "Space", "j", "Space"]);
    tmux.wait_screen(&pane, "two marks", |s| s.contains("marked 2 "));

    tmux.keys(&pane, &["D"]);
    let review = tmux.wait_screen(&pane, "the review sheet", |s| {
        s.contains("Review release of 2 sender IDs") && s.contains("release")
    });
    assert_eq!(
        lines_with(&review, "FASTCAB").len(),
        2,
        "the sheet lists both:\n{review}"
    );

    tmux.type_text(&pane, "release");
    tmux.keys(&pane, &["Enter"]);
    let done = tmux.wait_screen(&pane, "both released", |s| {
        s.lines()
            .filter(|l| l.contains("FASTCAB") && l.contains("released"))
            .count()
            == 2
    });
    assert!(!done.contains("FAILED"), "{done}");

    // The cursor sits on the group header after the second mark; up is a released row.
    tmux.keys(&pane, &["k"]);
    tmux.wait_screen(&pane, "the outcome in the detail pane", |s| {
        s.contains("RELEASED") && s.contains("RequestId") && s.contains("SenderId: FASTCAB")
    });

    tmux.keys(&pane, &["q"]);
    assert_eq!(tmux.wait_exit(&pane), "EXIT=0");

    let (entries, unreadable) = sidman::journal::read(&tmux.journal()).expect("journal");
    assert_eq!(unreadable, 0);
    let released = entries
        .iter()
        .filter(|e| {
            matches!(e, sidman::journal::Entry::Outcome(o)
                if o.result == sidman::journal::OutcomeKind::Released)
        })
        .count();
    assert_eq!((entries.len(), released), (4, 2), "{entries:#?}");
}

#[test]
fn small_terminal_help_resize_and_ctrl_c() {
    let total = Seed::demo().len();
    let mut tmux = Tmux::new(&[]);
    let pane = tmux.start(80, 24, "--demo");
    tmux.wait_screen(&pane, "the inventory", |s| {
        s.contains(&format!("{total} sender IDs"))
    });
    let before = tmux.screen(&pane);
    assert!(before.lines().all(|l| l.chars().count() <= 80), "{before}");

    tmux.keys(&pane, &["?"]);
    // All of it fits at 80x24, down to the last keys.
    tmux.wait_screen(&pane, "the whole help", |s| {
        s.contains("keys") && s.contains("this help") && s.contains("ctrl-c")
    });
    tmux.keys(&pane, &["Escape"]);
    tmux.wait_screen(&pane, "the table again", |s| {
        !s.contains("this help") && s.contains(&format!("{total} sender IDs"))
    });

    tmux.resize(&pane, 100, 30);
    let resized = tmux.wait_screen(&pane, "a redraw at 100x30", |s| {
        s.lines().any(|l| l.chars().count() > 80) && s.contains(&format!("{total} sender IDs"))
    });
    assert!(
        resized.lines().all(|l| l.chars().count() <= 100),
        "{resized}"
    );

    tmux.keys(&pane, &["C-c"]);
    assert_eq!(tmux.wait_exit(&pane), "EXIT=0");
}
