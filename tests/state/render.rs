//! Render tests: the screen drawn on ratatui's `TestBackend` at 80x24 (the smallest supported
//! terminal) and 150x45 (wide: more columns and the detail pane beside the table), with the
//! plain theme so snapshots hold text only. Each test also states in plain `contains` checks what
//! an operator must be able to read on that screen. Everything is deterministic: fixed fixtures,
//! fixed request IDs, no clock.

use crate::common::fixtures::*;
use crate::common::screen::{draw, text};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use sidman::action::Action;
use sidman::state::{Mode, State, keymap, update};
use sidman::ui;

const SIZES: [(u16, u16); 2] = [(80, 24), (150, 45)];

fn assert_has(screen: &str, needles: &[&str]) {
    for needle in needles {
        assert!(
            screen.contains(needle),
            "the screen should show {needle:?}:\n{screen}"
        );
    }
}

/// The loaded table with a whole group marked from its header, one more row marked, and the
/// cursor on a row.
fn table_state() -> State {
    let mut state = loaded();
    cursor_to_group(&mut state, "AE", "TRANSACTIONAL");
    ch(&mut state, ' ');
    mark(&mut state, &[key("ACMEAUP", AP)]);
    cursor_to(&mut state, &key("ACMEAUX", AP));
    state
}

/// Filter `gb` kept, one visible row marked and one mark hidden by the filter.
fn filtered_state() -> State {
    let mut state = loaded();
    mark(&mut state, &[key("ACMEFR", EU), key("ACMEPROMO", US)]);
    ch(&mut state, '/');
    type_text(&mut state, "gb");
    press(&mut state, KeyCode::Enter);
    cursor_to(&mut state, &key("ACMEINFO", US));
    state
}

/// The review sheet: two plain, one registered, one hidden by the filter, one protected
/// (excluded), one shared (excluded); the operator has typed part of the word.
fn review_state() -> State {
    let mut state = loaded();
    mark(
        &mut state,
        &[
            key("ACMEBANK", US),
            key("ACMEIN", US),
            key("ACMEOTP", US),
            key("SHAREDCO", US),
            key("ACMEFR", EU),
            key("ACMEAE", EU),
        ],
    );
    ch(&mut state, '/');
    type_text(&mut state, "us-east");
    press(&mut state, KeyCode::Enter);
    ch(&mut state, 'D');
    type_text(&mut state, "rele");
    state
}

/// ACMESG (registered) released; the cursor on it.
fn released_state() -> State {
    let mut state = loaded();
    let k = key("ACMESG", EU);
    mark(&mut state, std::slice::from_ref(&k));
    let (batch, region, keys) = rereads(&confirm_release(&mut state)).remove(0);
    let effects = update(
        &mut state,
        Action::Reread {
            batch,
            region,
            result: Ok(reread_unchanged(&keys)),
            keys,
        },
    );
    assert_eq!(release_keys(&effects), std::slice::from_ref(&k));
    update(
        &mut state,
        Action::Mutated {
            batch,
            key: k.clone(),
            outcome: released_ok(
                &record("ACMESG", EU),
                "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a",
            ),
        },
    );
    cursor_to(&mut state, &k);
    state
}

/// ACMEINFO refused with ConflictException SENDER_ID_ASSOCIATED_TO_POOL; the cursor on it.
fn failed_state() -> State {
    let mut state = loaded();
    let k = key("ACMEINFO", US);
    mark(&mut state, std::slice::from_ref(&k));
    let (batch, region, keys) = rereads(&confirm_release(&mut state)).remove(0);
    update(
        &mut state,
        Action::Reread {
            batch,
            region,
            result: Ok(reread_unchanged(&keys)),
            keys,
        },
    );
    let error = conflict(
        &record("ACMEINFO", US),
        "SENDER_ID_ASSOCIATED_TO_POOL",
        "The sender ID is associated with a pool; remove it from the pool first.",
        "5e8c1d2a-9b7f-4e3a-8c6d-1f2e3a4b5c6d",
    );
    update(
        &mut state,
        Action::Mutated {
            batch,
            key: k.clone(),
            outcome: failed(error),
        },
    );
    cursor_to(&mut state, &k);
    state
}

