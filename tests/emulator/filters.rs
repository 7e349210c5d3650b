//! DescribeSenderIds filters (each of the five, AND across filters, OR within one, invalid ones),
//! Owner SELF/SHARED, and region isolation by the SigV4 scope, through the real SDK client.

use crate::support::{client, filter, own_arn, walk};
use aws_sdk_pinpointsmsvoicev2 as sms;
use sidman::emulator::{Emulator, Seed};
use sms::operation::describe_sender_ids::DescribeSenderIdsError;
use sms::types::{Owner, SenderIdAndCountry, ValidationExceptionReason};

#[tokio::test]
async fn each_filter_and_their_combinations() {
    let emulator = Emulator::start_local(Seed::demo())
        .await
        .expect("emulator starts");
    let client = client(&emulator.endpoint_url(), "us-east-1");
    let inventory = emulator.sender_ids("us-east-1");
    let count = |pred: &dyn Fn(&sidman::emulator::SeedSenderId) -> bool| {
        inventory.iter().filter(|s| pred(s)).count()
    };

    let cases: Vec<(Vec<sms::types::SenderIdFilter>, usize)> = vec![
        (
            vec![filter("sender-id", &["ACMEBANK"])],
            count(&|s| s.sender_id == "ACMEBANK"),
        ),
        (
            vec![filter("iso-country-code", &["GB"])],
            count(&|s| s.iso_country_code == "GB"),
        ),
        (
            vec![filter("iso-country-code", &["GB", "DE"])],
            count(&|s| s.iso_country_code == "GB" || s.iso_country_code == "DE"),
        ),
        (
            vec![filter("message-type", &["PROMOTIONAL"])],
            count(&|s| s.message_types.iter().any(|t| t == "PROMOTIONAL")),
        ),
        (
            vec![filter("deletion-protection-enabled", &["true"])],
            count(&|s| s.deletion_protection_enabled),
        ),
        (
            vec![filter("registered", &["false"])],
            count(&|s| !s.registered),
        ),
        (
            vec![filter("registered", &["true", "false"])],
            inventory.len(),
        ),
        (
            vec![
                filter("sender-id", &["ACMEBANK", "ACME-OTP"]),
                filter("registered", &["true"]),
            ],
            count(&|s| (s.sender_id == "ACMEBANK" || s.sender_id == "ACME-OTP") && s.registered),
        ),
    ];
    for (filters, expected) in cases {
        let (items, _) = walk(&client, Some(3), &filters).await;
        assert!(expected > 0, "the demo seed exercises {filters:?}");
        assert_eq!(items.len(), expected, "{filters:?}");
    }

    for (bad, reason) in [
        (
            filter("colour", &["red"]),
            ValidationExceptionReason::FieldValidationFailed,
        ),
        (
            filter("message-type", &["SPAM"]),
            ValidationExceptionReason::InvalidFilterValues,
        ),
        (
            filter("registered", &["yes"]),
            ValidationExceptionReason::InvalidFilterValues,
        ),
        (
            filter("sender-id", &["has space"]),
            ValidationExceptionReason::FieldValidationFailed,
        ),
    ] {
        let err = client
            .describe_sender_ids()
            .filters(bad.clone())
            .send()
            .await
            .expect_err("bad filter");
        let DescribeSenderIdsError::ValidationException(e) = err.into_service_error() else {
            panic!("expected ValidationException for {bad:?}");
        };
        assert_eq!(e.reason(), Some(&reason), "{bad:?}");
        assert!(e.fields()[0].name().starts_with("Filters[0]"));
    }
}

#[tokio::test]
async fn owner_splits_own_and_shared() {
    let emulator = Emulator::start_local(Seed::demo())
        .await
        .expect("emulator starts");
    let client = client(&emulator.endpoint_url(), "us-east-1");
    let all = client.describe_sender_ids().send().await.expect("all");
    let own = client
        .describe_sender_ids()
        .owner(Owner::SelfValue)
        .send()
        .await
        .expect("self");
    let shared = client
        .describe_sender_ids()
        .owner(Owner::Shared)
        .send()
        .await
        .expect("shared");
    assert!(!shared.sender_ids().is_empty());
    assert_eq!(
        own.sender_ids().len() + shared.sender_ids().len(),
        all.sender_ids().len()
    );
    assert!(
        shared
            .sender_ids()
            .iter()
            .all(|s| s.sender_id_arn().contains(":444455556666:"))
    );
    assert!(
        own.sender_ids()
            .iter()
            .all(|s| s.sender_id_arn().contains(":111122223333:"))
    );
}

