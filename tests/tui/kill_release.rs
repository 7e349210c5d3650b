//! Interrupted bulk releases, with the real binary: sidman runs in a detached tmux session (its
//! own tmux server) against the emulator of this test on 127.0.0.1 with 250 ms of latency, the
//! operator's keys start a bulk release, and sidman is killed in the middle of it — SIGKILL (no
//! chance to record anything) or SIGHUP (the SSH link dropped: stop scheduling, finish and record
//! what is in flight, exit non-zero). Then sidman is started again on the same state directory:
//! the journal is reconciled at start-up and tells exactly what happened to each sender ID.
//! Waits poll the screen, the journal or the emulator (bounded); nothing asserts timing.
//! tmux is required (CI installs it).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::audit::{assert_consistent, outcomes, release_calls};
use crate::common::harness::seed_key;
use crate::common::tmux::{Session, Tmux, poll};
use sidman::domain::Key;
use sidman::emulator::{Emulator, EmulatorConfig, Faults, Seed};
use sidman::journal::{self, Entry};

const US: &str = "us-east-1";
/// Enough to keep several releases in flight at sidman's 20 releases/s (about five), short
/// enough that the re-read before the batch (one call per 5 sender IDs, one after the other) and
/// the batch itself take a second or two.
const LATENCY: Duration = Duration::from_millis(250);
/// Sender IDs in the emulator, all of them released in one batch.
const COUNT: usize = 30;
const POLL: Duration = Duration::from_millis(50);

fn signal(pid: &str, sig: &str) {
    let out = Command::new("kill")
        .args([sig, pid])
        .output()
        .expect("run kill");
    assert!(out.status.success(), "kill {sig} {pid}");
}

fn entries(path: &Path) -> Vec<Entry> {
    journal::read(path).map(|(e, _)| e).unwrap_or_default()
}

fn intents(entries: &[Entry]) -> usize {
    entries
        .iter()
        .filter(|e| matches!(e, Entry::Intent(_)))
        .count()
}

struct Setup {
    emulator: Emulator,
    seeded: BTreeSet<Key>,
    tmux: Tmux,
    args: String,
}

