//! Resilience end to end: the real app loop (state, update, runner, journal, pacing) through the
//! real SDK against the emulator on 127.0.0.1, with the emulator's fault knobs on. Bulk releases
//! under throttling, server errors and latency; expired credentials that pause a batch until `R`;
//! a journal that fails in the middle of a batch; a service that throttles everything; read-only
//! refusing releases even past the review. Each test audits the journal against what the
//! emulator holds and received (tests/common/audit.rs). Nothing here asserts timing.

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::time::Duration;

use crate::common::audit::{assert_consistent, release_calls, released_in_journal};
use crate::common::harness::{Harness, Options, WAIT, seed_key};
use crossterm::event::KeyCode;
use sidman::action::{Effect, Outcome};
use sidman::aws::ErrorKind;
use sidman::domain::Key;
use sidman::emulator::CALLER_ACCOUNT;
use sidman::emulator::{Faults, Seed};
use sidman::journal::{self, Entry, Journal, OutcomeKind};
use sidman::pacing::PacingConfig;
use sidman::state::Mode;
use sidman::state::batch::{Phase, RowStatus};

const US: &str = "us-east-1";
const EU: &str = "eu-west-1";
/// A bound for a whole batch under faults (never a timing assertion).
const LONG: Duration = Duration::from_secs(600);

/// Options with `n` synthetic sender IDs in each region and nothing else.
fn synthetic(regions: &[&str], n: usize) -> (Options, BTreeSet<Key>) {
    let mut options = Options::demo(regions);
    options.seed = Seed::empty().with_synthetic(regions, n);
    let seeded = options.seed.sender_ids.iter().map(seed_key).collect();
    (options, seeded)
}

fn present(h: &Harness) -> BTreeSet<Key> {
    h.state()
        .session
        .regions
        .iter()
        .flat_map(|r| h.emulator.sender_ids(r))
        .map(|s| seed_key(&s))
        .collect()
}

/// `a` marks every row; then space unmarks the first `unmark` sender IDs. Returns the keys left
/// unmarked on purpose.
fn mark_all_but(h: &mut Harness, unmark: usize) -> BTreeSet<Key> {
    h.key(KeyCode::Char('a'));
    h.key(KeyCode::Char('g'));
    let mut unmarked = BTreeSet::new();
    while unmarked.len() < unmark {
        match h.state().cursor_key() {
            Some(k) if h.state().marks().contains(&k) => {
                h.key(KeyCode::Char(' '));
                unmarked.insert(k);
            }
            _ => h.key(KeyCode::Char('j')),
        }
    }
    unmarked
}

/// D, type `release`, Enter: returns what the sheet said would be released and what not.
fn confirm(h: &mut Harness) -> (Vec<Key>, Vec<Key>) {
    h.key(KeyCode::Char('D'));
    let Mode::Review(sheet) = &h.state().mode else {
        panic!("the review sheet opens: {}", h.summary());
    };
    let to_release = sheet.to_release.clone();
    let excluded = sheet.excluded.iter().map(|(k, _)| k.clone()).collect();
    h.type_text("release");
    h.dwell();
    h.key(KeyCode::Enter);
    assert!(h.state().batch.is_some(), "{}", h.summary());
    (to_release, excluded)
}

fn batch_phase(h: &Harness) -> Option<Phase> {
    h.state().batch.as_ref().map(|b| b.phase())
}

