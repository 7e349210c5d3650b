//! DescribeSenderIds through the real SDK client: the whole record, explicit SenderIds (a shared
//! sender ID only by ARN), and the errors it models as typed variants.

use crate::support::{SHARED_GLOBEX_GB, demo, pair};
use aws_sdk_pinpointsmsvoicev2 as sms;
use sms::operation::describe_sender_ids::DescribeSenderIdsError;
use sms::types::{MessageType, Owner, ResourceType, ValidationExceptionReason};

#[tokio::test]
async fn describe_returns_the_whole_region_with_all_fields() {
    let (emulator, client) = demo().await;
    let page = client.describe_sender_ids().send().await.expect("describe");
    let expected = emulator.sender_ids("us-east-1");
    assert_eq!(page.sender_ids().len(), expected.len());
    assert!(page.next_token().is_none());
    let first = &page.sender_ids()[0];
    assert!(
        first
            .sender_id_arn()
            .starts_with("arn:aws:sms-voice:us-east-1:")
    );
    assert!(first.monthly_leasing_price().contains('.'));
    let bank = page
        .sender_ids()
        .iter()
        .find(|s| s.sender_id() == "ACMEBANK" && s.iso_country_code() == "GB")
        .expect("ACMEBANK/GB in the demo");
    assert!(bank.deletion_protection_enabled());
    assert!(bank.registered());
    assert!(
        bank.registration_id()
            .is_some_and(|id| id.starts_with("registration-") && id.len() == 45)
    );
    assert_eq!(bank.message_types(), &[MessageType::Transactional]);
    let limits = bank
        .messaging_limits()
        .and_then(|l| l.rate_limits())
        .expect("rate limits");
    assert_eq!(limits.get("SMS"), Some(&20));
}

#[tokio::test]
async fn describe_by_sender_ids_needs_the_arn_for_shared_ones() {
    let (_emulator, client) = demo().await;
    let page = client
        .describe_sender_ids()
        .sender_ids(pair("ACMEBANK", "GB"))
        .sender_ids(pair(SHARED_GLOBEX_GB, "GB"))
        .send()
        .await
        .expect("describe two");
    let arns: Vec<&str> = page
        .sender_ids()
        .iter()
        .map(|s| s.sender_id_arn())
        .collect();
    assert_eq!(arns.len(), 2);
    assert!(arns.contains(&SHARED_GLOBEX_GB));

    let err = client
        .describe_sender_ids()
        .sender_ids(pair("GLOBEX", "GB"))
        .send()
        .await
        .expect_err("plain id");
    let DescribeSenderIdsError::ResourceNotFoundException(e) = err.into_service_error() else {
        panic!("expected ResourceNotFoundException");
    };
    assert_eq!(e.resource_type(), Some(&ResourceType::SenderId));
    assert_eq!(e.resource_id(), Some("GLOBEX"));

    let mut call = client.describe_sender_ids();
    for _ in 0..6 {
        call = call.sender_ids(pair("ACMEBANK", "GB"));
    }
    let err = call.send().await.expect_err("six entries");
    let DescribeSenderIdsError::ValidationException(e) = err.into_service_error() else {
        panic!("expected ValidationException");
    };
    assert_eq!(
        e.reason(),
        Some(&ValidationExceptionReason::FieldValidationFailed)
    );
    assert_eq!(e.fields()[0].name(), "SenderIds");
}

#[tokio::test]
async fn owner_and_sender_ids_cannot_be_combined() {
    let (_emulator, client) = demo().await;
    let err = client
        .describe_sender_ids()
        .owner(Owner::SelfValue)
        .sender_ids(pair("ACMEBANK", "GB"))
        .send()
        .await
        .expect_err("owner + sender ids");
    let DescribeSenderIdsError::ValidationException(e) = err.into_service_error() else {
        panic!("expected ValidationException");
    };
    assert_eq!(
        e.reason(),
        Some(&ValidationExceptionReason::ParametersCannotBeUsedTogether)
    );
}
