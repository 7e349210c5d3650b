//! Errors on screen: when regions fail, the status line says the first one, the body says the
//! regions failed (never "no sender IDs"), the header names each with a word or two, and the
//! errors sheet (`e`) shows every region's whole sentence, wrapped, with the fix. The header
//! says whose account and whose credentials.

use crate::common::fixtures::*;
use crate::common::screen::{draw, text};
use crossterm::event::KeyCode;
use sidman::aws::{ApiError, ErrorKind};
use sidman::domain::{Cause, Ownership};
use sidman::state::{Mode, Session, State};

fn timeout() -> ApiError {
    ApiError::bare(
        ErrorKind::NoAnswer,
        "Timeout",
        "operation timeout (all attempts)",
    )
    .because(Cause::Timeout { secs: 15 })
}

fn not_the_service() -> ApiError {
    ApiError::bare(
        ErrorKind::Service,
        "UnknownError",
        "HTTP 501 with no error code",
    )
    .because(Cause::NotTheService { status: 501 })
}

fn denied() -> ApiError {
    ApiError::bare(
        ErrorKind::Service,
        "AccessDeniedException",
        "not authorized",
    )
    .because(Cause::AccessDenied {
        action: "sms-voice:DescribeSenderIds".to_owned(),
        reason: None,
    })
}

/// Every region of the fixtures failed: a timeout, an endpoint that is not the service, and
/// access denied.
fn all_failed(session: Session) -> State {
    let mut state = State::new(session);
    let generation = generation_of(&state.reload());
    for (region, error) in [(US, timeout()), (EU, not_the_service()), (AP, denied())] {
        for ownership in [Ownership::Own, Ownership::Shared] {
            listed(
                &mut state,
                generation,
                region,
                ownership,
                Err(error.clone()),
            );
        }
    }
    state
}

#[test]
fn every_region_failed_says_so_and_the_errors_sheet_shows_each_sentence() {
    let mut state = all_failed(session());
    assert!(state.every_region_failed());
    let screen = text(&draw(&mut state, 80, 24));
    assert!(
        screen.contains("every region failed to load: e shows why"),
        "{screen}"
    );
    assert!(
        !screen.contains("no sender IDs in these regions"),
        "{screen}"
    );
    assert!(screen.contains("account unknown · profile ops"), "{screen}");
    assert!(screen.contains("ap-southeast-2 access denied"), "{screen}");
    assert!(
        screen.contains("e errors"),
        "the footer offers e:\n{screen}"
    );
    for bad in ["Timeout:", "UnknownError", "{", "Some("] {
        assert!(!screen.contains(bad), "{bad:?} on screen:\n{screen}");
    }

    ch(&mut state, 'e');
    assert_eq!(state.mode, Mode::Errors);
    let terminal = draw(&mut state, 80, 24);
    let sheet = text(&terminal);
    // Each sentence whole, wrapped within the sheet: its last words are on screen.
    for needle in [
        "3 errors",
        "us-east-1: the service did not answer within 15 s",
        "or --endpoint-url)",
        "eu-west-2: the endpoint answered HTTP 501 but is not End User",
        "AWS_ENDPOINT_URL)",
        "ap-southeast-2: access denied: the credentials may not call",
        "sms-voice:DescribeSenderIds",
        "section)",
    ] {
        assert!(sheet.contains(needle), "{needle:?} on the sheet:\n{sheet}");
    }
    insta::assert_snapshot!("errors_sheet_80x24", terminal.backend());

    // Any other key closes it.
    ch(&mut state, 'z');
    assert_eq!(state.mode, Mode::Table);
}