/// Error names the emulator answered, per operation.
fn injected(h: &Harness, operation: &str, error: &str) -> usize {
    h.emulator
        .received()
        .requests()
        .iter()
        .filter(|r| r.operation == operation && r.error.as_deref() == Some(error))
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn two_hundred_releases_under_throttling_server_errors_and_latency() {
    let (mut options, seeded) = synthetic(&[US, EU], 100);
    options.faults = Faults {
        latency: Duration::from_millis(40),
        throttle_probability: 0.3,
        internal_error_probability: 0.05,
        ..Faults::default()
    };
    // The ceiling `--max-rps 50` sets: the random throttles still cut the rate and the retries
    // still absorb them, but the batch is not held to the default 20 releases/s for 160 calls.
    options.pacing = PacingConfig::with_max_rps(Some(50.0));
    let mut h = Harness::start(options).await;
    h.load().await;
    assert_eq!(h.state().inventory.len(), 200, "{}", h.summary());
    let unmarked = mark_all_but(&mut h, 5);
    let (to_release, excluded) = confirm(&mut h);
    assert_eq!(to_release.len() + excluded.len(), 195);
    h.settle_until(|s| batch_phase_is(s, Phase::Finished), LONG)
        .await;

    // Every confirmed one ended released, or failed with its error shown; none is pending.
    let (mut released, mut failed, mut failed_codes) = (0, 0, Vec::new());
    for key in &to_release {
        match h.status(key) {
            Some(RowStatus::Ended(Outcome::Done { .. })) => released += 1,
            Some(RowStatus::Ended(Outcome::Failed { error, .. })) => {
                assert!(!error.code.is_empty() && !error.message.is_empty());
                failed += 1;
                failed_codes.push(error.code.clone());
            }
            other => panic!("{key}: released or failed with its error, got {other:?}"),
        }
    }
    for key in &excluded {
        assert!(
            matches!(h.status(key), Some(RowStatus::Excluded(why)) if !why.is_empty()),
            "{key}: {:?}",
            h.status(key)
        );
    }
    // Throttling never makes a release fail: it is retried.
    assert!(
        !failed_codes.iter().any(|c| c == "ThrottlingException"),
        "{failed_codes:?}"
    );

    let entries = h.journal();
    let now = present(&h);
    let received = h.emulator.received();
    assert_consistent(&entries, &seeded, &now, &received);
    // Nothing that was not confirmed was touched.
    let confirmed: BTreeSet<Key> = to_release.iter().cloned().collect();
    for key in unmarked.iter().chain(&excluded) {
        assert!(now.contains(key), "{key} is untouched");
    }
    for key in release_calls(&received).keys() {
        assert!(confirmed.contains(key), "{key} was not confirmed");
    }
    assert_eq!(released_in_journal(&entries).len(), released);

    let figure = |op: &str| {
        (
            received.count(op),
            injected(&h, op, "ThrottlingException"),
            injected(&h, op, "InternalServerException"),
        )
    };
    let (reads, read_throttled, read_errors) = figure("DescribeSenderIds");
    let (releases, release_throttled, release_errors) = figure("ReleaseSenderId");
    let throttled = read_throttled + release_throttled;
    let errors = read_errors + release_errors;
    let resent = release_calls(&received)
        .values()
        .filter(|(calls, _)| *calls > 1)
        .count();
    println!(
        "200 sender IDs (5 left unmarked, {} excluded at review, {} confirmed). Received: \
         {reads} DescribeSenderIds ({read_throttled} ThrottlingException, {read_errors} \
         InternalServerException), {releases} ReleaseSenderId ({release_throttled} \
         ThrottlingException, {release_errors} InternalServerException); {resent} sender IDs got \
         more than one ReleaseSenderId (throttled, or sent again after a re-read). Outcomes: \
         {released} released, {failed} failed {failed_codes:?}, {} not sent. Pacing: {:?}",
        excluded.len(),
        to_release.len(),
        excluded.len(),
        h.state().pacing
    );
    assert!(throttled > 0 && errors > 0, "the faults were injected");
    assert!(
        h.state().pacing.values().any(|p| p.throttled > 0),
        "the state knows it was throttled"
    );
}

fn batch_phase_is(s: &sidman::state::State, phase: Phase) -> bool {
    s.batch.as_ref().is_some_and(|b| b.phase() == phase)
}

/// Credentials expire in the middle of a bulk release: the batch pauses (nothing more is sent,
/// the queue and the marks stay, the operator is told to log in again and press R); R resumes
/// once the credentials work again, and the batch ends with everything released exactly once.
#[tokio::test(flavor = "multi_thread")]
async fn expired_credentials_pause_the_batch_and_r_resumes_it() {
    let (mut options, seeded) = synthetic(&[US], 40);
    options.faults.latency = Duration::from_millis(50);
    let mut h = Harness::start(options).await;
    h.load().await;
    h.key(KeyCode::Char('a'));
    let (to_release, _) = confirm(&mut h);
    assert!(to_release.len() > 20, "{}", to_release.len());
    h.settle_until(
        |s| s.batch.as_ref().is_some_and(|b| b.tally().done >= 5),
        WAIT,
    )
    .await;
    h.emulator.set_faults(Faults {
        latency: Duration::from_millis(50),
        expired_credentials: true,
        ..Faults::default()
    });
    h.settle_until(
        |s| {
            s.batch
                .as_ref()
                .is_some_and(|b| b.phase() == Phase::Paused && b.tally().sending == 0)
        },
        WAIT,
    )
    .await;
    let notice = h.state().notice.clone().unwrap_or_default();
    assert!(
        notice.contains("credentials expired") && notice.contains("press R"),
        "{notice}"
    );
    let batch = h.state().batch.clone().expect("batch");
    assert!(batch.tally().queued > 0, "the queue is kept");
    assert_eq!(
        batch.tally().failed,
        0,
        "an expired credential is not a failure"
    );
    let released_before = batch.tally().done;
    let queued: Vec<Key> = batch
        .rows()
        .filter(|(_, s)| matches!(s, RowStatus::Queued(_)))
        .map(|(k, _)| k.clone())
        .collect();
    for key in &queued {
        assert!(matches!(h.status(key), Some(RowStatus::Queued(_))), "{key}");
        assert!(h.state().marks().contains(key), "{key} is still marked");
    }
    // Nothing is sent while paused.
    let sent = h.emulator.received().count("ReleaseSenderId");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(h.emulator.received().count("ReleaseSenderId"), sent);
    // The journal is intact: every intent settled, released ones gone, the others still there.
    assert_consistent(&h.journal(), &seeded, &present(&h), &h.emulator.received());
    assert!(
        sidman::journal::unsettled(&h.journal()).is_empty(),
        "every intent has an outcome"
    );

    // Logged in again: R resumes where it stopped.
    h.emulator.set_faults(Faults::default());
    h.key(KeyCode::Char('R'));
    assert_eq!(batch_phase(&h), Some(Phase::Sending), "{}", h.summary());
    h.settle_until(|s| batch_phase_is(s, Phase::Finished), WAIT)
        .await;
    let batch = h.state().batch.clone().expect("batch");
    assert!(batch.tally().done > released_before);
    assert_eq!(
        batch.tally().done + batch.tally().failed,
        to_release.len(),
        "{}",
        h.summary()
    );
    let now = present(&h);
    for key in &to_release {
        match h.status(key) {
            Some(RowStatus::Ended(Outcome::Done { .. })) => {
                assert!(!now.contains(key), "{key} released");
            }
            // Pooled sender IDs are refused by the service; never for credentials.
            Some(RowStatus::Ended(Outcome::Failed { error, .. })) => {
                assert_eq!(error.code, "ConflictException", "{key}");
                assert!(now.contains(key));
            }
            other => panic!("{key}: {other:?}"),
        }
    }
    assert_consistent(&h.journal(), &seeded, &now, &h.emulator.received());
}

/// Credentials already expired when the batch starts: the pre-release re-read is refused, the
/// batch pauses before anything is sent, and R re-reads and releases.
#[tokio::test(flavor = "multi_thread")]
async fn expired_credentials_during_the_check_pause_before_anything_is_sent() {
    let (options, seeded) = synthetic(&[US], 8);
    let mut h = Harness::start(options).await;
    h.load().await;
    h.key(KeyCode::Char('a'));
    h.emulator.set_faults(Faults {
        expired_credentials: true,
        ..Faults::default()
    });
    let (to_release, _) = confirm(&mut h);
    h.settle_until(|s| batch_phase_is(s, Phase::Paused), WAIT)
        .await;
    for key in &to_release {
        assert_eq!(h.status(key), Some(&RowStatus::Verifying), "{key}");
    }
    assert_eq!(h.emulator.received().count("ReleaseSenderId"), 0);
    assert!(h.journal().is_empty());
    h.emulator.set_faults(Faults::default());
    h.key(KeyCode::Char('R'));
    h.settle_until(|s| batch_phase_is(s, Phase::Finished), WAIT)
        .await;
    assert_eq!(
        h.state().batch.as_ref().map(|b| b.tally().done),
        Some(to_release.len())
    );
    assert_consistent(&h.journal(), &seeded, &present(&h), &h.emulator.received());
}

/// A credentials provider that fails (an SSO session that ended) is a credentials error, sent
/// nowhere: the same pause applies.
#[tokio::test(flavor = "multi_thread")]
async fn a_failing_credentials_provider_is_a_credentials_error() {
    use aws_credential_types::provider::{ProvideCredentials, error::CredentialsError, future};

    #[derive(Debug)]
    struct Expired;
    impl ProvideCredentials for Expired {
        fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            future::ProvideCredentials::ready(Err(CredentialsError::provider_error(
                "the SSO session has expired",
            )))
        }
    }

    let emulator = sidman::emulator::Emulator::start_local(Seed::demo())
        .await
        .expect("emulator");
    let sdk = aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(US))
        .endpoint_url(emulator.endpoint_url())
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(Expired),
        )
        .build();
    let api = sidman::aws::Api::from_sdk_config(&sdk, &[US.to_owned()], false);
    let key = crate::common::harness::own_key(US, "FASTCAB", "NG");
    let error = api
        .mutate(&key, sidman::domain::Mutation::Release)
        .await
        .expect_err("no credentials");
    assert!(error.credentials_expired(), "{error:?}");
    assert_eq!(error.kind, ErrorKind::NotSent, "{error:?}");
    let error = api.reread(US, &[key]).await.expect_err("no credentials");
    assert!(error.credentials_expired(), "{error:?}");
    assert_eq!(
        emulator.received().total(),
        0,
        "nothing reached the service"
    );
}

