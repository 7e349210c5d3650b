//! Smoke tests of the real binary in a real terminal: `sidman --demo` inside a detached tmux
//! session on a private tmux server, driven with `send-keys` and read with `capture-pane`. Every
//! wait polls the screen (every 100 ms, up to a generous deadline); nothing sleeps to synchronise.
//! tmux is required: without it these tests fail and say so (CI installs it).

use crate::common::tmux::Tmux;
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
    tmux.wait_screen(&pane, "two marks", |s| {
        s.contains("marked 2 ") && !s.contains("reading pools")
    });

    tmux.keys(&pane, &["D"]);
    let review = tmux.wait_screen(&pane, "the review sheet", |s| {
        s.contains("Review release of 2 sender IDs") && s.contains("release")
    });
    assert_eq!(
        lines_with(&review, "FASTCAB").len(),
        2,
        "the sheet lists both:\n{review}"
    );

    tmux.confirm_release(&pane);
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

    // The demo keeps its own journal: the real one never shows demo releases.
    assert!(
        !tmux.journal().exists(),
        "the demo wrote nothing to the real journal"
    );
    let real = tmux.sidman(&["journal"]);
    assert!(real.status.success());
    assert!(!String::from_utf8_lossy(&real.stdout).contains("FASTCAB"));
    let demo = tmux.sidman(&["journal", "--demo"]);
    assert!(demo.status.success());
    let listed = String::from_utf8_lossy(&demo.stdout);
    assert_eq!(
        listed.lines().filter(|l| l.contains("FASTCAB")).count(),
        2,
        "{listed}"
    );
    let (entries, unreadable) = sidman::journal::read(&tmux.demo_journal()).expect("demo journal");
    assert_eq!(unreadable, 0);
    let released = entries
        .iter()
        .filter(|e| {
            matches!(e, sidman::journal::Entry::Outcome(o)
                if o.result == sidman::journal::OutcomeKind::Done)
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
    // At 80x24 the help shows its first rows, and PgDn reaches its last.
    let rows = sidman::state::keymap::help_rows().len();
    tmux.wait_screen(&pane, "the help's first rows", |s| {
        s.contains("keys") && s.contains("ctrl-c") && s.contains("rows 1-")
    });
    tmux.keys(&pane, &["NPage"; 5]);
    tmux.wait_screen(&pane, "the help's last rows", |s| {
        s.contains("this help") && s.contains(&format!("-{rows} of {rows}"))
    });
    tmux.keys(&pane, &["Escape"]);
    tmux.wait_screen(&pane, "the table again", |s| {
        !s.contains("this help") && s.contains(&format!("{total} sender IDs"))
    });

    // Below 80x24: one sentence, whole, instead of a cut screen; back at 80x24, the table.
    tmux.resize(&pane, 40, 10);
    let small = tmux.wait_screen(&pane, "the too-small screen", |s| {
        s.contains("sidman needs at least 80x24") && s.contains("40x10")
    });
    assert!(!small.contains("sender IDs"), "{small}");
    tmux.resize(&pane, 80, 24);
    tmux.wait_screen(&pane, "the table back at 80x24", |s| {
        s.contains(&format!("{total} sender IDs")) && !s.contains("needs at least")
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

/// sidman in tmux against this test's own emulator (so the test counts what reached it), every
/// FASTCAB marked; returns the emulator, the server, the session and how many were marked.
async fn fastcabs_marked() -> (
    sidman::emulator::Emulator,
    Tmux,
    crate::common::tmux::Session,
    usize,
) {
    let seed = Seed::demo();
    let regions = seed.regions().join(",");
    let fastcabs = seed
        .sender_ids
        .iter()
        .filter(|s| s.sender_id == "FASTCAB" && !s.deletion_protection_enabled)
        .count();
    let emulator = sidman::emulator::Emulator::start(sidman::emulator::EmulatorConfig {
        seed,
        ..sidman::emulator::EmulatorConfig::default()
    })
    .await
    .expect("the emulator starts on 127.0.0.1");
    let url = emulator.endpoint_url();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let mut tmux = Tmux::new(&[
        ("AWS_ACCESS_KEY_ID", "AKIDTEST"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
        ("NO_COLOR", "1"),
    ]);
    let pane = tmux.start(120, 40, &format!("--region {regions} --endpoint-url {url}"));
    tmux.wait_screen(&pane, "the inventory", |s| s.contains("FASTCAB"));
    tmux.keys(&pane, &["/"]);
    tmux.type_text(&pane, "fastcab");
    tmux.keys(&pane, &["Enter"]);
    tmux.wait_screen(&pane, "the filtered table", |s| {
        s.contains(&format!("shown {fastcabs} "))
    });
    tmux.keys(&pane, &["a"]);
    tmux.wait_screen(&pane, "the marks", |s| {
        s.contains(&format!("marked {fastcabs} ")) && !s.contains("reading pools")
    });
    (emulator, tmux, pane, fastcabs)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_burst_or_a_paste_never_confirms_a_release() {
    let (emulator, tmux, pane, marked) = fastcabs_marked().await;
    let releases = || emulator.received().count("ReleaseSenderId");

    // `D release Enter` in one send-keys: the sheet opens, the rest is discarded.
    tmux.keys(&pane, &["D", "release", "Enter"]);
    tmux.wait_screen(&pane, "the sheet, read long enough", |s| {
        s.contains("Review release") && s.contains("press Enter to release")
    });
    let sheet = tmux.screen(&pane);
    assert!(
        sheet.contains("> _"),
        "nothing typed reached the prompt:\n{sheet}"
    );
    assert!(
        sheet.contains("ignored"),
        "the sheet says keys were ignored:\n{sheet}"
    );
    tmux.keys(&pane, &["Escape"]);
    tmux.wait_screen(&pane, "the table", |s| s.contains("release cancelled"));

    // A bracketed paste of `Drelease⏎` in the table is not a command.
    tmux.paste(&pane, "Drelease\n");
    tmux.wait_screen(&pane, "the paste refused", |s| {
        s.contains("pasted text ignored")
    });
    assert!(!tmux.screen(&pane).contains("Review release"));

    // Nor in the sheet: the word must be typed.
    tmux.keys(&pane, &["D"]);
    tmux.wait_screen(&pane, "the sheet ready", |s| {
        s.contains("press Enter to release")
    });
    tmux.paste(&pane, "release\n");
    tmux.wait_screen(&pane, "the paste refused", |s| {
        s.contains("pasting is refused")
    });
    assert!(tmux.screen(&pane).contains("> _"));

    // A sheet that went off screen (the terminal too small) and came back is not read: grown
    // back with Enter in the same tmux command, the Enter is refused, the word kept.
    tmux.type_text(&pane, "release");
    tmux.wait_screen(&pane, "the word typed, Enter accepted", |s| {
        s.contains("press Enter to release") && s.contains("> release")
    });
    tmux.resize(&pane, 79, 24);
    tmux.wait_screen(&pane, "the too-small screen", |s| {
        s.contains("needs at least 80x24")
    });
    let out = tmux.run(&[
        "resize-window",
        "-t",
        &pane.target,
        "-x",
        "120",
        "-y",
        "40",
        ";",
        "send-keys",
        "-t",
        &pane.target,
        "Enter",
    ]);
    assert!(out.status.success(), "{out:?}");
    let back = tmux.wait_screen(&pane, "the sheet again, Enter refused", |s| {
        s.contains("Review release")
            && [
                "read the sheet first",
                "ignored",
                "too small to show the whole sheet",
            ]
            .iter()
            .any(|refusal| s.contains(refusal))
    });
    assert!(back.contains("> release"), "the word is kept:\n{back}");
    assert_eq!(releases(), 0, "nothing reached the service");
    let journal = tmux.journal();
    let (entries, _) = sidman::journal::read(&journal).expect("journal");
    assert!(entries.is_empty(), "no intent was written: {entries:?}");

    // The person's way still works: read, type, Enter after the dwell.
    tmux.keys(&pane, &["Escape"]);
    tmux.wait_screen(&pane, "the table", |s| s.contains("release cancelled"));
    tmux.keys(&pane, &["D"]);
    tmux.confirm_release(&pane);
    tmux.wait_screen(&pane, "the batch finished", |s| {
        s.contains("release finished")
    });
    assert_eq!(releases(), marked, "exactly the marked ones were released");
    tmux.keys(&pane, &["q"]);
    assert_eq!(tmux.wait_exit(&pane), "EXIT=0");
}

#[test]
fn a_planted_journal_link_is_never_followed_and_disables_releases() {
    let tmux = Tmux::new(&[]);
    let journal = tmux.demo_journal();
    std::fs::create_dir_all(journal.parent().expect("dir")).expect("mkdir");
    // A link to /dev/full: reading through it would never end; it is refused at once.
    std::os::unix::fs::symlink("/dev/full", &journal).expect("symlink");
    let out = tmux.sidman(&["journal", "--demo"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("symbolic link") && err.contains("remove the link"),
        "{err}"
    );

    // A link to another file: the TUI starts, says why releases are disabled, and the file is
    // never written.
    std::fs::remove_file(&journal).expect("unlink");
    let target = tmux.home().join("precious.txt");
    std::fs::write(&target, "precious\n").expect("write");
    std::os::unix::fs::symlink(&target, &journal).expect("symlink");
    let mut tmux = tmux;
    let pane = tmux.start(120, 40, "--demo");
    tmux.wait_screen(&pane, "the refusal on the first screen", |s| {
        s.contains("symbolic link") && s.contains("FASTCAB")
    });
    tmux.keys(&pane, &["a"]);
    tmux.wait_screen(&pane, "every row marked", |s| {
        (s.contains("marked 76 ") || s.contains("· marked")) && !s.contains("reading pools")
    });
    tmux.keys(&pane, &["D"]);
    tmux.wait_screen(&pane, "nothing to release", |s| {
        s.contains("0 to release") && s.contains("journal is not available")
    });
    tmux.keys(&pane, &["Escape"]);
    tmux.keys(&pane, &["q"]);
    assert_eq!(tmux.wait_exit(&pane), "EXIT=0");
    assert_eq!(
        std::fs::read_to_string(&target).expect("read"),
        "precious\n"
    );
}

#[test]
fn the_emulator_says_why_it_cannot_listen_in_one_line() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr").to_string();
    let tmux = Tmux::new(&[]);
    let out = tmux.sidman(&["emulator", "--listen", &addr]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!("cannot listen on {addr}: ")) && err.contains("in use"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}