#[test]
fn the_errors_sheet_moves_like_every_list_when_it_is_taller_than_the_terminal() {
    // Twelve regions, each failed: more sentences than 80x24 shows at once.
    let regions: Vec<String> = (1..=12).map(|n| format!("xx-test-{n:02}")).collect();
    let mut state = State::new(Session {
        regions: regions.clone(),
        ..session()
    });
    let generation = generation_of(&state.reload());
    for region in &regions {
        for ownership in [Ownership::Own, Ownership::Shared] {
            listed(&mut state, generation, region, ownership, Err(denied()));
        }
    }
    ch(&mut state, 'e');
    let top = text(&draw(&mut state, 80, 24));
    assert!(top.contains("12 errors"), "{top}");
    assert!(top.contains("xx-test-01: access denied"), "{top}");
    assert!(top.contains("lines 1-18 of "), "{top}");
    assert!(!top.contains("xx-test-12:"), "{top}");
    // End shows the last region's sentence whole, with the position line.
    press(&mut state, KeyCode::End);
    let end = text(&draw(&mut state, 80, 24));
    assert!(end.contains("xx-test-12: access denied"), "{end}");
    assert!(end.contains("section)"), "its last words:\n{end}");
    let len = sidman::state::errors::lines(&state).len();
    assert!(end.contains(&format!("-{len} of {len}")), "{end}");
    // j/k and g move it as they move every list; the sheet stays open.
    ch(&mut state, 'k');
    ch(&mut state, 'g');
    assert_eq!(state.mode, Mode::Errors);
    assert!(text(&draw(&mut state, 80, 24)).contains("lines 1-18 of "));
}

#[test]
fn some_regions_failed_with_nothing_listed_says_some_failed() {
    let mut state = State::new(session());
    let generation = generation_of(&state.reload());
    for ownership in [Ownership::Own, Ownership::Shared] {
        listed(&mut state, generation, US, ownership, Err(timeout()));
        listed(&mut state, generation, EU, ownership, Ok(()));
        listed(&mut state, generation, AP, ownership, Ok(()));
    }
    let screen = text(&draw(&mut state, 80, 24));
    assert!(
        screen.contains("no sender IDs in the regions that loaded; some failed: e shows why"),
        "{screen}"
    );
    assert!(
        screen.contains("account unknown (no sender IDs) · profile ops"),
        "{screen}"
    );
}

#[test]
fn the_header_names_the_account_and_where_the_credentials_came_from() {
    let mut state = loaded_with(Session {
        credentials: "environment".to_owned(),
        ..session()
    });
    let screen = text(&draw(&mut state, 80, 24));
    let first = screen.lines().next().unwrap_or_default();
    assert!(
        first.contains(&format!("account {ACCOUNT} · environment")),
        "{first}"
    );
    assert!(!first.contains("profile"), "{first}");

    // While loading, the account is not known yet; SSO's account shows at once.
    let mut loading = State::new(Session {
        credentials: "SSO, profile ops".to_owned(),
        ..session()
    });
    loading.reload();
    let first = text(&draw(&mut loading, 80, 24));
    assert!(first.contains("account … · SSO, profile ops"), "{first}");
    let mut sso = State::new(Session {
        credentials: "SSO, profile ops".to_owned(),
        account: Some("999988887777".to_owned()),
        ..session()
    });
    sso.reload();
    let first = text(&draw(&mut sso, 80, 24));
    assert!(
        first.contains("account 999988887777 · SSO, profile ops"),
        "{first}"
    );
}

#[test]
fn why_changes_are_disabled_is_on_the_errors_sheet_whole() {
    let why = "releases disabled: ~/.local/state/sidman/journal.jsonl is a symbolic link, which \
               sidman never follows (remove it; sidman creates the journal itself)";
    let mut state = loaded_with(Session {
        journal_error: Some(why.to_owned()),
        ..session()
    });
    ch(&mut state, 'e');
    assert_eq!(state.mode, Mode::Errors, "e is offered: {:?}", state.notice);
    let sheet = text(&draw(&mut state, 80, 24));
    assert!(sheet.contains("1 error"), "{sheet}");
    assert!(
        sheet.contains("sidman creates the journal itself)"),
        "{sheet}"
    );
}