/// The journal file is moved away in the middle of a batch (a path that now names a directory):
/// the next intent cannot be written, so nothing more is sent and the batch stops, saying why.
/// Every release the emulator received has its intent in the moved file, and once that file is
/// settled by re-reading it matches the emulator exactly.
#[tokio::test(flavor = "multi_thread")]
async fn a_journal_that_fails_mid_batch_stops_every_further_release() {
    let (mut options, seeded) = synthetic(&[US], 40);
    options.faults.latency = Duration::from_millis(50);
    let mut h = Harness::start(options).await;
    h.load().await;
    h.key(KeyCode::Char('a'));
    let (to_release, _) = confirm(&mut h);
    h.settle_until(
        |s| s.batch.as_ref().is_some_and(|b| b.tally().done >= 5),
        WAIT,
    )
    .await;
    let moved = h.journal_path.with_extension("moved");
    std::fs::rename(&h.journal_path, &moved).expect("move the journal away");
    std::fs::create_dir(&h.journal_path).expect("a directory where the journal was");
    h.settle_until(|s| batch_phase_is(s, Phase::Finished), WAIT)
        .await;

    let notice = h.state().notice.clone().unwrap_or_default();
    assert!(notice.contains("journal cannot be written"), "{notice}");
    assert!(h.state().session.journal_error.is_some());
    let batch = h.state().batch.clone().expect("batch");
    assert!(batch.tally().never_sent() > 0, "{}", h.summary());
    assert!(batch.tally().done < to_release.len());
    let (entries, _) = journal::read(&moved).expect("read the moved journal");
    let intents = entries
        .iter()
        .filter(|e| matches!(e, Entry::Intent(_)))
        .count();
    let received = h.emulator.received();
    assert!(
        received.count("ReleaseSenderId") <= intents,
        "no release without its intent: {} sent, {intents} intents",
        received.count("ReleaseSenderId")
    );
    // Nothing more is sent after the failure, and a new review refuses to release.
    let sent = received.count("ReleaseSenderId");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(h.emulator.received().count("ReleaseSenderId"), sent);
    h.key(KeyCode::Char('D'));
    match &h.state().mode {
        Mode::Review(sheet) => assert!(sheet.to_release.is_empty(), "{sheet:?}"),
        other => panic!("the sheet explains: {other:?}"),
    }
    h.key(KeyCode::Esc);

    // The next start settles what was in flight when the journal failed.
    let journal = Mutex::new(Journal::open(&moved).expect("open the moved journal"));
    sidman::reconcile::settle(&h.api, &journal, &h.target(), Some(CALLER_ACCOUNT))
        .await
        .expect("settle");
    let (entries, _) = journal::read(&moved).expect("read");
    assert_consistent(&entries, &seeded, &present(&h), &h.emulator.received());
}

