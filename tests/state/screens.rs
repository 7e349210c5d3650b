//! Every screen at the smallest supported terminal (80x24) and below it (40x10, 20x5): each list
//! says where it is and its last line can be reached; below 80x24 every screen gives way to one
//! that says what sidman needs, nothing can be confirmed there, and growing the terminal brings
//! the screen back. The text inputs (the filter, the review's prompt) edit like readline: no
//! control key ever becomes a letter.

use crate::common::fixtures::*;
use crate::common::screen::{draw, text};
use crate::keymap::journal_changes;
use crossterm::event::KeyCode;
use sidman::action::Action;
use sidman::state::{Mode, State, update};

/// Each screen, reached through the keys, with a list longer than 80x24 shows where one is.
fn screens() -> Vec<(&'static str, State)> {
    let table = loaded();
    let mut detail = loaded();
    cursor_to(&mut detail, &key("ACMEINFO", US));
    press(&mut detail, KeyCode::Enter);
    let mut review = loaded();
    ch(&mut review, 'a');
    ch(&mut review, 'D');
    let mut prices = loaded();
    ch(&mut prices, 'p');
    ch(&mut prices, 'G');
    let mut help = loaded();
    ch(&mut help, '?');
    let mut history = loaded();
    ch(&mut history, 'h');
    update(&mut history, Action::HistoryRead(Ok(journal_changes(40))));
    vec![
        ("table", table),
        ("detail", detail),
        ("review", review),
        ("prices", prices),
        ("help", help),
        ("history", history),
    ]
}

#[test]
fn every_screen_at_80x24_shows_where_its_list_is_and_reaches_its_end() {
    for (name, mut state) in screens() {
        let screen = text(&draw(&mut state, 80, 24));
        assert!(!screen.contains("needs at least"), "{name}:\n{screen}");
        assert!(!screen.contains("more groups"), "{name}:\n{screen}");
        // PgDn to the end (End too, but in the review it edits the prompt), then the screen
        // says its last line is shown.
        for _ in 0..20 {
            press(&mut state, KeyCode::PageDown);
        }
        let terminal = draw(&mut state, 80, 24);
        let end = text(&terminal);
        let shown_to_the_end = end.lines().any(|l| {
            let numbers: Vec<usize> = l
                .split(|c: char| !c.is_ascii_digit())
                .filter_map(|n| n.parse().ok())
                .collect();
            (l.contains(" of ") && numbers.windows(2).any(|w| w[0] == w[1])) || l.contains("all ")
        }) || (name == "detail"
            && !end.contains(" of ")
            && end.contains("│Pool: "));
        // (A detail pane that fits has no position line: its last field is on screen.)
        assert!(shown_to_the_end, "{name} at its end:\n{end}");
        insta::assert_snapshot!(format!("{name}_end_80x24"), terminal.backend());
    }
}

#[test]
fn below_80x24_every_screen_says_what_it_needs_and_comes_back_when_it_grows() {
    for (name, mut state) in screens() {
        let before = text(&draw(&mut state, 80, 24));
        for (w, h) in [(40, 10), (79, 24), (80, 23), (20, 5)] {
            let terminal = draw(&mut state, w, h);
            let screen = text(&terminal);
            let flat = screen.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                flat.contains("sidman needs at least 80x24; this terminal is")
                    && flat.contains(&format!("{w}x{h}")),
                "{name} at {w}x{h}:\n{screen}"
            );
            if (w, h) == (40, 10) {
                insta::assert_snapshot!(format!("{name}_40x10"), terminal.backend());
            }
        }
        assert_eq!(text(&draw(&mut state, 80, 24)), before, "{name} comes back");
    }
    // Even 20x5 holds the whole sentence.
    let mut state = loaded();
    insta::assert_snapshot!("too_small_20x5", draw(&mut state, 20, 5).backend());
}

#[test]
fn nothing_is_confirmed_while_the_terminal_is_too_small() {
    let mut state = loaded();
    mark(&mut state, &[key("ACMEBANK", US)]);
    ch(&mut state, 'D');
    type_text(&mut state, "release");
    dwell(&mut state);
    update(
        &mut state,
        Action::Resize {
            width: 40,
            height: 10,
        },
    );
    let effects = press(&mut state, KeyCode::Enter);
    assert!(effects.is_empty(), "{effects:?}");
    assert!(matches!(state.mode, Mode::Review(_)), "the sheet stays");
    let notice = state.notice.clone().unwrap_or_default();
    assert!(
        notice.contains("too small") && notice.contains("80x24"),
        "{notice}"
    );
    // Back to 80x24: the sheet is on screen again, but only from its next frame, and for its
    // whole dwell again: the time it dwelt before it was hidden does not count.
    update(
        &mut state,
        Action::Resize {
            width: 80,
            height: 24,
        },
    );
    assert!(state.awaits_frame(), "the sheet waits for its frame again");
    assert!(press(&mut state, KeyCode::Enter).is_empty());
    assert!(press(&mut state, KeyCode::Enter).is_empty(), "too soon");
    let notice = state.notice.clone().unwrap_or_default();
    assert!(notice.contains("read the sheet first"), "{notice}");
    match &state.mode {
        Mode::Review(sheet) => assert_eq!(sheet.confirm.input().text(), "release"),
        other => panic!("the sheet closed: {other:?}"),
    }
    dwell(&mut state);
    let effects = press(&mut state, KeyCode::Enter);
    assert_eq!(rereads(&effects).len(), 1, "{effects:?}");
}

