//! Pure state transitions of the resilience rules: a batch paused by expired credentials or by a
//! service that keeps throttling (queue kept, `R` resumes), a journal failure that stops the whole
//! batch, pacing reports that widen a region's calls in flight, and the header showing throttling
//! and the ETA. No terminal, no network, no clock.

use crate::common::fixtures::*;
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use sidman::action::{Action, Effect, Outcome};
use sidman::aws::{ApiError, ErrorKind};
use sidman::domain::Key;
use sidman::pacing::PacingStats;
use sidman::state::batch::{PER_REGION_IN_FLIGHT, Phase, RowStatus};
use sidman::state::{Mode, State, update};
use sidman::ui::{self, Theme, Viewport};

fn error(kind: ErrorKind, code: &str, message: &str) -> ApiError {
    ApiError {
        kind,
        code: code.to_owned(),
        reason: None,
        message: message.to_owned(),
        request_id: None,
        resource_type: None,
        resource_id: None,
        fields: Vec::new(),
        cause: None,
    }
}

fn expired() -> Outcome {
    failed(error(
        ErrorKind::Service,
        "ExpiredTokenException",
        "The security token included in the request is expired",
    ))
}

fn released(state: &mut State, batch: u64, k: &Key, outcome: Outcome) -> Vec<Effect> {
    update(
        state,
        Action::Mutated {
            batch,
            key: k.clone(),
            outcome,
        },
    )
}

fn ok(k: &Key) -> Outcome {
    let r = records()
        .into_iter()
        .find(|r| r.key() == *k)
        .expect("fixture");
    released_ok(&r, "11111111-2222-4333-8444-555555555555")
}

fn pacing(rps: f64, throttled: u64) -> PacingStats {
    PacingStats {
        read_rps: 50.0,
        release_rps: rps,
        update_rps: rps,
        throttled,
        gave_up: 0,
    }
}

/// Marks, confirms, answers the re-reads unchanged; returns the batch and the first releases.
fn start(state: &mut State, keys: &[Key]) -> (u64, Vec<Key>) {
    mark(state, keys);
    let effects = confirm_release(state);
    let reads = rereads(&effects);
    let batch = reads[0].0;
    let mut sent = Vec::new();
    for (b, region, ks) in reads {
        sent.extend(release_keys(&update(
            state,
            Action::Reread {
                batch: b,
                region,
                result: Ok(reread_unchanged(&ks)),
                keys: ks,
            },
        )));
    }
    (batch, sent)
}

fn us_keys() -> Vec<Key> {
    ["ACMEBANK", "ACMEPROMO", "ACMEINFO", "ACMEDE", "ACMEIN"]
        .iter()
        .map(|id| key(id, US))
        .collect()
}

fn phase(state: &State) -> Phase {
    state.batch.as_ref().expect("a batch").phase()
}

#[test]
fn expired_credentials_pause_the_batch_keep_the_queue_and_r_resumes_it() {
    let mut state = loaded();
    let keys = us_keys();
    let (batch, first) = start(&mut state, &keys);
    assert_eq!(first.len(), PER_REGION_IN_FLIGHT);

    let more = released(&mut state, batch, &first[0], expired());
    assert!(more.is_empty(), "nothing new is sent: {more:?}");
    assert_eq!(phase(&state), Phase::Paused);
    assert!(matches!(
        state.status(&first[0]).map(|(_, s)| s),
        Some(RowStatus::Queued(_))
    ));
    assert!(state.marks().contains(&first[0]), "marks are intact");
    let notice = state.notice.clone().unwrap_or_default();
    assert!(notice.contains("aws sso login") && notice.contains("press R"));
    let b = state.batch.as_ref().expect("batch");
    assert_eq!((b.tally().failed, b.tally().queued), (0, keys.len() - 1));
    assert!(state.releasing(), "a paused batch still holds work");

    // The other call in flight ends too; still nothing new.
    assert!(released(&mut state, batch, &first[1], ok(&first[1])).is_empty());
    assert_eq!(phase(&state), Phase::Paused);
    // D is refused while paused, with the way out.
    ch(&mut state, 'D');
    assert_eq!(state.mode, Mode::Table);
    assert!(
        state
            .notice
            .as_deref()
            .unwrap_or_default()
            .contains("R resumes")
    );

    // R (typed a moment later: keys typed on right after a refusal are discarded): the refused
    // one goes first, then the queue, as many as the region allows.
    pass(&mut state, sidman::state::REFUSAL_HOLD);
    let resumed = release_keys(&ch(&mut state, 'R'));
    assert_eq!(phase(&state), Phase::Sending);
    assert_eq!(resumed.first(), Some(&first[0]));
    assert_eq!(resumed.len(), PER_REGION_IN_FLIGHT);
    let mut in_flight = resumed;
    while let Some(k) = in_flight.pop() {
        in_flight.extend(release_keys(&released(&mut state, batch, &k, ok(&k))));
    }
    assert_eq!(phase(&state), Phase::Finished);
    assert_eq!(
        state.batch.as_ref().map(|b| b.tally().done),
        Some(keys.len())
    );
}

