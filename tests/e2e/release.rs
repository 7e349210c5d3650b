//! End-to-end releases: the real app loop (state, update, runner, journal) through the real SDK
//! against the emulator on 127.0.0.1, driven by the keys an operator presses. Each test checks what
//! the emulator received and holds afterwards and what the journal recorded, not only the state.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::common::harness::{Harness, Options, PROFILE, WAIT, own_key, seed_key};
use crossterm::event::KeyCode;
use rust_decimal::Decimal;
use sidman::action::{Effect, Outcome};
use sidman::domain::{Key, Ownership};
use sidman::emulator::CALLER_ACCOUNT;
use sidman::emulator::{Faults, Seed, SeedSenderId};
use sidman::journal::{Entry, OutcomeKind};
use sidman::state::Mode;
use sidman::state::batch::RowStatus;
use sidman::state::inventory::RegionLoad;
use sidman::state::review::Exclusion;

const US: &str = "us-east-1";
const EU: &str = "eu-west-1";
const AP: &str = "ap-southeast-2";
const REGIONS: [&str; 3] = [US, EU, AP];

/// The seeded sender ID behind a key.
fn seeded(key: &Key) -> SeedSenderId {
    Seed::demo()
        .sender_ids
        .into_iter()
        .find(|s| seed_key(s) == *key)
        .unwrap_or_else(|| panic!("{key} is in the demo seed"))
}

/// The ReleaseSenderId requests the emulator received, per (region, country, SenderId).
fn releases_received(h: &Harness) -> BTreeMap<Key, usize> {
    let mut out = BTreeMap::new();
    for r in h.emulator.received().requests() {
        if r.operation != "ReleaseSenderId" {
            continue;
        }
        let text = |name: &str| r.body[name].as_str().unwrap_or_default().to_owned();
        let key = Key {
            region: r.region.clone().unwrap_or_default(),
            country: text("IsoCountryCode"),
            id: text("SenderId"),
        };
        *out.entry(key).or_insert(0) += 1;
    }
    out
}

/// Every field the emulator's ReleaseSenderId answers for this seeded sender ID, as sidman
/// shows and journals them.
fn release_fields(s: &SeedSenderId) -> BTreeMap<String, String> {
    let mut m = BTreeMap::from([
        ("SenderIdArn".to_owned(), s.arn()),
        ("SenderId".to_owned(), s.sender_id.clone()),
        ("IsoCountryCode".to_owned(), s.iso_country_code.clone()),
        ("MessageTypes".to_owned(), s.message_types.join(", ")),
        (
            "MonthlyLeasingPrice".to_owned(),
            s.monthly_leasing_price.clone(),
        ),
        ("Registered".to_owned(), s.registered.to_string()),
    ]);
    if let Some(id) = &s.registration_id {
        m.insert("RegistrationId".to_owned(), id.clone());
    }
    m
}

fn inventory_of(h: &Harness) -> BTreeMap<String, SeedSenderId> {
    REGIONS
        .iter()
        .flat_map(|r| h.emulator.sender_ids(r))
        .map(|s| (s.arn(), s))
        .collect()
}

#[cfg(unix)]
fn assert_private(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .expect("journal metadata")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "the journal is private: {mode:o}");
}

#[cfg(not(unix))]
fn assert_private(_: &std::path::Path) {}

