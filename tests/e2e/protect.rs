//! Deletion protection through the keys against the emulator: `P` protects three sender IDs
//! (Enter after the dwell; a shared one marked with them is listed apart and never sent), the
//! release review then lists them apart as protected; `P` on one of them, with the typed word
//! `unprotect`, turns it off, and it can then be released. The emulator's state, the requests it
//! received and the journal (which names each operation) are checked, not only the state.

use crate::common::harness::{Harness, Options, WAIT, seed_key};
use crossterm::event::KeyCode;
use sidman::action::{Effect, Outcome};
use sidman::domain::{Key, Mutation};
use sidman::emulator::{CALLER_ACCOUNT, Faults, Seed, SeedSenderId};
use sidman::journal::{Entry, OutcomeKind};
use sidman::state::Mode;
use sidman::state::batch::RowStatus;
use sidman::state::review::Exclusion;

const US: &str = "us-east-1";

/// Three sender IDs of this account in us-east-1, unprotected and in no pool, and a shared one.
fn three_and_a_shared() -> (Vec<Key>, Key) {
    let seed = Seed::demo();
    let in_us = |s: &&SeedSenderId| s.region == US;
    let three: Vec<Key> = seed
        .sender_ids
        .iter()
        .filter(in_us)
        .filter(|s| {
            s.account == CALLER_ACCOUNT && !s.deletion_protection_enabled && s.pool.is_none()
        })
        .take(3)
        .map(seed_key)
        .collect();
    assert_eq!(three.len(), 3, "the demo seed has three to protect");
    let shared = seed
        .sender_ids
        .iter()
        .filter(in_us)
        .find(|s| s.is_shared())
        .map(seed_key)
        .expect("a shared sender ID in us-east-1");
    (three, shared)
}

/// Whether the emulator holds `key` protected (`None`: it is gone).
fn protected_there(h: &Harness, key: &Key) -> Option<bool> {
    h.emulator
        .sender_ids(&key.region)
        .into_iter()
        .find(|s| seed_key(s) == *key)
        .map(|s| s.deletion_protection_enabled)
}

