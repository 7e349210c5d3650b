//! Each malformed or hostile answer, through the real SDK client that `aws::connect` builds,
//! against the emulator in hostile mode on 127.0.0.1: sidman's `Api` must give a clear error or
//! safe records within a bounded time (every case runs under `bounded`), never panic, never hang,
//! never hold more than its caps. Listing, re-reading and releasing are each exercised where the
//! mode touches them.

use crate::common::harness::sdk_client;
use crate::common::hostile::{REGION, assert_clean, assert_error_clean, bounded, hostile_api};
use sidman::aws::{
    Api, ApiError, ErrorKind, ListFilters, MAX_PAGES, MAX_RECORDS, MAX_RESPONSE_BYTES, Reread,
};
use sidman::domain::{Key, MessageType, Ownership, SenderIdRecord};
use sidman::emulator::{Hostile, Malformed};

/// One owner's whole listing: the records handed over, and how the listing ended.
async fn list(api: &Api, ownership: Ownership) -> (Vec<SenderIdRecord>, Result<(), ApiError>) {
    let mut records = Vec::new();
    let end = bounded(
        "listing",
        api.list_all(REGION, ownership, &ListFilters::default(), |page| {
            records.extend(page);
        }),
    )
    .await;
    (records, end)
}

fn own(id: &str, country: &str) -> Key {
    Key {
        region: REGION.to_owned(),
        country: country.to_owned(),
        id: id.to_owned(),
    }
}

fn assert_record_clean(r: &SenderIdRecord) {
    let what = format!("record {:?}", r.sender_id);
    for s in [&r.arn, &r.sender_id, &r.country, &r.price.raw] {
        assert_clean(&what, s);
    }
    for s in [&r.registration_id, &r.pricing_tier].into_iter().flatten() {
        assert_clean(&what, s);
    }
    for t in &r.message_types {
        assert_clean(&what, t.as_str());
    }
    if let Some(l) = &r.messaging_limits {
        for k in l.rate_limits.keys().chain(l.daily_message_caps.keys()) {
            assert_clean(&what, k);
        }
    }
}

#[tokio::test]
async fn escape_sequences_in_every_field_are_neutralised() {
    let (_emulator, api) = hostile_api(Hostile::Escapes).await;
    let (mine, end) = list(&api, Ownership::Own).await;
    assert_eq!(end, Ok(()), "the escaped page token was followed");
    let (shared, end) = list(&api, Ownership::Shared).await;
    assert_eq!(end, Ok(()));
    assert_eq!((mine.len(), shared.len()), (4, 1));
    for r in mine.iter().chain(&shared) {
        assert_record_clean(r);
    }
    let acme = &mine[0];
    assert_eq!(
        acme.sender_id, "AC\u{fffd}[31mME",
        "shown, with ESC made visible"
    );
    assert_eq!(acme.price.value, None, "an escaped price is not a number");
    assert!(mine.iter().any(|r| r.sender_id == "PLAIN"));

    let keys: Vec<Key> = mine.iter().map(SenderIdRecord::key).collect();
    let reread = bounded("re-read", api.reread(REGION, &keys)).await;
    let reread = reread.expect("re-read");
    assert!(reread.iter().all(|(_, r)| matches!(r, Reread::Present(_))));

    let released = bounded(
        "release",
        api.mutate(&acme.key(), sidman::domain::Mutation::Release),
    )
    .await;
    let released = released.expect("released");
    for (name, value) in &released.fields {
        assert_clean(name, value);
    }
    let fail = mine.iter().find(|r| r.sender_id.starts_with("FAIL"));
    let refused = bounded(
        "release",
        api.mutate(
            &fail.expect("FAIL").key(),
            sidman::domain::Mutation::Release,
        ),
    )
    .await;
    let refused = refused.expect_err("refused");
    assert_eq!(refused.code, "ConflictException");
    assert_error_clean("release refused", &refused);
    assert!(refused.message.contains("denied"), "{}", refused.message);
}