/// A service that throttles every request: loading gives up with a clear error instead of
/// spinning, and so does a release (the batch pauses, nothing released, everything recorded).
#[tokio::test(flavor = "multi_thread")]
async fn a_service_that_throttles_everything_makes_sidman_give_up() {
    let mut options = Options::demo(&[US]);
    options.pacing = PacingConfig {
        give_up_after: Duration::from_secs(1),
        ..PacingConfig::default()
    };
    options.faults.throttle_probability = 1.0;
    let mut h = Harness::start(options.clone()).await;
    h.load().await;
    let region = &h.state().inventory.regions[US];
    match region {
        sidman::state::inventory::RegionLoad::Failed { error, .. } => {
            assert_eq!(error.code, "ThrottlingException");
            assert!(error.message.contains("gave up"), "{}", error.message);
        }
        other => panic!("the load gives up: {other:?}"),
    }
    let asked = h.emulator.received().count("DescribeSenderIds");
    assert!(
        (3..200).contains(&asked),
        "retried, paced, bounded: {asked}"
    );
    assert!(h.state().pacing[US].throttled > 0);

    // Releases: the service starts throttling everything once the releases are decided.
    options.faults = Faults::default();
    let mut h = Harness::start(options).await;
    h.load().await;
    let keys = [
        crate::common::harness::own_key(US, "FASTCAB", "NG"),
        crate::common::harness::own_key(US, "FASTCAB", "KE"),
    ];
    for k in &keys {
        h.mark(k);
    }
    h.key(KeyCode::Char('D'));
    h.type_text("release");
    h.dwell();
    h.key(KeyCode::Enter);
    let effects = h
        .settle_until_effect(|e| matches!(e, Effect::Mutate { .. }), WAIT)
        .await;
    h.emulator.set_faults(Faults {
        throttle_probability: 1.0,
        ..Faults::default()
    });
    h.spawn(effects);
    h.settle_until(
        |s| {
            s.batch
                .as_ref()
                .is_some_and(|b| b.phase() == Phase::Paused && b.tally().sending == 0)
        },
        WAIT,
    )
    .await;
    let notice = h.state().notice.clone().unwrap_or_default();
    assert!(notice.contains("throttling"), "{notice}");
    let calls = h.emulator.received().count("ReleaseSenderId");
    assert!((2..100).contains(&calls), "bounded: {calls}");
    assert!(
        release_calls(&h.emulator.received())
            .values()
            .all(|(_, ok)| *ok == 0)
    );
    let entries = h.journal();
    assert!(sidman::journal::unsettled(&entries).is_empty());
    assert!(entries.iter().all(|e| match e {
        Entry::Outcome(o) => o.result == OutcomeKind::Failed,
        Entry::Intent(_) => true,
    }));
    // Esc gives up on the batch for good.
    h.key(KeyCode::Esc);
    h.settle_until(|s| batch_phase_is(s, Phase::Finished), WAIT)
        .await;
    for k in &keys {
        assert_eq!(h.status(k), Some(&RowStatus::Cancelled), "{k}");
    }
}

