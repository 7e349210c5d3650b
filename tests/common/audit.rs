//! Audits shared by the resilience tests: what the journal says happened to each sender ID,
//! checked against what the emulator still holds and what it received. The rules: every intent
//! has a settled outcome; released in the journal ⇔ gone from the emulator; no sender ID got
//! more than one successful ReleaseSenderId; every ReleaseSenderId received has an intent.

use std::collections::{BTreeMap, BTreeSet};

use sidman::domain::Key;
use sidman::emulator::Received;
use sidman::journal::{Entry, Intent, OutcomeKind};

/// The key an intent names (the target is the ARN for a shared sender ID).
pub fn intent_key(i: &Intent) -> Key {
    Key {
        region: i.region.clone(),
        country: i.country.clone(),
        id: i.target.clone(),
    }
}

/// For each key, the last outcome of each of its intents (`None`: no outcome at all).
pub fn outcomes(entries: &[Entry]) -> BTreeMap<Key, Vec<Option<OutcomeKind>>> {
    let mut last: BTreeMap<&str, OutcomeKind> = BTreeMap::new();
    for e in entries {
        if let Entry::Outcome(o) = e {
            last.insert(o.id.as_str(), o.result);
        }
    }
    let mut out: BTreeMap<Key, Vec<Option<OutcomeKind>>> = BTreeMap::new();
    for e in entries {
        if let Entry::Intent(i) = e {
            out.entry(intent_key(i))
                .or_default()
                .push(last.get(i.id.as_str()).copied());
        }
    }
    out
}

/// Keys the journal records as released.
pub fn released_in_journal(entries: &[Entry]) -> BTreeSet<Key> {
    outcomes(entries)
        .into_iter()
        .filter(|(_, o)| o.contains(&Some(OutcomeKind::Done)))
        .map(|(k, _)| k)
        .collect()
}

/// Per key, the ReleaseSenderId calls the emulator received: (all, answered with success).
pub fn release_calls(received: &Received) -> BTreeMap<Key, (usize, usize)> {
    let mut out: BTreeMap<Key, (usize, usize)> = BTreeMap::new();
    for r in received.requests() {
        if r.operation != "ReleaseSenderId" {
            continue;
        }
        let text = |name: &str| r.body[name].as_str().unwrap_or_default().to_owned();
        let key = Key {
            region: r.region.clone().unwrap_or_default(),
            country: text("IsoCountryCode"),
            id: text("SenderId"),
        };
        let entry = out.entry(key).or_insert((0, 0));
        entry.0 += 1;
        if r.error.is_none() {
            entry.1 += 1;
        }
    }
    out
}

/// Checks every rule above; `seeded` is every key the emulator started with, `present` the
/// keys it holds now.
pub fn assert_consistent(
    entries: &[Entry],
    seeded: &BTreeSet<Key>,
    present: &BTreeSet<Key>,
    received: &Received,
) {
    let by_key = outcomes(entries);
    for (key, list) in &by_key {
        for outcome in list {
            assert!(
                matches!(outcome, Some(OutcomeKind::Done | OutcomeKind::Failed)),
                "{key}: every intent has a settled outcome, got {list:?}"
            );
        }
        let released = list
            .iter()
            .filter(|o| **o == Some(OutcomeKind::Done))
            .count();
        assert!(released <= 1, "{key} released more than once: {list:?}");
    }
    let gone: BTreeSet<Key> = seeded.difference(present).cloned().collect();
    assert_eq!(
        released_in_journal(entries),
        gone,
        "released in the journal ⇔ gone from the emulator"
    );
    for (key, (calls, ok)) in release_calls(received) {
        assert!(ok <= 1, "{key}: {ok} successful ReleaseSenderId");
        let intents = by_key.get(&key).map_or(0, Vec::len);
        assert!(
            intents >= 1,
            "{key}: {calls} ReleaseSenderId received without an intent in the journal"
        );
    }
}