#[tokio::test(flavor = "multi_thread")]
async fn loads_every_region_once_and_releases_a_mix_through_the_keys() {
    // Pools cannot be read here (no permission), so the pooled sender ID is sent and refused by
    // the service: the conflict's reason is what this test checks. Where pools can be read, the
    // review lists pooled ones apart (tests/e2e/pooled_review.rs).
    let mut options = Options::demo(&REGIONS);
    options.faults.denied_operations = vec!["DescribePools".to_owned()];
    let mut h = Harness::start(options).await;
    h.load().await;

    // Every seeded sender ID of these regions, own and shared, exactly once; each region Loaded.
    let seed: Vec<SeedSenderId> = Seed::demo()
        .sender_ids
        .into_iter()
        .filter(|s| REGIONS.contains(&s.region.as_str()))
        .collect();
    assert!(seed.iter().any(SeedSenderId::is_shared));
    let mut seen: HashMap<String, usize> = HashMap::new();
    for r in h.state().inventory.records() {
        *seen.entry(r.arn.clone()).or_insert(0) += 1;
    }
    for s in &seed {
        assert_eq!(
            seen.get(&s.arn()),
            Some(&1),
            "{} appears exactly once",
            s.arn()
        );
        let record = h.record(&seed_key(s)).expect("held under its key");
        let expected = if s.is_shared() {
            Ownership::Shared
        } else {
            Ownership::Own
        };
        assert_eq!(record.ownership, expected, "{}", s.arn());
        assert_eq!(record.price.raw, s.monthly_leasing_price);
        assert_eq!(record.deletion_protection, s.deletion_protection_enabled);
        assert_eq!(record.registered, s.registered);
        assert_eq!(record.registration_id, s.registration_id);
    }
    assert_eq!(
        h.state().inventory.len(),
        seed.len(),
        "nothing else was loaded"
    );
    assert_eq!(
        h.state().view.shown(),
        seed.len(),
        "the view shows each once"
    );
    for region in REGIONS {
        let count = seed.iter().filter(|s| s.region == region).count();
        assert_eq!(
            h.state().inventory.regions.get(region),
            Some(&RegionLoad::Loaded { items: count }),
            "{region}"
        );
    }

    let ordinary = [
        own_key(US, "FASTCAB", "NG"),
        // Registered: its RegistrationId must come back in the response and the journal.
        own_key(EU, "INITECH", "VN"),
        // Shares its sender ID with the one that vanishes, in the same region.
        own_key(US, "SHOPNOW", "ES"),
    ];
    let protected = own_key(US, "MEDIPLUS", "SE");
    let shared = seed_key(&seeded(&Key {
        region: US.into(),
        country: "GB".into(),
        id: "arn:aws:sms-voice:us-east-1:444455556666:sender-id/GLOBEX/GB".into(),
    }));
    let pooled = own_key(AP, "ACME-OTP", "AU");
    let vanishes = own_key(US, "SHOPNOW", "IT");
    let protected_later = own_key(EU, "FOODIE", "IE");
    assert!(seeded(&protected).deletion_protection_enabled);
    assert!(seeded(&pooled).pool.is_some() && !seeded(&pooled).deletion_protection_enabled);
    let all: Vec<&Key> = ordinary
        .iter()
        .chain([&protected, &shared, &pooled, &vanishes, &protected_later])
        .collect();
    for key in &all {
        h.mark(key);
    }
    assert_eq!(h.state().marks().len(), all.len());

    // The review: protected and shared excluded with their reasons, the rest listed and summed.
    h.key(KeyCode::Char('D'));
    let Mode::Review(sheet) = h.state().mode.clone() else {
        panic!("D opens the review sheet: {}", h.summary());
    };
    let to_send: BTreeSet<Key> = ordinary
        .iter()
        .chain([&pooled, &vanishes, &protected_later])
        .cloned()
        .collect();
    assert_eq!(
        sheet.to_release.iter().cloned().collect::<BTreeSet<_>>(),
        to_send
    );
    assert_eq!(
        sheet.excluded.iter().cloned().collect::<BTreeMap<_, _>>(),
        BTreeMap::from([
            (protected.clone(), Exclusion::DeletionProtection),
            (shared.clone(), Exclusion::Shared),
        ])
    );
    let expected_total: Decimal = to_send
        .iter()
        .map(|k| {
            seeded(k)
                .monthly_leasing_price
                .parse::<Decimal>()
                .expect("price")
        })
        .sum();
    assert_eq!(sheet.total.sum, expected_total);
    assert_eq!(sheet.total.count, to_send.len());
    assert_eq!(sheet.registered, 1, "INITECH VN is registered");
    assert_eq!(sheet.hidden, 0);

    // The world changes between loading and confirming: one is released elsewhere, one gets
    // deletion protection.
    h.client(US)
        .release_sender_id()
        .sender_id(&vanishes.id)
        .iso_country_code(&vanishes.country)
        .send()
        .await
        .expect("released elsewhere");
    h.client(EU)
        .update_sender_id()
        .sender_id(&protected_later.id)
        .iso_country_code(&protected_later.country)
        .deletion_protection_enabled(true)
        .send()
        .await
        .expect("protection turned on elsewhere");
    h.emulator.clear_received();

    // Enter alone, or a wrong word, confirms nothing (even once the sheet has been read).
    h.dwell();
    h.key(KeyCode::Enter);
    h.type_text("releas");
    h.key(KeyCode::Enter);
    assert!(matches!(h.state().mode, Mode::Review(_)), "{}", h.summary());
    assert!(h.state().batch.is_none());
    h.type_text("e");
    h.key(KeyCode::Enter);
    assert_eq!(h.state().mode, Mode::Table, "the typed word confirms");
    h.finish_batch().await;

    // Per-row outcomes.
    for key in &ordinary {
        match h.status(key) {
            Some(RowStatus::Ended(Outcome::Done {
                response: Some(response),
                note: None,
            })) => {
                let fields: BTreeMap<String, String> = response
                    .fields
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), v.clone()))
                    .collect();
                assert_eq!(fields, release_fields(&seeded(key)), "{key}");
                assert!(response.request_id.is_some(), "{key} has a request ID");
            }
            other => panic!("{key} released, got {other:?}"),
        }
        assert!(
            !h.state().marks().contains(key),
            "{key} is unmarked once released"
        );
    }
    match h.status(&pooled) {
        Some(RowStatus::Ended(Outcome::Failed { error, .. })) => {
            assert_eq!(error.code, "ConflictException");
            assert_eq!(
                error.reason.as_deref(),
                Some("SENDER_ID_ASSOCIATED_TO_POOL")
            );
            assert!(error.request_id.is_some());
        }
        other => panic!("the pooled one fails with a conflict, got {other:?}"),
    }
    assert!(
        h.state().marks().contains(&pooled),
        "a failed one stays marked"
    );
    assert_eq!(
        h.status(&protected),
        Some(&RowStatus::Excluded("deletion protection enabled".into()))
    );
    assert_eq!(
        h.status(&shared),
        Some(&RowStatus::Excluded("shared from another account".into()))
    );
    match h.status(&vanishes) {
        Some(RowStatus::NotSent(why)) => assert!(why.contains("no longer exists"), "{why}"),
        other => panic!("the vanished one is not sent, got {other:?}"),
    }
    match h.status(&protected_later) {
        Some(RowStatus::NotSent(why)) => assert!(why.contains("deletion protection"), "{why}"),
        other => panic!("the newly protected one is not sent, got {other:?}"),
    }
    let batch = h.state().batch.as_ref().expect("batch");
    assert_eq!(
        (
            batch.tally().done,
            batch.tally().failed,
            batch.tally().never_sent()
        ),
        // Not sent: the protected and the shared one excluded at review, the vanished and the
        // newly protected one found stale by the re-read.
        (3, 1, 4),
        "{}",
        h.summary()
    );

    // What the emulator received: exactly one ReleaseSenderId per sent key, none for the others.
    let sent: BTreeSet<Key> = ordinary.iter().chain([&pooled]).cloned().collect();
    let received = releases_received(&h);
    assert_eq!(
        received,
        sent.iter()
            .map(|k| (k.clone(), 1))
            .collect::<BTreeMap<_, _>>()
    );
    assert_eq!(h.emulator.received().count("ReleaseSenderId"), sent.len());
    let reread_ids: BTreeSet<String> = h
        .emulator
        .received()
        .requests()
        .iter()
        .filter(|r| r.operation == "DescribeSenderIds")
        .flat_map(|r| {
            // By ARN (`SenderIds`), or by `Filters`: every sender ID of the `sender-id` filter in
            // every country of the `iso-country-code` filter.
            let named = r.body["SenderIds"].as_array().cloned().unwrap_or_default();
            let named = named.into_iter().filter_map(|v| {
                Some(format!(
                    "{}/{}",
                    v["SenderId"].as_str()?,
                    v["IsoCountryCode"].as_str()?
                ))
            });
            let values = |name: &str| -> Vec<String> {
                let filters = r.body["Filters"].as_array().cloned().unwrap_or_default();
                filters
                    .iter()
                    .filter(|f| f["Name"] == name)
                    .flat_map(|f| f["Values"].as_array().cloned().unwrap_or_default())
                    .filter_map(|v| v.as_str().map(ToOwned::to_owned))
                    .collect()
            };
            let countries = values("iso-country-code");
            let filtered: Vec<String> = values("sender-id")
                .iter()
                .flat_map(|id| countries.iter().map(move |c| format!("{id}/{c}")))
                .collect();
            named.chain(filtered).collect::<Vec<_>>()
        })
        .collect();
    for key in &to_send {
        assert!(
            reread_ids.contains(&format!("{}/{}", key.id, key.country)),
            "{key} was re-read before release"
        );
    }

    // The emulator's inventory: released ones gone, the rest as they were.
    let mut expected = BTreeMap::new();
    for s in &seed {
        let key = seed_key(s);
        if ordinary.contains(&key) || key == vanishes {
            continue;
        }
        let mut s = s.clone();
        if key == protected_later {
            s.deletion_protection_enabled = true;
        }
        expected.insert(s.arn(), s);
    }
    assert_eq!(inventory_of(&h), expected);

    // The journal: for each sent key an intent, then its outcome; nothing for the others.
    let entries = h.journal();
    assert_eq!(entries.len(), 2 * sent.len(), "{entries:#?}");
    let mut intents = BTreeMap::new();
    for (position, entry) in entries.iter().enumerate() {
        match entry {
            Entry::Intent(i) => {
                let key = Key {
                    region: i.region.clone(),
                    country: i.country.clone(),
                    id: i.target.clone(),
                };
                let s = seeded(&key);
                assert_eq!(i.profile, PROFILE);
                assert_eq!(i.sender_id, s.sender_id);
                assert_eq!(i.arn, s.arn());
                assert_eq!(i.monthly_leasing_price, s.monthly_leasing_price);
                assert_eq!(i.registered, s.registered);
                assert!(
                    intents.insert(i.id.clone(), (key, position)).is_none(),
                    "intent ids are unique"
                );
            }
            Entry::Outcome(o) => {
                let (key, intent_at) = intents
                    .get(&o.id)
                    .unwrap_or_else(|| panic!("outcome {} follows its intent", o.id));
                assert!(*intent_at < position);
                if *key == pooled {
                    assert_eq!(o.result, OutcomeKind::Failed);
                    let error = o.error.as_ref().expect("error recorded");
                    assert_eq!(error.code, "ConflictException");
                    assert_eq!(
                        error.reason.as_deref(),
                        Some("SENDER_ID_ASSOCIATED_TO_POOL")
                    );
                    assert!(!error.message.is_empty());
                    assert!(o.response.is_empty());
                } else {
                    assert_eq!(o.result, OutcomeKind::Done, "{key}");
                    assert_eq!(o.response, release_fields(&seeded(key)), "{key}");
                    let Some(RowStatus::Ended(Outcome::Done {
                        response: Some(shown),
                        ..
                    })) = h.status(key)
                    else {
                        panic!("{key} released");
                    };
                    assert_eq!(o.request_id, shown.request_id, "{key}");
                    assert!(o.error.is_none());
                }
                assert!(o.request_id.is_some(), "{key}");
            }
        }
    }
    let journaled: BTreeSet<Key> = intents.values().map(|(k, _)| k.clone()).collect();
    assert_eq!(journaled, sent);
    assert_private(&h.journal_path);
}