/// Read-only is one gate in the API layer: even a release driven past the review (the effect
/// spawned directly, or `effects::release_one` called directly) never reaches the service.
#[tokio::test(flavor = "multi_thread")]
async fn read_only_refuses_releases_even_past_the_review() {
    let mut options = Options::demo(&[US, EU]);
    options.read_only = true;
    let mut h = Harness::start(options).await;
    h.load().await;
    let records: Vec<_> = h
        .state()
        .inventory
        .records()
        .iter()
        .take(6)
        .cloned()
        .collect();
    assert_eq!(records.len(), 6);
    let dir = tempfile::tempdir().expect("tempdir");
    let journal = Mutex::new(Journal::open(&dir.path().join("j.jsonl")).expect("journal"));
    for record in &records[..3] {
        let outcome = sidman::effects::change::send_one(
            &h.api,
            Some(&journal),
            &h.target(),
            sidman::domain::Mutation::Release,
            record,
        )
        .await;
        match outcome {
            Outcome::Failed { error, .. } => assert_eq!(error.code, "ReadOnly"),
            other => panic!("refused, got {other:?}"),
        }
    }
    for record in &records[3..] {
        h.spawn(vec![Effect::Mutate {
            batch: 99,
            mutation: sidman::domain::Mutation::Release,
            record: Box::new(record.clone()),
        }]);
    }
    for _ in &records[3..] {
        match h.next_mutated(WAIT).await {
            Outcome::Failed { error, .. } => assert_eq!(error.code, "ReadOnly"),
            other => panic!("refused, got {other:?}"),
        }
    }
    assert_eq!(h.emulator.received().count("ReleaseSenderId"), 0);
    for r in &records {
        assert!(
            h.emulator
                .sender_ids(&r.region)
                .iter()
                .any(|s| seed_key(s) == r.key())
        );
    }
}