/// The emulator with [`COUNT`] sender IDs, and sidman started on it in the middle of a bulk release
/// of all of them, with at least three calls in flight (intents without outcome).
async fn release_in_flight() -> (Setup, Session) {
    let seed = Seed::empty().with_synthetic(&[US], COUNT);
    let seeded: BTreeSet<Key> = seed.sender_ids.iter().map(seed_key).collect();
    let emulator = Emulator::start(EmulatorConfig {
        seed,
        faults: Faults {
            latency: LATENCY,
            ..Faults::default()
        },
        ..EmulatorConfig::default()
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
    let args = format!("--region {US} --endpoint-url {url}");
    let session = tmux.start(120, 40, &args);
    tmux.wait_screen(&session, "the inventory", |s| {
        s.contains(&format!("{COUNT} sender IDs"))
    });
    tmux.keys(&session, &["a"]);
    tmux.wait_screen(&session, "every row marked", |s| {
        s.contains(&format!("marked {COUNT} ")) && !s.contains("reading pools")
    });
    tmux.keys(&session, &["D"]);
    tmux.confirm_release(&session);
    let path = tmux.journal();
    poll("releases in flight", || {
        let e = entries(&path);
        let open = journal::unsettled(&e).len();
        (open >= 3 && intents(&e) > open).then_some(())
    })
    .expect("releases in flight");
    (
        Setup {
            emulator,
            seeded,
            tmux,
            args,
        },
        session,
    )
}

/// Waits until the emulator has answered every ReleaseSenderId sidman sent (each intent's call
/// reached it) or the latency has surely passed, so that nothing lands after the re-reads.
fn let_in_flight_land(setup: &Setup) {
    let sent = intents(&entries(&setup.tmux.journal()));
    let start = Instant::now();
    while setup.emulator.received().count("ReleaseSenderId") < sent && start.elapsed() < LATENCY * 4
    {
        std::thread::sleep(POLL);
    }
}

/// Starts sidman again on the same state directory (with `args`) and returns the journal and
/// the screen once the inventory has loaded and `settled` holds on the screen.
fn restart_with(
    setup: &mut Setup,
    args: &str,
    settled: impl Fn(&str) -> bool,
) -> (Vec<Entry>, String) {
    let again = setup.tmux.start(120, 40, args);
    let screen = setup
        .tmux
        .wait_screen(&again, "the inventory, settled", |s| {
            s.contains(&format!("regions {US} ✓")) && settled(s)
        });
    setup.tmux.keys(&again, &["q"]);
    assert_eq!(setup.tmux.wait_exit(&again), "EXIT=0");
    (entries(&setup.tmux.journal()), screen)
}

/// Starts sidman again on the same emulator and state directory, once reconciliation said
/// `settled`.
fn restart_and_reconcile(
    setup: &mut Setup,
    settled: impl Fn(&str) -> bool,
) -> (Vec<Entry>, String) {
    let args = setup.args.clone();
    restart_with(setup, &args, settled)
}

fn present(emulator: &Emulator) -> BTreeSet<Key> {
    emulator.sender_ids(US).iter().map(seed_key).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn sigkill_mid_release_then_restart_reconciles_every_intent() {
    let (mut setup, session) = release_in_flight().await;
    signal(&session.pid(), "-KILL");
    assert_eq!(
        setup.tmux.wait_exit(&session),
        "EXIT=137",
        "killed by SIGKILL"
    );
    let before = entries(&setup.tmux.journal());
    let open = journal::unsettled(&before);
    assert!(!open.is_empty(), "killed with calls in flight");
    let_in_flight_land(&setup);

    // Started against another endpoint (same profile, same region, same account ID): it is not
    // the service the intents were sent to, so nothing is settled there, and the start-up line
    // says what is left for which service.
    let other = Emulator::start(EmulatorConfig {
        seed: Seed::empty().with_synthetic(&[US], COUNT),
        ..EmulatorConfig::default()
    })
    .await
    .expect("a second emulator");
    let first_url = setup.emulator.endpoint_url();
    let elsewhere = format!("--region {US} --endpoint-url {}", other.endpoint_url());
    let left = format!(
        "{} left for account {} at {first_url}",
        open.len(),
        sidman::emulator::CALLER_ACCOUNT
    );
    let (untouched, screen) = restart_with(&mut setup, &elsewhere, |s| s.contains("left for"));
    assert!(screen.contains(&left), "{screen}");
    assert_eq!(
        untouched, before,
        "nothing was settled against the other endpoint"
    );
    assert_eq!(other.received().count("ReleaseSenderId"), 0);
    assert!(
        other.sender_ids(US).len() == COUNT,
        "the other service is untouched"
    );

    // Back on the service they were sent to, they are settled.
    let (after, screen) = restart_and_reconcile(&mut setup, |s| s.contains("interrupted release"));
    assert!(
        screen.contains(&format!(
            "journal: {} interrupted release(s) settled by re-reading",
            open.len()
        )),
        "{screen}"
    );
    assert!(journal::unsettled(&after).is_empty(), "{after:#?}");
    let now = present(&setup.emulator);
    assert_consistent(&after, &setup.seeded, &now, &setup.emulator.received());
    // The interrupted ones are told apart exactly: gone → released, there → not released.
    let by_key = outcomes(&after);
    for intent in &open {
        let key = crate::common::audit::intent_key(intent);
        let last = by_key[&key].last().copied().flatten();
        let expected = if now.contains(&key) {
            journal::OutcomeKind::Failed
        } else {
            journal::OutcomeKind::Done
        };
        assert_eq!(last, Some(expected), "{key}");
    }
    // The kill stopped the batch: some confirmed sender IDs were never sent, and are still there.
    let sent: BTreeSet<Key> = release_calls(&setup.emulator.received())
        .into_keys()
        .collect();
    assert!(sent.len() < setup.seeded.len());
    for key in setup.seeded.difference(&sent) {
        assert!(now.contains(key), "{key} was never sent and is still there");
    }
    println!(
        "SIGKILL: {} intents before the kill, {} without outcome; after the restart {} entries, \
         {} sender IDs released, {} still there",
        intents(&before),
        open.len(),
        after.len(),
        setup.seeded.len() - now.len(),
        now.len()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sighup_mid_release_records_what_was_in_flight_and_exits_non_zero() {
    let (mut setup, session) = release_in_flight().await;
    signal(&session.pid(), "-HUP");
    assert_eq!(
        setup.tmux.wait_exit(&session),
        "EXIT=130",
        "a signal ends with 130"
    );
    let before = entries(&setup.tmux.journal());
    assert!(
        journal::unsettled(&before).is_empty(),
        "every call in flight was recorded before exiting: {before:#?}"
    );
    let now = present(&setup.emulator);
    assert_consistent(&before, &setup.seeded, &now, &setup.emulator.received());
    assert!(
        intents(&before) < setup.seeded.len(),
        "scheduling stopped: not everything was sent"
    );

    let (after, screen) = restart_and_reconcile(&mut setup, |_| true);
    assert!(!screen.contains("interrupted release"), "{screen}");
    assert_eq!(after, before, "nothing left to settle");
    assert_consistent(
        &after,
        &setup.seeded,
        &present(&setup.emulator),
        &setup.emulator.received(),
    );
    println!(
        "SIGHUP: {} intents, all with an outcome; {} sender IDs released, {} still there",
        intents(&before),
        setup.seeded.len() - now.len(),
        now.len()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_sidman_browses_but_never_settles_or_releases() {
    let (mut setup, first) = release_in_flight().await;
    let pid = first.pid();
    let args = setup.args.clone();
    let second = setup.tmux.start(120, 40, &args);
    setup
        .tmux
        .wait_screen(&second, "the second's first screen", |s| {
            s.contains(&format!(
                "another sidman (pid {pid}) holds the journal: releases are disabled here"
            )) && s.contains(&format!("regions {US} ✓"))
        });
    setup.tmux.keys(&second, &["a"]);
    setup.tmux.wait_screen(&second, "every row marked", |s| {
        s.contains("· marked ") && !s.contains("reading pools")
    });
    setup.tmux.keys(&second, &["D"]);
    setup
        .tmux
        .wait_screen(&second, "nothing it can release", |s| {
            s.contains("0 to release") && s.contains("journal is not available")
        });
    setup.tmux.keys(&second, &["Escape"]);
    setup.tmux.keys(&second, &["q"]);
    assert_eq!(setup.tmux.wait_exit(&second), "EXIT=0");

    setup
        .tmux
        .wait_screen(&first, "the first's batch finished", |s| {
            s.contains("release finished")
        });
    setup.tmux.keys(&first, &["q"]);
    assert_eq!(setup.tmux.wait_exit(&first), "EXIT=0");
    let after = entries(&setup.tmux.journal());
    // Each intent has exactly one outcome: the first's own; the second settled nothing.
    let mut outcomes_of: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for e in &after {
        if let Entry::Outcome(o) = e {
            *outcomes_of.entry(o.id.as_str()).or_default() += 1;
        }
    }
    for e in &after {
        if let Entry::Intent(i) = e {
            assert_eq!(outcomes_of.get(i.id.as_str()), Some(&1), "{i:?}");
        }
    }
    assert!(
        after.iter().all(|e| !matches!(e, Entry::Outcome(o)
            if o.note.as_deref().is_some_and(|n| n.contains("settled at start-up")))),
        "nothing was settled by the second sidman"
    );
    assert_consistent(
        &after,
        &setup.seeded,
        &present(&setup.emulator),
        &setup.emulator.received(),
    );
}