#[tokio::test(flavor = "multi_thread")]
async fn read_only_walks_the_flow_and_sends_nothing() {
    let mut options = Options::demo(&REGIONS);
    options.read_only = true;
    let mut h = Harness::start(options).await;
    h.load().await;
    let plain = own_key(US, "FASTCAB", "NG");
    let other = own_key(AP, "SURFSHOP", "AU");
    let protected = own_key(US, "MEDIPLUS", "SE");
    for key in [&plain, &other, &protected] {
        h.mark(key);
    }
    h.key(KeyCode::Char('D'));
    let Mode::Review(sheet) = h.state().mode.clone() else {
        panic!(
            "D opens the review sheet in read-only mode too: {}",
            h.summary()
        );
    };
    assert!(sheet.to_release.is_empty());
    assert_eq!(
        sheet.excluded.iter().cloned().collect::<BTreeMap<_, _>>(),
        BTreeMap::from([
            (plain.clone(), Exclusion::ReadOnly),
            (other.clone(), Exclusion::ReadOnly),
            (protected.clone(), Exclusion::DeletionProtection),
        ])
    );
    h.type_text("release");
    h.dwell();
    let effects = h.key_unspawned(KeyCode::Enter);
    assert!(effects.is_empty(), "nothing is started: {effects:?}");
    assert!(h.state().batch.is_none());
    assert!(matches!(h.state().mode, Mode::Review(_)));
    h.key(KeyCode::Esc);
    assert_eq!(h.state().mode, Mode::Table);

    // The API's own gate refuses too, before anything is sent.
    let error = h
        .api
        .mutate(&plain, sidman::domain::Mutation::Release)
        .await
        .expect_err("read-only refuses");
    assert_eq!(error.code, "ReadOnly");

    assert_eq!(h.emulator.received().count("ReleaseSenderId"), 0);
    assert!(h.emulator.received().count("DescribeSenderIds") > 0);
    assert!(h.journal().is_empty(), "nothing was journaled");
    for key in [&plain, &other, &protected] {
        assert!(
            h.emulator
                .sender_ids(&key.region)
                .iter()
                .any(|s| seed_key(s) == *key)
        );
    }
}