#[tokio::test]
async fn error_members_with_escape_sequences_are_neutralised() {
    let cases = [
        (
            Hostile::ErrorBodies,
            "ValidationException",
            ErrorKind::Service,
        ),
        (
            Hostile::ServerFault,
            "InternalServerException",
            ErrorKind::ServerFault,
        ),
        (
            Hostile::ErrorType { header: false },
            "Throttling",
            ErrorKind::Service,
        ),
        (
            Hostile::ErrorType { header: true },
            "AccessDenied",
            ErrorKind::Service,
        ),
        (
            Hostile::ErrorWithoutType,
            "UnknownError",
            ErrorKind::Service,
        ),
    ];
    for (mode, code, kind) in cases {
        let (_emulator, api) = hostile_api(mode.clone()).await;
        let (records, end) = list(&api, Ownership::Own).await;
        let e = end.expect_err("a refused listing is an error");
        assert!(records.is_empty());
        assert_error_clean(&format!("{mode:?}"), &e);
        assert!(e.code.contains(code), "{mode:?}: {e:?}");
        assert_eq!(e.kind, kind, "{mode:?}: {e:?}");
        assert!(!e.message.is_empty(), "{mode:?}: a message to show");
        let refused = bounded(
            "release",
            api.mutate(&own("ACME", "GB"), sidman::domain::Mutation::Release),
        )
        .await;
        assert_error_clean(&format!("{mode:?} release"), &refused.expect_err("refused"));
    }
}

#[tokio::test]
async fn malformed_json_is_a_clear_error_and_an_unknown_release_outcome() {
    for kind in [
        Malformed::Truncated,
        Malformed::NotJson,
        Malformed::WrongTypes,
        Malformed::InvalidUtf8,
    ] {
        let (_emulator, api) = hostile_api(Hostile::Malformed(kind)).await;
        let (records, end) = list(&api, Ownership::Own).await;
        let e = end.expect_err("unreadable");
        assert!(records.is_empty());
        assert_error_clean(&format!("{kind:?}"), &e);
        assert_eq!(
            (e.kind, e.code.as_str()),
            (ErrorKind::BadResponse, "MalformedResponse")
        );
        assert!(e.message.contains("HTTP 200"), "{kind:?}: {}", e.message);
        let released = bounded(
            "release",
            api.mutate(&own("ACME", "GB"), sidman::domain::Mutation::Release),
        )
        .await;
        let e = released.expect_err("unreadable");
        assert!(
            e.outcome_unknown(),
            "{kind:?}: a 200 that cannot be read may have released: {e:?}"
        );
    }
}

#[tokio::test]
async fn sender_ids_without_identity_are_left_out_and_counted() {
    let (_emulator, api) = hostile_api(Hostile::MissingMembers).await;
    let (records, end) = list(&api, Ownership::Own).await;
    let shown: Vec<&str> = records.iter().map(|r| r.sender_id.as_str()).collect();
    assert_eq!(shown, ["COMPLETE", "BARE"]);
    let bare = &records[1];
    assert_eq!(
        bare.price.value, None,
        "a missing price is unreadable, not $0"
    );
    assert!(bare.message_types.is_empty());
    let e = end.expect_err("the left-out ones are reported");
    assert_eq!(e.code, "IncompleteSenderIds");
    assert!(e.message.contains('3'), "{}", e.message);
    let (shared, end) = list(&api, Ownership::Shared).await;
    assert!(
        shared.is_empty(),
        "a shared one without its ARN cannot be named"
    );
    assert!(end.is_err());
    let reread = bounded("re-read", api.reread(REGION, &[own("BARE", "FR")])).await;
    let e = reread.expect_err("an answer that identifies nothing is not 'gone'");
    assert_eq!(e.code, "IncompleteSenderIds");
    let released = bounded(
        "release",
        api.mutate(&own("BARE", "FR"), sidman::domain::Mutation::Release),
    )
    .await;
    let released = released.expect("a 200 {} is a release with no details");
    assert!(
        released
            .fields
            .iter()
            .any(|(n, v)| *n == "SenderId" && v.is_empty())
    );
}

#[tokio::test]
async fn unknown_message_types_and_reasons_are_shown_as_they_came() {
    let (_emulator, api) = hostile_api(Hostile::UnknownEnums).await;
    let (records, end) = list(&api, Ownership::Own).await;
    assert_eq!(end, Ok(()));
    let types: Vec<String> = records
        .iter()
        .map(SenderIdRecord::message_type_label)
        .collect();
    assert_eq!(
        types,
        ["CONVERSATIONAL", "TRANSACTIONAL+FUTURE_TYPE", "(none)"]
    );
    assert_eq!(
        records[0].message_types,
        [MessageType::Other("CONVERSATIONAL".into())]
    );
    let refused = bounded(
        "release",
        api.mutate(&own("CONVO", "GB"), sidman::domain::Mutation::Release),
    )
    .await;
    let e = refused.expect_err("refused");
    assert_eq!(e.code, "ConflictException");
    assert_eq!(e.reason.as_deref(), Some("SOME_FUTURE_REASON"));
    assert_eq!(e.resource_type.as_deref(), Some("future-resource-type"));
}