#[test]
fn render_loaded_table_with_marks_and_group_headers() {
    for (w, h) in SIZES {
        let mut state = table_state();
        let terminal = draw(&mut state, w, h);
        let screen = text(&terminal);
        assert_has(
            &screen,
            &[
                "profile ops",
                "us-east-1 ✓9",
                "eu-west-2 ✓6",
                "ap-southeast-2 ✓6",
                "21 sender IDs",
                "marked 3",
                "AE TRANSACTIONAL · 2 sender IDs · $4.00/mo (+1 unreadable)",
                "[x] ACMEAE",
                "[x] ACMEAUP",
                "[ ] ACMEAU ",
                "?n/a",
                "$2.75",
                "REG",
            ],
        );
        if w >= 120 {
            // The detail pane beside the table shows the row under the cursor.
            assert_has(
                &screen,
                &[
                    "SenderId: ACMEAUX",
                    "registration-4d5e6f7a8b9c43a41526d7e8f90a1b2c",
                ],
            );
        }
        insta::assert_snapshot!(format!("table_loaded_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn render_table_with_an_active_filter_and_a_hidden_mark() {
    for (w, h) in SIZES {
        let mut state = filtered_state();
        let terminal = draw(&mut state, w, h);
        let screen = text(&terminal);
        assert_has(
            &screen,
            &[
                "shown 5",
                "/gb",
                "1 hidden by filter",
                "marked 2",
                "GB TRANSACTIONAL · 3 sender IDs · $30.00/mo",
                "[x] ACMEPROMO",
                "SHAREDCO",
                "shared",
            ],
        );
        assert!(
            !screen.contains("ACMEFR"),
            "the filter hides ACMEFR:\n{screen}"
        );
        insta::assert_snapshot!(format!("table_filtered_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn render_review_sheet_with_hidden_registered_and_excluded_ones() {
    for (w, h) in SIZES {
        let mut state = review_state();
        assert!(matches!(state.mode, Mode::Review(_)));
        let terminal = draw(&mut state, w, h);
        let screen = text(&terminal);
        assert_has(
            &screen,
            &[
                "4 to release",
                "$20.40 (+1 unreadable)",
                "2 of them hidden by the current filter",
                "1 registered",
                "ACMEIN",
                "⚠ YES",
                "ACMEFR",
                "ACMEAE",
                "2 marked will NOT be sent",
                "deletion protection enabled",
                "shared from another account",
                "ACMEOTP",
                "SHAREDCO",
                "release",
                "> rele_",
                "Esc",
            ],
        );
        if w >= 120 {
            // The registration ID is shown when it fits whole.
            assert_has(
                &screen,
                &["⚠ YES registration-1a2b3c4d5e6f40718293a4b5c6d7e8f9"],
            );
        }
        insta::assert_snapshot!(format!("review_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn render_review_sheet_after_a_wrong_word_says_what_to_type() {
    let mut state = review_state();
    dwell(&mut state);
    press(&mut state, KeyCode::Enter);
    let terminal = draw(&mut state, 80, 24);
    let screen = text(&terminal);
    assert_has(&screen, &["type `release` then Enter to confirm"]);
    insta::assert_snapshot!("review_wrong_word_80x24", terminal.backend());
}

#[test]
fn render_detail_after_a_successful_release() {
    for (w, h) in SIZES {
        let mut state = released_state();
        if w < ui::WIDE {
            press(&mut state, KeyCode::Enter);
            assert_eq!(state.mode, Mode::Detail);
        }
        let terminal = draw(&mut state, w, h);
        let screen = text(&terminal);
        assert_has(
            &screen,
            &[
                "RELEASED",
                "SenderIdArn:",
                "arn:aws:sms-voice:eu-west-2:111122223333:sender-id/ACMESG/",
                "SenderId: ACMESG",
                "IsoCountryCode: SG",
                "MessageTypes: TRANSACTIONAL, PROMOTIONAL",
                "MonthlyLeasingPrice: 25.00",
                "Registered: true",
                "RegistrationId:",
                "registration-3c4d5e6f7a8b42930415c6d7e8f90a1b",
                "RequestId: 9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a",
                "release finished: 1 released, 0 failed, 0 unknown, 0 not sent",
            ],
        );
        insta::assert_snapshot!(format!("detail_released_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn render_detail_after_a_release_error() {
    for (w, h) in SIZES {
        let mut state = failed_state();
        if w < ui::WIDE {
            press(&mut state, KeyCode::Enter);
        }
        let terminal = draw(&mut state, w, h);
        let screen = text(&terminal);
        assert_has(
            &screen,
            &[
                "FAILED",
                "Code: ConflictException",
                "Reason: SENDER_ID_ASSOCIATED_TO_POOL",
                "Message: The sender ID is associated with a pool",
                "RequestId: 5e8c1d2a-9b7f-4e3a-8c6d-1f2e3a4b5c6d",
                "0 released, 1 failed",
            ],
        );
        insta::assert_snapshot!(format!("detail_failed_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn render_release_in_progress_with_gauge_and_row_statuses() {
    for (w, h) in SIZES {
        let mut state = loaded();
        let keys = [
            key("ACMEBANK", US),
            key("ACMEPROMO", US),
            key("ACMEINFO", US),
            key("ACMEDE", US),
        ];
        mark(&mut state, &keys);
        let (batch, region, ks) = rereads(&confirm_release(&mut state)).remove(0);
        let sent = release_keys(&update(
            &mut state,
            Action::Reread {
                batch,
                region,
                result: Ok(reread_unchanged(&ks)),
                keys: ks,
            },
        ));
        update(
            &mut state,
            Action::Mutated {
                batch,
                key: sent[0].clone(),
                outcome: released_ok(
                    &record(&sent[0].id, US),
                    "0a0b0c0d-1e1f-4a2b-8c3d-4e5f6a7b8c9d",
                ),
            },
        );
        cursor_to(&mut state, &key("ACMEBANK", US));
        let terminal = draw(&mut state, w, h);
        let screen = text(&terminal);
        assert_has(
            &screen,
            &[
                "releasing 1/4: 1 released, 2 in flight, 1 queued",
                "released",
                "releasing",
                "queued",
                "Esc stop releasing",
            ],
        );
        insta::assert_snapshot!(format!("release_running_{w}x{h}"), terminal.backend());
    }
}

/// The help sheet's "rows X-Y of N": (Y, N).
fn help_rows_shown(screen: &str) -> (usize, usize) {
    let line = screen
        .lines()
        .find_map(|l| l.split("rows ").nth(1))
        .unwrap_or_else(|| panic!("no \"rows X-Y of N\":\n{screen}"));
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    match numbers[..] {
        [_, shown, of, ..] => (shown, of),
        _ => panic!("no \"rows X-Y of N\":\n{screen}"),
    }
}

/// Every page of the help sheet, PgDn after PgDn until its last row shows: each page's screen,
/// and the terminal of the first and of the last.
fn help_pages(
    state: &mut State,
    w: u16,
    h: u16,
) -> (Vec<String>, Terminal<TestBackend>, Terminal<TestBackend>) {
    ch(state, '?');
    let first = draw(state, w, h);
    let mut pages = vec![text(&first)];
    let mut last = draw(state, w, h);
    for _ in 0..20 {
        let (shown, of) = help_rows_shown(&text(&last));
        if shown == of {
            return (pages, first, last);
        }
        press(state, KeyCode::PageDown);
        last = draw(state, w, h);
        pages.push(text(&last));
    }
    panic!("PgDn never reached the end of the help:\n{}", text(&last));
}

#[test]
fn render_help_sheet() {
    for (w, h) in SIZES {
        let mut state = loaded();
        let (pages, first, last) = help_pages(&mut state, w, h);
        let all = pages.join("\n");
        assert_has(
            &all,
            &[
                "keys",
                "mark or unmark the row",
                "mark every visible row",
                "unmark all",
                "sort: country, sender ID, price (high first), region",
                " q  quit (asks first while releases run)",
                "ctrl-c  quit (asks first while releases run)",
                "D, ctrl-d  review the release",
                "reload",
                "type release  then Enter to confirm",
                "any other key  closes this help",
            ],
        );
        // The first and the last lines of the sheet are reachable.
        let rows = keymap::help_rows();
        let line = |row: &keymap::HelpRow| match row {
            keymap::HelpRow::Section(title) => format!("{title}:"),
            keymap::HelpRow::Binding(b) => format!("{}  {}", b.keys_label(), b.help),
            keymap::HelpRow::Note(example, what) => format!("{example}  {what}"),
        };
        let (top, end) = (text(&first), text(&last));
        assert!(top.contains("rows 1-"), "{top}");
        assert!(top.contains(&line(&rows[0])), "{top}");
        assert!(top.contains(&line(&rows[1])), "{top}");
        assert!(end.contains(&format!("of {}", rows.len())), "{end}");
        assert!(end.contains(&line(&rows[rows.len() - 1])), "{end}");
        // And it fits: nothing of it is cut.
        assert!(!all.contains('…'), "{all}");
        insta::assert_snapshot!(format!("help_{w}x{h}"), first.backend());
        insta::assert_snapshot!(format!("help_end_{w}x{h}"), last.backend());
    }
}

#[test]
fn render_read_only_header_badge() {
    for (w, h) in SIZES {
        let mut state = loaded_with(read_only_session());
        let terminal = draw(&mut state, w, h);
        let screen = text(&terminal);
        let first_line = screen.lines().next().unwrap_or_default();
        assert!(first_line.contains("READ-ONLY"), "{first_line}");
        insta::assert_snapshot!(format!("read_only_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn render_read_only_review_says_nothing_will_be_sent() {
    let mut state = loaded_with(read_only_session());
    ch(&mut state, 'a');
    ch(&mut state, 'D');
    let terminal = draw(&mut state, 80, 24);
    let screen = text(&terminal);
    assert_has(
        &screen,
        &[
            "READ-ONLY: nothing will be sent",
            "0 to release",
            "21 marked will NOT be sent",
            "read-only mode",
            "lines 1-",
            " of 22 ·",
            "nothing here can be released",
        ],
    );
    assert!(
        !screen.contains("> _"),
        "no prompt to type the word:\n{screen}"
    );
    insta::assert_snapshot!("review_read_only_80x24", terminal.backend());
    // PgDn reaches the last line: every exclusion can be seen; End and Home jump there and back.
    let last = match &state.mode {
        sidman::state::Mode::Review(sheet) => sheet.excluded.last().map(|(k, _)| k.clone()),
        _ => None,
    }
    .expect("exclusions");
    press(&mut state, KeyCode::PageDown);
    press(&mut state, KeyCode::PageDown);
    let end = text(&draw(&mut state, 80, 24));
    assert_has(&end, &[&format!("{} ", last.id), "lines 10-22 of 22"]);
    press(&mut state, KeyCode::PageUp);
    assert_has(&text(&draw(&mut state, 80, 24)), &["lines 1-13 of 22"]);
    press(&mut state, KeyCode::End);
    assert_has(&text(&draw(&mut state, 80, 24)), &["lines 10-22 of 22"]);
    press(&mut state, KeyCode::Home);
    assert_has(&text(&draw(&mut state, 80, 24)), &["lines 1-13 of 22"]);
}
