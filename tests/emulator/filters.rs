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