/// Marks `keys`, confirms, and returns the first set of release effects, not yet spawned.
async fn confirm_until_releases(h: &mut Harness, keys: &[Key]) -> Vec<Effect> {
    for key in keys {
        h.mark(key);
    }
    h.key(KeyCode::Char('D'));
    h.type_text("release");
    h.dwell();
    h.key(KeyCode::Enter);
    assert!(h.state().batch.is_some(), "{}", h.summary());
    let effects = h
        .settle_until_effect(|e| matches!(e, Effect::Mutate { .. }), WAIT)
        .await;
    let releasing: BTreeSet<Key> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Mutate { record, .. } => Some(record.key()),
            _ => None,
        })
        .collect();
    assert_eq!(
        releasing,
        keys.iter().cloned().collect(),
        "all are sent at once"
    );
    effects
}

/// Every ReleaseSenderId answered with a 500, and every re-read as well: the outcome is
/// unknown, recorded as such, never sent again; the next start settles it by re-reading.
#[tokio::test(flavor = "multi_thread")]
async fn server_errors_are_never_resent_blindly() {
    let mut h = Harness::start(Options::demo(&REGIONS)).await;
    h.load().await;
    let keys = [own_key(US, "FASTCAB", "NG"), own_key(US, "FASTCAB", "KE")];
    let effects = confirm_until_releases(&mut h, &keys).await;
    h.emulator.clear_received();
    h.emulator.set_faults(Faults {
        internal_error_probability: 1.0,
        ..Faults::default()
    });
    h.spawn(effects);
    h.finish_batch().await;
    for key in &keys {
        match h.status(key) {
            Some(RowStatus::Ended(Outcome::Unknown { error, note })) => {
                assert_eq!(error.code, "InternalServerException");
                let note = note.as_deref().unwrap_or_default();
                assert!(note.contains("re-read"), "{note}");
            }
            other => panic!("{key}: unknown outcome, got {other:?}"),
        }
    }
    let received = releases_received(&h);
    assert_eq!(
        received,
        keys.iter()
            .map(|k| (k.clone(), 1))
            .collect::<BTreeMap<_, _>>(),
        "one ReleaseSenderId per key, never a blind resend"
    );
    assert!(
        h.emulator.received().count("DescribeSenderIds") >= keys.len(),
        "the outcome was asked for by re-reading"
    );
    let entries = h.journal();
    let unknown = entries
        .iter()
        .filter(|e| matches!(e, Entry::Outcome(o) if o.result == OutcomeKind::Unknown))
        .count();
    assert_eq!(unknown, keys.len());
    assert_eq!(sidman::journal::unsettled(&entries).len(), keys.len());

    // The service recovers; the next start re-reads and settles both as not released.
    h.emulator.set_faults(Faults::default());
    let settled = h.settle_journal(Some(CALLER_ACCOUNT)).await;
    assert_eq!(
        (settled.released, settled.not_released, settled.left_total()),
        (0, 2, 0)
    );
    assert!(sidman::journal::unsettled(&h.journal()).is_empty());
    assert_eq!(h.emulator.received().count("ReleaseSenderId"), keys.len());
    for key in &keys {
        assert!(
            h.emulator
                .sender_ids(US)
                .iter()
                .any(|s| seed_key(s) == *key)
        );
    }
}

