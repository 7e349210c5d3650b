//! Pools before a release, through the keys against the emulator: a pooled sender ID is listed
//! apart on the review and never sent; where pools cannot be read (AccessDenied), the review says
//! membership is unknown, the pooled one is sent and fails, and its reason is shown — in the
//! detail pane's outcome and, after a reload, in the history read from the journal.

use crate::common::harness::{Harness, Options, WAIT, seed_key};
use crossterm::event::KeyCode;
use sidman::domain::{Key, Outcome};
use sidman::emulator::{CALLER_ACCOUNT, Faults, Seed};
use sidman::state::Mode;
use sidman::state::batch::RowStatus;

const US: &str = "us-east-1";
const EU: &str = "eu-west-1";

/// A pooled sender ID of the demo this account can release but for its pool, and one in no pool.
fn pooled_and_free() -> (Key, Key) {
    let seed = Seed::demo();
    let ok = |s: &&sidman::emulator::SeedSenderId| {
        (s.region == US || s.region == EU)
            && !s.deletion_protection_enabled
            && s.account == CALLER_ACCOUNT
    };
    let pooled = seed
        .sender_ids
        .iter()
        .filter(ok)
        .find(|s| s.pool.is_some())
        .map(seed_key)
        .expect("a pooled sender ID");
    let free = seed
        .sender_ids
        .iter()
        .filter(ok)
        .find(|s| s.pool.is_none())
        .map(seed_key)
        .expect("a sender ID in no pool");
    (pooled, free)
}

fn confirm(h: &mut Harness) {
    h.key(KeyCode::Char('D'));
    assert!(matches!(h.state().mode, Mode::Review(_)), "{}", h.summary());
    h.type_text("release");
    h.dwell();
    h.key(KeyCode::Enter);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pooled_sender_id_is_listed_apart_and_never_sent() {
    let (pooled, free) = pooled_and_free();
    let mut h = Harness::start(Options::demo(&[US, EU])).await;
    h.load().await;
    h.settle_until(|s| !s.pools.pending(), WAIT).await;
    h.mark(&pooled);
    h.mark(&free);
    h.key(KeyCode::Char('D'));
    let screen = h.screen();
    assert!(
        screen.contains("in pool pool-") && screen.contains("remove it from the pool first"),
        "{screen}"
    );
    h.key(KeyCode::Esc);
    h.emulator.clear_received();
    confirm(&mut h);
    h.finish_batch().await;
    let received = h.emulator.received();
    assert_eq!(
        received.count("ReleaseSenderId"),
        1,
        "only the free one is sent"
    );
    assert!(matches!(
        h.status(&free),
        Some(RowStatus::Ended(Outcome::Done { .. }))
    ));
    assert!(matches!(h.status(&pooled), Some(RowStatus::Excluded(why)) if why.contains("pool-")));
}

#[tokio::test(flavor = "multi_thread")]
async fn with_pools_unreadable_the_failure_reason_is_shown_and_kept_in_the_history() {
    let (pooled, _) = pooled_and_free();
    let mut options = Options::demo(&[US, EU]);
    options.faults = Faults {
        denied_operations: vec!["DescribePools".to_owned()],
        ..Faults::default()
    };
    let mut h = Harness::start(options).await;
    h.load().await;
    h.settle_until(|s| !s.pools.pending(), WAIT).await;
    h.mark(&pooled);
    h.key(KeyCode::Char('D'));
    let review = h.screen();
    assert!(review.contains("pool membership unknown in"), "{review}");
    h.key(KeyCode::Esc);
    confirm(&mut h);
    h.finish_batch().await;
    match h.status(&pooled) {
        Some(RowStatus::Ended(Outcome::Failed { error, .. })) => {
            assert_eq!(
                error.reason.as_deref(),
                Some("SENDER_ID_ASSOCIATED_TO_POOL")
            );
        }
        other => panic!("sent and refused for its pool, got {other:?}"),
    }
    // A reload forgets this session's statuses; the history reads the journal.
    h.key(KeyCode::Char('r'));
    h.load().await;
    h.key(KeyCode::Char('h'));
    h.settle_until(|s| s.history.changes.is_some(), WAIT).await;
    let change = h.state().history.current().cloned().expect("the release");
    assert_eq!(change.intent.sender_id, pooled.id);
    assert_eq!(change.status(), "FAILED");
    let screen = h.screen();
    assert!(
        screen.contains("release history") && screen.contains("SENDER_ID_ASSOCIATED_TO_POOL"),
        "{screen}"
    );
    // Enter opens the whole record: the error's message and request ID.
    h.key(KeyCode::Enter);
    let record = h.screen();
    assert!(
        record.contains("outcome.error.message") && record.contains("outcome.request_id"),
        "{record}"
    );
}