#[test]
fn a_sheet_opened_while_too_small_dwells_from_when_it_is_seen() {
    let mut state = loaded();
    mark(&mut state, &[key("ACMEBANK", US)]);
    update(
        &mut state,
        Action::Resize {
            width: 79,
            height: 24,
        },
    );
    ch(&mut state, 'D');
    assert!(matches!(state.mode, Mode::Review(_)));
    assert!(
        !state.awaits_frame(),
        "a too-small frame is not the sheet's"
    );
    // Time passes while only the too-small sentence is on screen; typing there counts for
    // nothing.
    dwell(&mut state);
    dwell(&mut state);
    type_text(&mut state, "release");
    // Grown back: its first frame is drawn (the loop draws after a resize), then typed.
    step(
        &mut state,
        Action::Resize {
            width: 80,
            height: 24,
        },
    );
    match &state.mode {
        Mode::Review(sheet) => assert_eq!(sheet.confirm.input().text(), ""),
        other => panic!("the sheet closed: {other:?}"),
    }
    type_text(&mut state, "release");
    assert!(press(&mut state, KeyCode::Enter).is_empty(), "too soon");
    dwell(&mut state);
    let effects = press(&mut state, KeyCode::Enter);
    assert_eq!(rereads(&effects).len(), 1, "{effects:?}");
}

/// The filter's text after typing `keys` into it (plain letters typed, `^x` a control key).
fn filter_after(keys: &[&str]) -> String {
    let mut state = loaded();
    ch(&mut state, '/');
    apply(&mut state, keys);
    assert_eq!(state.mode, Mode::Filter);
    state.filter.text().to_owned()
}

/// The review prompt's text after `keys`.
fn prompt_after(keys: &[&str]) -> String {
    let mut state = loaded();
    mark(&mut state, &[key("ACMEBANK", US)]);
    ch(&mut state, 'D');
    dwell(&mut state);
    apply(&mut state, keys);
    match &state.mode {
        Mode::Review(sheet) => sheet.confirm.input().text().to_owned(),
        other => panic!("the sheet closed: {other:?}"),
    }
}

fn apply(state: &mut State, keys: &[&str]) {
    for k in keys {
        match *k {
            "Backspace" => drop(press(state, KeyCode::Backspace)),
            "Home" => drop(press(state, KeyCode::Home)),
            "End" => drop(press(state, KeyCode::End)),
            "Left" => drop(press(state, KeyCode::Left)),
            "Right" => drop(press(state, KeyCode::Right)),
            ctl if ctl.starts_with('^') => {
                drop(ctrl(state, ctl.chars().nth(1).expect("a letter")));
            }
            text => drop(type_text(state, text)),
        }
    }
}

#[test]
fn the_filter_and_the_prompt_edit_like_readline() {
    let cases: [(&[&str], &str); 9] = [
        (&["ab", "^u"], ""),
        (&["bright", "^h", "^h"], "brig"),
        (&["bright", "Backspace"], "brigh"),
        (&["acme otp", "^w"], "acme "),
        (&["otp", "^a", "x", "^e", "y"], "xotpy"),
        (&["otp", "Left", "Left", "x", "Right", "y"], "oxtyp"),
        (&["ab", "Left", "^u"], "b"),
        (&["ab", "Left", "^k"], "a"),
        // No control key ever becomes a letter.
        (&["ab", "^x", "^z", "^l", "^t", "^y", "^o", "^g"], "ab"),
    ];
    for (keys, expected) in cases {
        assert_eq!(filter_after(keys), expected, "filter: {keys:?}");
        assert_eq!(prompt_after(keys), expected, "prompt: {keys:?}");
    }
    // Home/End edit the filter; in the review they move the list (Ctrl-A/Ctrl-E edit the word).
    let keys: &[&str] = &["otp", "Home", "x", "End", "y"];
    assert_eq!(filter_after(keys), "xotpy");
    assert_eq!(prompt_after(keys), "otpxy");
}
