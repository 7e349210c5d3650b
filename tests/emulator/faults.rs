//! The fault knobs (latency, throttling, internal errors, per-region rate limit, throttled
//! regions), synthetic
//! inventories and the record of received requests, through the real SDK client. Timing is only
//! ever asserted as a lower bound.

use std::time::{Duration, Instant};

use crate::support::{client, walk};
use aws_sdk_pinpointsmsvoicev2 as sms;
use sidman::emulator::{Emulator, EmulatorConfig, Faults, Seed};
use sms::operation::describe_sender_ids::DescribeSenderIdsError;
use sms::operation::release_sender_id::ReleaseSenderIdError;

async fn demo() -> Emulator {
    Emulator::start_local(Seed::demo())
        .await
        .expect("emulator starts")
}

#[tokio::test]
async fn latency_is_added() {
    let emulator = demo().await;
    let client = client(&emulator.endpoint_url(), "us-east-1");
    emulator.set_faults(Faults {
        latency: Duration::from_millis(150),
        ..Faults::default()
    });
    let started = Instant::now();
    client
        .describe_sender_ids()
        .max_results(1)
        .send()
        .await
        .expect("describe");
    assert!(started.elapsed() >= Duration::from_millis(150));
}

#[tokio::test]
async fn throttling_and_internal_errors_are_typed() {
    let emulator = demo().await;
    let client = client(&emulator.endpoint_url(), "us-east-1");
    emulator.set_faults(Faults {
        throttle_probability: 1.0,
        ..Faults::default()
    });
    let err = client
        .describe_sender_ids()
        .send()
        .await
        .expect_err("throttled");
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(400));
    assert!(matches!(
        err.into_service_error(),
        DescribeSenderIdsError::ThrottlingException(_)
    ));

    emulator.set_faults(Faults {
        internal_error_probability: 1.0,
        ..Faults::default()
    });
    let err = client
        .release_sender_id()
        .sender_id("SHOPNOW")
        .iso_country_code("GB")
        .send()
        .await
        .expect_err("500");
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(500));
    let ReleaseSenderIdError::InternalServerException(e) = err.into_service_error() else {
        panic!("expected InternalServerException");
    };
    assert!(e.request_id().is_some_and(|id| id.len() == 36));
    assert!(
        emulator
            .sender_ids("us-east-1")
            .iter()
            .any(|s| s.sender_id == "SHOPNOW"),
        "a failed call changed nothing"
    );

    emulator.set_faults(Faults::default());
    client
        .describe_sender_ids()
        .send()
        .await
        .expect("healthy again");
}

#[tokio::test]
async fn the_rate_limit_is_per_region() {
    let config = EmulatorConfig {
        faults: Faults {
            rate_limit_per_region: Some(5.0),
            ..Faults::default()
        },
        ..EmulatorConfig::default()
    };
    let emulator = Emulator::start(config).await.expect("emulator starts");
    let us = client(&emulator.endpoint_url(), "us-east-1");
    let mut outcomes = Vec::new();
    for _ in 0..30 {
        outcomes.push(us.describe_sender_ids().max_results(1).send().await);
    }
    assert!(outcomes[0].is_ok(), "the bucket starts full");
    let throttled = outcomes
        .into_iter()
        .filter_map(Result::err)
        .filter(|e| {
            matches!(
                e.as_service_error(),
                Some(DescribeSenderIdsError::ThrottlingException(_))
            )
        })
        .count();
    assert!(throttled > 0, "calls past the limit are throttled");
    let eu = client(&emulator.endpoint_url(), "eu-west-1");
    eu.describe_sender_ids()
        .max_results(1)
        .send()
        .await
        .expect("another region has its own bucket");
    let received = emulator.received();
    assert_eq!(received.count_in("DescribeSenderIds", "us-east-1"), 30);
    let logged_throttles = received
        .requests()
        .iter()
        .filter(|r| r.error.as_deref() == Some("ThrottlingException"))
        .count();
    assert_eq!(logged_throttles, throttled);
}