/// The requests of `operation` the emulator received, by SenderId.
fn received(h: &Harness, operation: &str) -> Vec<String> {
    h.emulator
        .received()
        .requests()
        .iter()
        .filter(|r| r.operation == operation)
        .map(|r| r.body["SenderId"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn sheet(h: &Harness) -> &sidman::state::review::ReviewSheet {
    match &h.state().mode {
        Mode::Review(sheet) => sheet,
        _ => panic!("no review sheet: {}", h.summary()),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn protect_three_then_the_release_review_excludes_them_then_unprotect_one_and_release_it() {
    let (three, shared) = three_and_a_shared();
    let mut h = Harness::start(Options::demo(&[US])).await;
    h.load().await;

    // P on the three and the shared one: protection on, the shared one listed apart.
    for k in three.iter().chain([&shared]) {
        h.mark(k);
    }
    h.key(KeyCode::Char('P'));
    let s = sheet(&h);
    assert_eq!(s.mutation, Mutation::SetProtection(true));
    assert_eq!(s.to_release.len(), 3);
    assert_eq!(s.excluded, vec![(shared.clone(), Exclusion::Shared)]);
    let screen = h.screen();
    assert!(
        screen.contains("Turn deletion protection ON for 3 sender IDs"),
        "{screen}"
    );
    assert!(
        screen.contains("shared: owned by another account"),
        "{screen}"
    );
    h.dwell();
    h.key(KeyCode::Enter);
    h.finish_batch().await;
    for k in &three {
        assert_eq!(protected_there(&h, k), Some(true), "{k} is protected there");
        assert!(
            h.record(k).is_some_and(|r| r.deletion_protection),
            "{k} PROT"
        );
    }
    assert_eq!(
        received(&h, "UpdateSenderId").len(),
        3,
        "the shared one never sent"
    );

    // The release review lists them apart as protected; the shared one as shared.
    h.key(KeyCode::Char('D'));
    let s = sheet(&h);
    assert!(s.to_release.is_empty(), "{s:?}");
    for k in &three {
        assert!(
            s.excluded
                .contains(&(k.clone(), Exclusion::DeletionProtection)),
            "{k}: {s:?}"
        );
    }
    h.dwell();
    h.key(KeyCode::Esc);
    assert_eq!(h.state().mode, Mode::Table);

    // Unprotect one: only with the typed word.
    h.key(KeyCode::Char('U'));
    let one = three[0].clone();
    h.mark(&one);
    h.key(KeyCode::Char('P'));
    assert_eq!(sheet(&h).mutation, Mutation::SetProtection(false));
    h.dwell();
    h.key(KeyCode::Enter);
    assert!(
        matches!(h.state().mode, Mode::Review(_)),
        "Enter alone refused"
    );
    h.type_text("unprotect");
    h.key(KeyCode::Enter);
    h.finish_batch().await;
    assert_eq!(protected_there(&h, &one), Some(false));
    assert!(h.record(&one).is_some_and(|r| !r.deletion_protection));

    // Now it can be released.
    h.key(KeyCode::Char('D'));
    assert_eq!(sheet(&h).to_release, vec![one.clone()]);
    h.type_text("release");
    h.dwell();
    h.key(KeyCode::Enter);
    h.finish_batch().await;
    assert_eq!(
        protected_there(&h, &one),
        None,
        "released: gone from the emulator"
    );
    for k in &three[1..] {
        assert_eq!(
            protected_there(&h, k),
            Some(true),
            "{k} still there, protected"
        );
    }
    assert_eq!(received(&h, "ReleaseSenderId"), vec![one.id.clone()]);

    // The journal names each operation, and every intent has its outcome.
    let entries = h.journal();
    let intents: Vec<(Mutation, String)> = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Intent(i) => Some((i.operation, i.sender_id.clone())),
            Entry::Outcome(_) => None,
        })
        .collect();
    let count = |m: Mutation| intents.iter().filter(|(op, _)| *op == m).count();
    assert_eq!(count(Mutation::SetProtection(true)), 3, "{intents:?}");
    assert_eq!(count(Mutation::SetProtection(false)), 1, "{intents:?}");
    assert_eq!(count(Mutation::Release), 1, "{intents:?}");
    let done = entries
        .iter()
        .filter(|e| matches!(e, Entry::Outcome(o) if o.result == OutcomeKind::Done))
        .count();
    assert_eq!(done, 5);

    // The history view says which change each was.
    h.key(KeyCode::Char('h'));
    h.settle_until(|s| s.history.changes.is_some(), WAIT).await;
    let screen = h.screen();
    assert!(
        screen.contains("unprotect") && screen.contains("unprotected"),
        "{screen}"
    );
    assert!(screen.contains("protected"), "{screen}");
    assert!(screen.contains("released"), "{screen}");
}

/// Protection changes whose outcome stayed unknown (every call and re-read answered 500) are
/// settled at the next start by the flag, never as releases: one the service did apply (the test
/// applies it behind sidman's back) took effect, one it did not is unchanged, and one whose
/// sender ID is gone since is settled for good with a note saying it cannot be told.
#[tokio::test(flavor = "multi_thread")]
async fn interrupted_protection_changes_are_settled_by_the_flag_not_as_releases() {
    let (three, _) = three_and_a_shared();
    let mut h = Harness::start(Options::demo(&[US])).await;
    h.load().await;
    for k in &three {
        h.mark(k);
    }
    h.key(KeyCode::Char('P'));
    h.dwell();
    h.key(KeyCode::Enter);
    let effects = h
        .settle_until_effect(|e| matches!(e, Effect::Mutate { .. }), WAIT)
        .await;
    let sending = effects
        .iter()
        .filter(|e| matches!(e, Effect::Mutate { .. }))
        .count();
    assert_eq!(sending, 3, "all three sent at once");
    h.emulator.set_faults(Faults {
        internal_error_probability: 1.0,
        ..Faults::default()
    });
    h.spawn(effects);
    h.finish_batch().await;
    for k in &three {
        assert!(
            matches!(h.status(k), Some(RowStatus::Ended(Outcome::Unknown { .. }))),
            "{k}: {}",
            h.summary()
        );
        assert_eq!(protected_there(&h, k), Some(false), "nothing applied");
    }
    assert_eq!(sidman::journal::unsettled(&h.journal()).len(), 3);

    // The service recovers. Behind sidman's back: the first was protected after all, the third
    // released.
    h.emulator.set_faults(Faults::default());
    let client = h.client(US);
    client
        .update_sender_id()
        .sender_id(&three[0].id)
        .iso_country_code(&three[0].country)
        .deletion_protection_enabled(true)
        .send()
        .await
        .expect("protect behind sidman's back");
    client
        .release_sender_id()
        .sender_id(&three[2].id)
        .iso_country_code(&three[2].country)
        .send()
        .await
        .expect("release behind sidman's back");
    let settled = h.settle_journal(Some(CALLER_ACCOUNT)).await;
    assert_eq!(
        (
            settled.released,
            settled.not_released,
            settled.protection_changed,
            settled.protection_unchanged,
            settled.protection_gone,
            settled.left_total()
        ),
        (0, 0, 1, 1, 1, 0),
        "{settled:?}"
    );
    let summary = settled.summary().unwrap_or_default();
    assert!(summary.contains("protection change(s)"), "{summary}");
    assert!(!summary.contains("release"), "{summary}");
    assert!(sidman::journal::unsettled(&h.journal()).is_empty());
    assert_eq!(
        h.emulator.received().count("ReleaseSenderId"),
        1,
        "only the test's"
    );
}
