//! DescribeSenderIds paging through the real SDK client:
//! every page size covers the inventory exactly once, tokens are unique and bound to their query
//! and region, releases between pages neither skip nor repeat anything.

use std::collections::HashSet;

use crate::support::{client, filter, walk};
use aws_sdk_pinpointsmsvoicev2 as sms;
use sidman::emulator::{Emulator, Seed};
use sms::operation::describe_sender_ids::DescribeSenderIdsError;
use sms::types::{Owner, ValidationExceptionReason};

async fn big() -> Emulator {
    let seed = Seed::demo().with_synthetic(&["us-east-1"], 250);
    Emulator::start_local(seed).await.expect("emulator starts")
}

fn validation_reason(err: DescribeSenderIdsError) -> Option<ValidationExceptionReason> {
    match err {
        DescribeSenderIdsError::ValidationException(e) => e.reason().cloned(),
        other => panic!("expected ValidationException, got {other:?}"),
    }
}

#[tokio::test]
async fn every_page_size_covers_the_inventory_exactly_once() {
    let emulator = big().await;
    let client = client(&emulator.endpoint_url(), "us-east-1");
    let expected: HashSet<String> = emulator
        .sender_ids("us-east-1")
        .iter()
        .map(|s| s.arn())
        .collect();
    assert_eq!(expected.len(), 280);
    for page_size in [Some(1), Some(7), Some(100), None] {
        let (items, tokens) = walk(&client, page_size, &[]).await;
        let arns: Vec<String> = items.iter().map(|s| s.sender_id_arn().to_owned()).collect();
        let unique: HashSet<String> = arns.iter().cloned().collect();
        assert_eq!(
            arns.len(),
            unique.len(),
            "no duplicates at page size {page_size:?}"
        );
        assert_eq!(unique, expected, "everything at page size {page_size:?}");
        let distinct_tokens: HashSet<&String> = tokens.iter().collect();
        assert_eq!(
            distinct_tokens.len(),
            tokens.len(),
            "tokens are never repeated"
        );
        let keys: Vec<(String, String, String)> = items
            .iter()
            .map(|s| {
                (
                    s.iso_country_code().to_owned(),
                    s.sender_id().to_owned(),
                    s.sender_id_arn().to_owned(),
                )
            })
            .collect();
        assert!(
            keys.windows(2).all(|w| w[0] < w[1]),
            "stable order by country, sender ID, ARN"
        );
    }
    let (_, tokens) = walk(&client, None, &[]).await;
    assert_eq!(tokens.len(), 2, "280 items in pages of 100 (the default)");
}

#[tokio::test]
async fn the_paginator_of_the_sdk_works() {
    let emulator = big().await;
    let client = client(&emulator.endpoint_url(), "us-east-1");
    let items: Vec<_> = client
        .describe_sender_ids()
        .into_paginator()
        .page_size(9)
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("all pages");
    assert_eq!(items.len(), 280);
}

#[tokio::test]
async fn tokens_are_checked() {
    let emulator = big().await;
    let client = client(&emulator.endpoint_url(), "us-east-1");
    let forged = client
        .describe_sender_ids()
        .next_token("AAAAforgedtoken")
        .send()
        .await;
    let reason = validation_reason(forged.expect_err("forged").into_service_error());
    assert_eq!(reason, Some(ValidationExceptionReason::InvalidNextToken));

    let first = client
        .describe_sender_ids()
        .max_results(5)
        .send()
        .await
        .expect("first page");
    let token = first.next_token().expect("more pages").to_owned();
    let other_filters = client
        .describe_sender_ids()
        .filters(filter("iso-country-code", &["GB"]))
        .next_token(&token)
        .send()
        .await;
    let reason = validation_reason(
        other_filters
            .expect_err("other filters")
            .into_service_error(),
    );
    assert_eq!(reason, Some(ValidationExceptionReason::InvalidNextToken));

    let other_owner = client
        .describe_sender_ids()
        .owner(Owner::SelfValue)
        .next_token(&token)
        .send()
        .await;
    assert!(other_owner.is_err(), "a token is bound to Owner too");

    let eu = crate::support::client(&emulator.endpoint_url(), "eu-west-1");
    let other_region = eu.describe_sender_ids().next_token(&token).send().await;
    let reason = validation_reason(other_region.expect_err("other region").into_service_error());
    assert_eq!(reason, Some(ValidationExceptionReason::InvalidNextToken));

    let second = client
        .describe_sender_ids()
        .max_results(5)
        .next_token(&token)
        .send()
        .await
        .expect("second");
    let again = client
        .describe_sender_ids()
        .max_results(5)
        .next_token(&token)
        .send()
        .await
        .expect("retry");
    assert_eq!(
        second.sender_ids(),
        again.sender_ids(),
        "a retried page gives the same items"
    );
    assert_ne!(second.next_token(), again.next_token(), "but a fresh token");

    for bad in [0, 101, -1] {
        let err = client
            .describe_sender_ids()
            .max_results(bad)
            .send()
            .await
            .expect_err("range");
        let DescribeSenderIdsError::ValidationException(e) = err.into_service_error() else {
            panic!("expected ValidationException");
        };
        assert_eq!(e.fields()[0].name(), "MaxResults");
        assert_eq!(e.fields()[0].message(), "Value must be between 1 and 100");
    }
}

#[tokio::test]
async fn releases_between_pages_skip_and_repeat_nothing() {
    let emulator = big().await;
    let client = client(&emulator.endpoint_url(), "us-east-1");
    let releasable: Vec<_> = emulator
        .sender_ids("us-east-1")
        .into_iter()
        .filter(|s| !s.is_shared() && !s.deletion_protection_enabled && s.pool.is_none())
        .collect();
    let first = client
        .describe_sender_ids()
        .max_results(20)
        .send()
        .await
        .expect("page 1");
    let served: HashSet<String> = first
        .sender_ids()
        .iter()
        .map(|s| s.sender_id_arn().to_owned())
        .collect();
    // Release one already served (the cursor itself when possible) and one not yet served.
    let cursor = first.sender_ids().last().expect("items");
    let behind = releasable
        .iter()
        .find(|s| s.arn() == cursor.sender_id_arn())
        .or_else(|| releasable.iter().find(|s| served.contains(&s.arn())))
        .expect("a served one");
    let ahead = releasable
        .iter()
        .find(|s| !served.contains(&s.arn()))
        .expect("an unserved one");
    for victim in [behind, ahead] {
        let call = client
            .release_sender_id()
            .sender_id(&victim.sender_id)
            .iso_country_code(&victim.iso_country_code);
        call.send().await.expect("release");
    }
    let mut all: Vec<String> = served.iter().cloned().collect();
    let mut next = first.next_token().map(str::to_owned);
    while let Some(token) = next {
        let page = client
            .describe_sender_ids()
            .max_results(20)
            .next_token(token)
            .send()
            .await
            .expect("page");
        all.extend(
            page.sender_ids()
                .iter()
                .map(|s| s.sender_id_arn().to_owned()),
        );
        next = page.next_token().map(str::to_owned);
    }
    let unique: HashSet<&String> = all.iter().collect();
    assert_eq!(unique.len(), all.len(), "nothing repeated");
    let now: HashSet<String> = emulator
        .sender_ids("us-east-1")
        .iter()
        .map(|s| s.arn())
        .collect();
    assert!(
        now.iter().all(|arn| unique.contains(arn)),
        "nothing that still exists was skipped"
    );
    assert!(
        !unique.contains(&ahead.arn()),
        "a sender ID released before its page is not served"
    );
}