#[tokio::test]
async fn a_throttled_region_refuses_every_request_and_the_others_are_served() {
    let emulator = demo().await;
    emulator.set_faults(Faults {
        throttled_regions: vec!["eu-west-1".to_owned()],
        ..Faults::default()
    });
    let eu = client(&emulator.endpoint_url(), "eu-west-1");
    let us = client(&emulator.endpoint_url(), "us-east-1");
    for _ in 0..3 {
        let err = eu
            .describe_sender_ids()
            .send()
            .await
            .expect_err("eu-west-1 is throttled");
        assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(400));
        assert!(matches!(
            err.into_service_error(),
            DescribeSenderIdsError::ThrottlingException(_)
        ));
    }
    let err = eu
        .release_sender_id()
        .sender_id("ACMEBANK")
        .iso_country_code("NL")
        .send()
        .await
        .expect_err("eu-west-1 is throttled");
    assert!(matches!(
        err.into_service_error(),
        ReleaseSenderIdError::ThrottlingException(_)
    ));
    let page = us
        .describe_sender_ids()
        .send()
        .await
        .expect("us-east-1 is served");
    assert!(!page.sender_ids().is_empty());

    let received = emulator.received();
    assert_eq!(received.count_in("DescribeSenderIds", "eu-west-1"), 3);
    assert_eq!(received.count_in("ReleaseSenderId", "eu-west-1"), 1);
    assert_eq!(received.count_in("DescribeSenderIds", "us-east-1"), 1);
    for r in received.requests() {
        let expected = match r.region.as_deref() {
            Some("eu-west-1") => Some("ThrottlingException"),
            _ => None,
        };
        assert_eq!(r.error.as_deref(), expected, "{r:?}");
    }
    assert!(
        emulator
            .sender_ids("eu-west-1")
            .iter()
            .any(|s| s.sender_id == "ACMEBANK" && s.iso_country_code == "NL"),
        "a throttled release changed nothing"
    );

    emulator.set_faults(Faults::default());
    eu.describe_sender_ids()
        .send()
        .await
        .expect("eu-west-1 is served again");
}

#[tokio::test]
async fn synthetic_inventories_have_exactly_n_per_region() {
    let seed = Seed::synthetic(&["us-east-1", "eu-west-1"], 2_000);
    let emulator = Emulator::start_local(seed).await.expect("emulator starts");
    for region in ["us-east-1", "eu-west-1"] {
        let client = client(&emulator.endpoint_url(), region);
        let (items, _) = walk(&client, None, &[]).await;
        assert_eq!(items.len(), 2_000, "{region}");
        assert!(
            items
                .iter()
                .all(|s| s.sender_id().len() <= 11 && !s.monthly_leasing_price().is_empty())
        );
    }
    assert_eq!(emulator.region_counts().get("ap-southeast-2"), None);
}

#[tokio::test]
async fn what_was_received_is_recorded() {
    let emulator = demo().await;
    let us = client(&emulator.endpoint_url(), "us-east-1");
    let eu = client(&emulator.endpoint_url(), "eu-west-1");
    us.describe_sender_ids().send().await.expect("describe");
    eu.describe_sender_ids()
        .max_results(3)
        .send()
        .await
        .expect("describe");
    let _ = us
        .release_sender_id()
        .sender_id("ACMEBANK")
        .iso_country_code("GB")
        .send()
        .await;
    let received = emulator.received();
    assert_eq!(received.count("DescribeSenderIds"), 2);
    assert_eq!(received.count_in("DescribeSenderIds", "eu-west-1"), 1);
    assert_eq!(received.count("ReleaseSenderId"), 1);
    assert_eq!(received.total(), 3);
    let last = received.requests().last().expect("logged");
    assert_eq!(last.operation, "ReleaseSenderId");
    assert_eq!(last.region.as_deref(), Some("us-east-1"));
    assert_eq!(last.body["SenderId"], "ACMEBANK");
    assert_eq!(last.error.as_deref(), Some("ConflictException"));
    assert_eq!(received.requests()[1].body["MaxResults"], 3);
    emulator.clear_received();
    assert_eq!(emulator.received().total(), 0);
}
