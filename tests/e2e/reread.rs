//! The re-read before a change, through `aws::connect` and the real SDK against the emulator on
//! 127.0.0.1: this account's sender IDs are read by filters, 20 sender IDs and their countries a
//! listing, so 25 take at most 2 DescribeSenderIds calls, and the answer is matched by (sender ID,
//! country) exactly: the same sender ID in a country not asked for is never taken for the one
//! asked. Shared sender IDs are still read by ARN.

use std::collections::BTreeSet;

use crate::common::harness::sdk_client;
use crate::pools::connect;
use serde_json::Value;
use sidman::aws::Reread;
use sidman::domain::{Key, SenderIdRecord};
use sidman::emulator::{Emulator, ReceivedRequest, Seed, SeedSenderId};

const US: &str = "us-east-1";

fn own(id: &str, country: &str) -> Key {
    Key {
        region: US.to_owned(),
        country: country.to_owned(),
        id: id.to_owned(),
    }
}

/// The values of a request's filter `name`.
fn filter_values(request: &ReceivedRequest, name: &str) -> Vec<String> {
    let filters = request.body["Filters"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    filters
        .iter()
        .filter(|f| f["Name"] == name)
        .flat_map(|f| f["Values"].as_array().cloned().unwrap_or_default())
        .filter_map(|v| v.as_str().map(ToOwned::to_owned))
        .collect()
}

/// The record is the sender ID as the emulator holds it now.
fn assert_is(record: &SenderIdRecord, seeded: &SeedSenderId) {
    assert_eq!(
        (
            record.arn.as_str(),
            record.sender_id.as_str(),
            record.country.as_str(),
            record.price.raw.as_str(),
            record.deletion_protection,
            record.registered,
        ),
        (
            seeded.arn().as_str(),
            seeded.sender_id.as_str(),
            seeded.iso_country_code.as_str(),
            seeded.monthly_leasing_price.as_str(),
            seeded.deletion_protection_enabled,
            seeded.registered,
        )
    );
}

async fn release(emulator: &Emulator, key: &Key) {
    sdk_client(&emulator.endpoint_url(), US)
        .release_sender_id()
        .sender_id(&key.id)
        .iso_country_code(&key.country)
        .send()
        .await
        .expect("released beforehand");
}

#[tokio::test]
async fn twenty_five_own_sender_ids_are_reread_in_two_calls_matched_by_id_and_country() {
    let emulator = Emulator::start_local(Seed::demo()).await.expect("emulator");
    let api = connect(&emulator, &[US]).await;
    // Left out of the ask while the same sender ID is asked in other countries, and their
    // countries are asked for other sender IDs: the filter answers hold them.
    let decoys = [
        own("ACMEBANK", "DE"),
        own("SHOPNOW", "GB"),
        own("FASTCAB", "GB"),
    ];
    let keys: Vec<Key> = emulator
        .sender_ids(US)
        .iter()
        .filter(|s| !s.is_shared())
        .map(|s| own(&s.sender_id, &s.iso_country_code))
        .filter(|k| !decoys.contains(k))
        .collect();
    assert_eq!(keys.len(), 25);
    // Gone since they were marked; each sender ID is still there in another country.
    let gone = [own("SHOPNOW", "AE"), own("FASTCAB", "NG")];
    for key in &gone {
        release(&emulator, key).await;
    }
    emulator.clear_received();

    let reread = api.reread(US, &keys).await.expect("re-read");

    let asked: Vec<&Key> = reread.iter().map(|(k, _)| k).collect();
    assert_eq!(
        asked,
        keys.iter().collect::<Vec<_>>(),
        "one answer per key, in order"
    );
    let now = emulator.sender_ids(US);
    for (key, result) in &reread {
        match (result, gone.contains(key)) {
            (Reread::Gone, true) => {}
            (Reread::Present(record), false) => {
                let seeded = now
                    .iter()
                    .find(|s| !s.is_shared() && own(&s.sender_id, &s.iso_country_code) == *key)
                    .expect("in the inventory");
                assert_is(record, seeded);
            }
            (other, expected_gone) => panic!("{key}: {other:?}, gone expected: {expected_gone}"),
        }
    }

    let received = emulator.received();
    assert!(
        received.count_in("DescribeSenderIds", US) <= 2,
        "{} calls",
        received.count_in("DescribeSenderIds", US)
    );
    assert_eq!(received.total(), received.count_in("DescribeSenderIds", US));
    let requests = received.requests();
    let mut decoys_answered = BTreeSet::new();
    for request in requests {
        assert_eq!(request.body["Owner"], "SELF");
        assert_eq!(
            request.body.get("SenderIds"),
            None,
            "own ones are read by filter"
        );
        let (ids, countries) = (
            filter_values(request, "sender-id"),
            filter_values(request, "iso-country-code"),
        );
        assert!(ids.len() <= 20 && countries.len() <= 20);
        for decoy in &decoys {
            if ids.contains(&decoy.id) && countries.contains(&decoy.country) {
                decoys_answered.insert(decoy.clone());
            }
        }
    }
    assert!(
        !decoys_answered.is_empty(),
        "an answer held a sender ID in a country not asked for it"
    );
}

#[tokio::test]
async fn own_and_shared_ghosts_changes_and_duplicates() {
    let emulator = Emulator::start_local(Seed::demo()).await.expect("emulator");
    let api = connect(&emulator, &[US]).await;
    let client = sdk_client(&emulator.endpoint_url(), US);
    client
        .update_sender_id()
        .sender_id("ACMEPAY")
        .iso_country_code("NL")
        .deletion_protection_enabled(true)
        .send()
        .await
        .expect("protected since the listing");
    let shared = |id: &str, country: &str| Key {
        region: US.to_owned(),
        country: country.to_owned(),
        id: format!("arn:aws:sms-voice:{US}:444455556666:sender-id/{id}/{country}"),
    };
    let keys = vec![
        own("ACMEPAY", "NL"),
        shared("GLOBEX", "GB"),
        own("ACMEPAY", "FR"),
        shared("GLOBEX", "DE"),
        own("NEVERWAS", "GB"),
        own("ACMEPAY", "NL"),
        shared("GLOBEX", "FR"),
    ];
    emulator.clear_received();
    let reread = api.reread(US, &keys).await.expect("re-read");
    let outcome: Vec<(String, Option<bool>)> = reread
        .iter()
        .map(|(k, r)| {
            let present = match r {
                Reread::Present(record) => {
                    assert_eq!(record.key(), *k);
                    Some(record.deletion_protection)
                }
                Reread::Gone => None,
            };
            (
                format!(
                    "{}/{}",
                    k.id.rsplit(':').next().unwrap_or_default(),
                    k.country
                ),
                present,
            )
        })
        .collect();
    assert_eq!(
        outcome,
        [
            ("ACMEPAY/NL".to_owned(), Some(true)),
            ("sender-id/GLOBEX/GB/GB".to_owned(), Some(false)),
            ("ACMEPAY/FR".to_owned(), None),
            ("sender-id/GLOBEX/DE/DE".to_owned(), None),
            ("NEVERWAS/GB".to_owned(), None),
            ("ACMEPAY/NL".to_owned(), Some(true)),
            ("sender-id/GLOBEX/FR/FR".to_owned(), Some(false)),
        ]
    );
    let requests = emulator.received().requests().to_vec();
    let by_filter = requests
        .iter()
        .filter(|r| r.body.get("Filters").is_some())
        .count();
    let by_arn: Vec<&Value> = requests
        .iter()
        .filter_map(|r| r.body.get("SenderIds"))
        .collect();
    assert_eq!(by_filter, 1, "the own ones in one listing");
    assert!(!by_arn.is_empty(), "shared ones by ARN");
    for named in by_arn {
        let arns = named.as_array().cloned().unwrap_or_default();
        assert!(arns.iter().all(|n| {
            n["SenderId"]
                .as_str()
                .is_some_and(|id| id.starts_with("arn:"))
        }));
    }
}