#[tokio::test]
async fn absurd_sizes_are_cut_or_refused() {
    let five_mb = 5 * 1024 * 1024;
    let (_emulator, api) = hostile_api(Hostile::HugeField { chars: five_mb }).await;
    let (records, end) = list(&api, Ownership::Own).await;
    assert_eq!(end, Ok(()));
    let id = records[0].registration_id.as_deref().unwrap_or_default();
    assert!(id.chars().count() <= sidman::sanitize::MAX_FIELD_CHARS + 10);
    assert!(id.ends_with("[cut]"), "a 5 MB field is cut");
    assert_clean("huge field", id);
    let refused = bounded(
        "release",
        api.mutate(&own("HUGE", "GB"), sidman::domain::Mutation::Release),
    )
    .await;
    let e = refused.expect_err("refused");
    assert!(e.message.len() < 20_000, "a 5 MB message is cut");

    let too_big = usize::try_from(MAX_RESPONSE_BYTES).unwrap_or(usize::MAX) + 1024;
    for mode in [
        Hostile::HugeField { chars: too_big },
        Hostile::HugePage { items: 100_000 },
        Hostile::HugeChunked { bytes: too_big },
    ] {
        let (_emulator, api) = hostile_api(mode.clone()).await;
        let (records, end) = list(&api, Ownership::Own).await;
        let e = end.expect_err("refused");
        assert!(records.is_empty());
        assert_eq!(e.code, "ResponseTooLarge", "{mode:?}: {e:?}");
        assert!(e.message.contains("16 MiB"), "{}", e.message);
    }

    let (_emulator, api) = hostile_api(Hostile::HugePage { items: 50_000 }).await;
    let (records, end) = list(&api, Ownership::Own).await;
    assert_eq!(end, Ok(()), "a big page under the size limit is read");
    assert_eq!(records.len(), 50_000);

    let (_emulator, api) = hostile_api(Hostile::HugeChunked { bytes: 1 << 20 }).await;
    let (records, end) = list(&api, Ownership::Own).await;
    assert_eq!(
        (records.len(), end),
        (0, Ok(())),
        "a chunked body under the limit"
    );
}

#[tokio::test]
async fn page_tokens_that_repeat_grow_or_never_end_stop_the_listing() {
    let (emulator, api) = hostile_api(Hostile::RepeatingToken).await;
    let (records, end) = list(&api, Ownership::Own).await;
    assert_eq!(end.map_err(|e| e.code), Err("RepeatedNextToken".to_owned()));
    assert_eq!(
        records.len(),
        3,
        "the pages before the loop were handed over"
    );
    assert_eq!(emulator.received().count("DescribeSenderIds"), 3);

    let (_emulator, api) = hostile_api(Hostile::HugeToken { chars: 1 << 20 }).await;
    let (_, end) = list(&api, Ownership::Own).await;
    assert_eq!(end.map_err(|e| e.code), Err("InvalidNextToken".to_owned()));

    let per_page = 5_000;
    let (emulator, api) = hostile_api(Hostile::EndlessToken {
        items_per_page: per_page,
    })
    .await;
    let (records, end) = list(&api, Ownership::Own).await;
    assert_eq!(end.map_err(|e| e.code), Err("TooManySenderIds".to_owned()));
    assert!(records.len() <= MAX_RECORDS + per_page, "{}", records.len());
    assert_eq!(
        emulator.received().count("DescribeSenderIds"),
        MAX_RECORDS / per_page + 1
    );
    drop(records);

    let (emulator, api) = hostile_api(Hostile::EndlessToken { items_per_page: 0 }).await;
    let (_, end) = list(&api, Ownership::Shared).await;
    assert_eq!(end.map_err(|e| e.code), Err("TooManyPages".to_owned()));
    assert_eq!(emulator.received().count("DescribeSenderIds"), MAX_PAGES);
}

/// sidman never reads tags, so no tag reaches its terminal; this checks the knob itself serves
/// them, for other clients of the emulator.
#[tokio::test]
async fn the_hostile_emulator_serves_escaped_tags() {
    let (emulator, _api) = hostile_api(Hostile::Escapes).await;
    let client = sdk_client(&emulator.endpoint_url(), REGION);
    let arn = "arn:aws:sms-voice:us-east-1:111122223333:sender-id/ACME/GB";
    let tags = bounded(
        "tags",
        client.list_tags_for_resource().resource_arn(arn).send(),
    )
    .await
    .expect("tags");
    assert!(tags.tags().iter().any(|t| t.key().contains('\u{1b}')));
}