/// A 500 on the release, then the service answers again: the re-read proves the sender ID still
/// there (the call did not take effect), so the release is sent once more, and only then; the
/// second call releases it. Never a blind resend: a re-read stands between the two calls.
#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_outcome_is_settled_by_a_reread_then_sent_once_more() {
    let mut h = Harness::start(Options::demo(&REGIONS)).await;
    h.load().await;
    let key = own_key(EU, "SHOPNOW", "FR");
    let effects = confirm_until_releases(&mut h, std::slice::from_ref(&key)).await;
    h.emulator.clear_received();
    // Requests wait a moment before the faults are consulted, so a re-read that arrives before
    // the watcher below has switched the errors off still finds them off.
    h.emulator.set_faults(Faults {
        internal_error_probability: 1.0,
        latency: std::time::Duration::from_millis(300),
        ..Faults::default()
    });
    let emulator = std::sync::Arc::clone(&h.emulator);
    let watcher = tokio::spawn(async move {
        while emulator.received().count("ReleaseSenderId") == 0 {
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
        emulator.set_faults(Faults::default());
    });
    h.spawn(effects);
    h.finish_batch().await;
    watcher.await.expect("watcher");
    match h.status(&key) {
        Some(RowStatus::Ended(Outcome::Done { response, note })) => {
            assert!(response.is_some(), "the second call's answer is shown");
            let note = note.as_deref().unwrap_or_default();
            assert!(note.contains("InternalServerException"), "{note}");
            assert!(note.contains("still there"), "{note}");
        }
        other => panic!("released by the second call, got {other:?}"),
    }
    assert_eq!(releases_received(&h), BTreeMap::from([(key.clone(), 2)]));
    let log = h.emulator.received();
    let calls: Vec<(&str, Option<&str>)> = log
        .requests()
        .iter()
        .map(|r| (r.operation.as_str(), r.error.as_deref()))
        .collect();
    let releases: Vec<usize> = calls
        .iter()
        .enumerate()
        .filter(|(_, c)| c.0 == "ReleaseSenderId")
        .map(|(i, _)| i)
        .collect();
    assert_eq!(calls[releases[0]].1, Some("InternalServerException"));
    assert_eq!(calls[releases[1]].1, None, "the second call succeeded");
    assert!(
        calls[releases[0]..releases[1]].contains(&("DescribeSenderIds", None)),
        "a successful re-read stands between the two calls: {calls:?}"
    );
    assert!(!h.emulator.sender_ids(EU).iter().any(|s| seed_key(s) == key));
    let entries = h.journal();
    assert_eq!(entries.len(), 2, "one intent, one outcome: {entries:#?}");
    match &entries[1] {
        Entry::Outcome(o) => {
            assert_eq!(o.result, OutcomeKind::Done);
            assert!(
                o.note
                    .as_deref()
                    .unwrap_or_default()
                    .contains("still there")
            );
            assert_eq!(
                o.response.get("SenderId").map(String::as_str),
                Some("SHOPNOW")
            );
        }
        other => panic!("an outcome, got {other:?}"),
    }
}