#[test]
fn a_service_that_keeps_throttling_pauses_the_batch_and_esc_gives_up() {
    let mut state = loaded();
    let keys = us_keys();
    let (batch, first) = start(&mut state, &keys);
    let gave_up = failed(error(
        ErrorKind::Throttled,
        "ThrottlingException",
        "the service throttled 12 attempts over 30 s; sidman gave up on this call",
    ));
    assert!(released(&mut state, batch, &first[0], gave_up).is_empty());
    assert_eq!(phase(&state), Phase::Paused);
    assert!(
        state
            .notice
            .as_deref()
            .unwrap_or_default()
            .contains("kept throttling")
    );
    assert!(matches!(
        state.status(&first[0]).map(|(_, s)| s),
        Some(RowStatus::Queued(_))
    ));
    press(&mut state, KeyCode::Esc);
    assert_eq!(phase(&state), Phase::Stopped, "one call is still in flight");
    assert!(released(&mut state, batch, &first[1], ok(&first[1])).is_empty());
    assert_eq!(phase(&state), Phase::Finished);
    for k in keys.iter().filter(|k| **k != first[1]) {
        assert_eq!(
            state.status(k).map(|(_, s)| s),
            Some(&RowStatus::Cancelled),
            "{k}"
        );
    }
}

#[test]
fn expired_credentials_during_the_check_hold_the_reread_until_r() {
    let mut state = loaded();
    let keys = us_keys();
    mark(&mut state, &keys);
    let effects = confirm_release(&mut state);
    let (batch, region, ks) = rereads(&effects).remove(0);
    let effects = update(
        &mut state,
        Action::Reread {
            batch,
            region: region.clone(),
            keys: ks.clone(),
            result: Err(error(
                ErrorKind::NotSent,
                sidman::aws::CREDENTIALS_ERROR,
                "the SSO session has expired",
            )),
        },
    );
    assert!(effects.is_empty());
    assert_eq!(phase(&state), Phase::Paused);
    for k in &keys {
        assert_eq!(state.status(k).map(|(_, s)| s), Some(&RowStatus::Verifying));
    }
    let again = rereads(&ch(&mut state, 'R'));
    assert_eq!(again, vec![(batch, region, ks)], "the same re-read, again");
    assert_eq!(phase(&state), Phase::Verifying);
}

#[test]
fn a_journal_that_cannot_take_an_intent_stops_the_whole_batch() {
    let mut state = loaded();
    let keys = us_keys();
    let (batch, first) = start(&mut state, &keys);
    let more = released(&mut state, batch, &first[0], ok(&first[0]));
    assert_eq!(more.len(), 1, "one result frees one slot");
    let refused = Outcome::Unjournaled(
        "could not write the journal (No space left on device); nothing was sent".to_owned(),
    );
    let after = released(&mut state, batch, &first[1], refused);
    assert!(after.is_empty(), "no release starts after it: {after:?}");
    assert!(matches!(
        state.status(&first[1]).map(|(_, s)| s),
        Some(RowStatus::Ended(Outcome::Unjournaled(why))) if why.contains("nothing was sent")
    ));
    let b = state.batch.clone().expect("batch");
    assert_eq!(b.phase(), Phase::Stopped, "{:?}", state.notice);
    assert!(state.session.journal_error.is_some());
    assert!(
        state
            .notice
            .as_deref()
            .unwrap_or_default()
            .contains("journal cannot be written")
    );
    // The last call in flight ends; the batch finishes, still saying why.
    assert!(released(&mut state, batch, &more_key(&more), ok(&more_key(&more))).is_empty());
    assert_eq!(phase(&state), Phase::Finished);
    assert!(
        state
            .notice
            .as_deref()
            .unwrap_or_default()
            .contains("journal")
    );
    let cancelled = keys
        .iter()
        .filter(|k| state.status(k).map(|(_, s)| s) == Some(&RowStatus::Cancelled))
        .count();
    assert_eq!(cancelled, keys.len() - 3);
}

fn more_key(effects: &[Effect]) -> Key {
    release_keys(effects).remove(0)
}

#[test]
fn a_journal_failure_reported_mid_batch_stops_scheduling() {
    let mut state = loaded();
    let keys = us_keys();
    let (batch, first) = start(&mut state, &keys);
    assert!(update(&mut state, Action::JournalFailed("disk full".into())).is_empty());
    assert_eq!(phase(&state), Phase::Stopped);
    assert!(released(&mut state, batch, &first[0], ok(&first[0])).is_empty());
    assert!(released(&mut state, batch, &first[1], ok(&first[1])).is_empty());
    assert_eq!(phase(&state), Phase::Finished);
    ch(&mut state, 'D');
    let Mode::Review(sheet) = &state.mode else {
        panic!("the sheet opens to explain");
    };
    assert!(sheet.to_release.is_empty(), "{sheet:?}");
}

#[test]
fn pacing_reports_widen_the_calls_in_flight_and_show_in_the_header() {
    let mut state = loaded();
    let keys = us_keys();
    let (batch, first) = start(&mut state, &keys);
    assert_eq!(first.len(), PER_REGION_IN_FLIGHT);
    let more = release_keys(&update(
        &mut state,
        Action::Pacing {
            region: US.to_owned(),
            stats: pacing(20.0, 3),
        },
    ));
    assert_eq!(
        more.len(),
        keys.len() - PER_REGION_IN_FLIGHT,
        "20/s takes all five"
    );
    // Slower again: nothing is taken back, and no more is sent until below the new limit.
    assert!(
        update(
            &mut state,
            Action::Pacing {
                region: US.to_owned(),
                stats: pacing(1.0, 9),
            },
        )
        .is_empty()
    );
    let b = state.batch.as_ref().expect("batch");
    assert_eq!(b.id, batch);
    let eta = b.eta_secs(|r| state.pacing.get(r).map(|p| p.release_rps));
    assert_eq!(eta, Some(5.0), "five left at 1/s");

    let mut terminal = Terminal::new(TestBackend::new(150, 45)).expect("terminal");
    let mut viewport = Viewport::default();
    terminal
        .draw(|f| ui::render(f, &state, &mut viewport, Theme::plain()))
        .expect("draw");
    let screen: String = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(screen.contains("throttled 9×"), "{screen}");
    assert!(screen.contains("ETA 0:05"), "{screen}");
}