#[tokio::test]
async fn regions_are_kept_apart() {
    let emulator = Emulator::start_local(Seed::demo())
        .await
        .expect("emulator starts");
    let us = client(&emulator.endpoint_url(), "us-east-1");
    let eu = client(&emulator.endpoint_url(), "eu-west-1");
    let (us_items, _) = walk(&us, None, &[]).await;
    let (eu_items, _) = walk(&eu, None, &[]).await;
    assert_eq!(us_items.len(), emulator.sender_ids("us-east-1").len());
    assert_eq!(eu_items.len(), emulator.sender_ids("eu-west-1").len());
    assert!(
        us_items
            .iter()
            .all(|s| s.sender_id_arn().contains(":us-east-1:"))
    );
    assert!(
        eu_items
            .iter()
            .all(|s| s.sender_id_arn().contains(":eu-west-1:"))
    );

    for c in [&us, &eu] {
        c.request_sender_id()
            .sender_id("BOTHREGION")
            .iso_country_code("GB")
            .send()
            .await
            .expect("request");
    }
    us.release_sender_id()
        .sender_id("BOTHREGION")
        .iso_country_code("GB")
        .send()
        .await
        .expect("release in us");
    let still = eu
        .describe_sender_ids()
        .sender_ids(
            SenderIdAndCountry::builder()
                .sender_id("BOTHREGION")
                .iso_country_code("GB")
                .build()
                .expect("pair"),
        )
        .send()
        .await
        .expect("still in eu-west-1");
    assert_eq!(
        still.sender_ids()[0].sender_id_arn(),
        own_arn("eu-west-1", "BOTHREGION", "GB")
    );

    let cross = us
        .describe_sender_ids()
        .sender_ids(
            SenderIdAndCountry::builder()
                .sender_id(own_arn("eu-west-1", "BOTHREGION", "GB"))
                .iso_country_code("GB")
                .build()
                .expect("pair"),
        )
        .send()
        .await;
    let err = cross
        .expect_err("an ARN of another region")
        .into_service_error();
    assert!(
        matches!(err, DescribeSenderIdsError::ResourceNotFoundException(_)),
        "{err:?}"
    );
    let empty = client(&emulator.endpoint_url(), "ca-central-1")
        .describe_sender_ids()
        .send()
        .await
        .expect("empty region");
    assert!(empty.sender_ids().is_empty());
    assert!(empty.next_token().is_none());
}

/// What the re-read relies on: `sender-id` AND `iso-country-code` give every sender ID of one
/// list in every country of the other, each filter holding 1-20 values of the model's pattern.
#[tokio::test]
async fn sender_id_and_country_filters_cross_within_the_models_limits() {
    let emulator = Emulator::start_local(Seed::demo())
        .await
        .expect("emulator starts");
    let client = client(&emulator.endpoint_url(), "us-east-1");
    let (ids, countries) = (["ACMEBANK", "SHOPNOW"], ["GB", "AE", "FR"]);
    let mut expected: Vec<String> = emulator
        .sender_ids("us-east-1")
        .iter()
        .filter(|s| !s.is_shared())
        .filter(|s| ids.contains(&s.sender_id.as_str()))
        .filter(|s| countries.contains(&s.iso_country_code.as_str()))
        .map(|s| format!("{}/{}", s.sender_id, s.iso_country_code))
        .collect();
    expected.sort();
    assert_eq!(
        expected,
        ["ACMEBANK/FR", "ACMEBANK/GB", "SHOPNOW/AE", "SHOPNOW/GB"]
    );
    let filters = [
        filter("sender-id", &ids),
        filter("iso-country-code", &countries),
    ];
    let mut got: Vec<String> = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let page = client
            .describe_sender_ids()
            .owner(Owner::SelfValue)
            .set_filters(Some(filters.to_vec()))
            .max_results(1)
            .set_next_token(next.take())
            .send()
            .await
            .expect("page");
        got.extend(
            page.sender_ids()
                .iter()
                .map(|s| format!("{}/{}", s.sender_id(), s.iso_country_code())),
        );
        match page.next_token() {
            Some(token) => next = Some(token.to_owned()),
            None => break,
        }
    }
    got.sort();
    assert_eq!(got, expected);

    let twenty: Vec<String> = (0..20).map(|n| format!("ID{n}")).collect();
    let twenty: Vec<&str> = twenty.iter().map(String::as_str).collect();
    let mut all_countries: Vec<String> = Vec::new();
    for a in b'A'..=b'B' {
        for b in b'A'..=b'K' {
            all_countries.push(String::from_utf8(vec![a, b]).expect("ascii"));
        }
    }
    let countries: Vec<&str> = all_countries.iter().map(String::as_str).collect();
    let ok = client
        .describe_sender_ids()
        .filters(filter("sender-id", &twenty))
        .filters(filter("iso-country-code", &countries[..20]))
        .send()
        .await
        .expect("20 values a filter");
    assert!(ok.sender_ids().is_empty());
    let mut twenty_one = twenty.clone();
    twenty_one.push("ID20");
    for bad in [
        filter("sender-id", &twenty_one),
        filter("iso-country-code", &countries[..21]),
        filter("sender-id", &["ACME BANK"]),
    ] {
        let err = client
            .describe_sender_ids()
            .filters(bad.clone())
            .send()
            .await
            .expect_err("outside the model")
            .into_service_error();
        let DescribeSenderIdsError::ValidationException(e) = err else {
            panic!("a ValidationException for {bad:?}");
        };
        assert_eq!(
            e.reason(),
            Some(&ValidationExceptionReason::FieldValidationFailed),
            "{bad:?}"
        );
    }
}
