//! RequestSenderId and the tagging operations through the real SDK client: creation, conflicts,
//! idempotency, country rules, the 50-tag quota, and malformed or unknown ARNs, as typed errors.

use crate::support::{SHARED_GLOBEX_GB, demo, own_arn, tag};
use aws_sdk_pinpointsmsvoicev2 as sms;
use sms::error::ProvideErrorMetadata;
use sms::operation::list_tags_for_resource::ListTagsForResourceError;
use sms::operation::request_sender_id::RequestSenderIdError;
use sms::operation::tag_resource::TagResourceError;
use sms::types::{
    ConflictExceptionReason, MessageType, ServiceQuotaExceededExceptionReason,
    ValidationExceptionReason,
};

#[tokio::test]
async fn request_creates_conflicts_and_is_idempotent() {
    let (emulator, client) = demo().await;
    let out = client
        .request_sender_id()
        .sender_id("NEWBRAND")
        .iso_country_code("FR")
        .send()
        .await
        .expect("request");
    assert_eq!(out.sender_id_arn(), own_arn("us-east-1", "NEWBRAND", "FR"));
    assert_eq!(out.message_types().len(), 2);
    assert_eq!(out.monthly_leasing_price(), "3.50");
    assert!(!out.registered());

    let dup = client
        .request_sender_id()
        .sender_id("NEWBRAND")
        .iso_country_code("FR")
        .send()
        .await;
    let RequestSenderIdError::ConflictException(e) =
        dup.expect_err("duplicate").into_service_error()
    else {
        panic!("expected ConflictException");
    };
    assert_eq!(
        e.reason(),
        Some(&ConflictExceptionReason::ResourceAlreadyExists)
    );

    let first = client
        .request_sender_id()
        .sender_id("IDEMPOT")
        .iso_country_code("DE")
        .message_types(MessageType::Transactional)
        .deletion_protection_enabled(true)
        .tags(tag("team", "ops"))
        .client_token("token-1")
        .send()
        .await
        .expect("first");
    let retry = client
        .request_sender_id()
        .sender_id("IDEMPOT")
        .iso_country_code("DE")
        .message_types(MessageType::Transactional)
        .deletion_protection_enabled(true)
        .tags(tag("team", "ops"))
        .client_token("token-1")
        .send()
        .await
        .expect("same token, same parameters");
    assert_eq!(
        (first.sender_id_arn(), first.tags(), first.message_types()),
        (retry.sender_id_arn(), retry.tags(), retry.message_types())
    );
    let copies = emulator
        .sender_ids("us-east-1")
        .iter()
        .filter(|s| s.sender_id == "IDEMPOT")
        .count();
    assert_eq!(copies, 1);
    assert_eq!(
        emulator.tags(&own_arn("us-east-1", "IDEMPOT", "DE")),
        Some(vec![("team".into(), "ops".into())])
    );
    let other = client
        .request_sender_id()
        .sender_id("IDEMPOT2")
        .iso_country_code("DE")
        .client_token("token-1")
        .send()
        .await;
    let err = other.expect_err("token reused").into_service_error();
    assert!(
        matches!(err, RequestSenderIdError::ConflictException(_)),
        "{err:?}"
    );
}

#[tokio::test]
async fn request_validates_sender_id_country_and_tags() {
    let (_emulator, client) = demo().await;
    let cases = [
        ("TWELVECHARSX", "GB"),
        ("-ACME", "GB"),
        ("12345", "GB"),
        ("ACME", "gb"),
    ];
    for (sender_id, country) in cases {
        let result = client
            .request_sender_id()
            .sender_id(sender_id)
            .iso_country_code(country)
            .send()
            .await;
        let RequestSenderIdError::ValidationException(e) =
            result.expect_err(sender_id).into_service_error()
        else {
            panic!("expected ValidationException for {sender_id}");
        };
        assert_eq!(
            e.reason(),
            Some(&ValidationExceptionReason::FieldValidationFailed),
            "{sender_id}"
        );
    }
    let us = client
        .request_sender_id()
        .sender_id("ACME")
        .iso_country_code("US")
        .send()
        .await;
    let RequestSenderIdError::ValidationException(e) = us.expect_err("US").into_service_error()
    else {
        panic!("expected ValidationException");
    };
    assert_eq!(
        e.reason(),
        Some(&ValidationExceptionReason::SenderIdNotSupported)
    );
    let sg = client
        .request_sender_id()
        .sender_id("ACME")
        .iso_country_code("SG")
        .send()
        .await;
    let RequestSenderIdError::ValidationException(e) = sg.expect_err("SG").into_service_error()
    else {
        panic!("expected ValidationException");
    };
    assert_eq!(
        e.reason(),
        Some(&ValidationExceptionReason::SenderIdRequiresRegistration)
    );

    let mut call = client
        .request_sender_id()
        .sender_id("MANYTAGS")
        .iso_country_code("GB");
    for i in 0..51 {
        call = call.tags(tag(&format!("k{i}"), "v"));
    }
    let RequestSenderIdError::ServiceQuotaExceededException(e) =
        call.send().await.expect_err("51 tags").into_service_error()
    else {
        panic!("expected ServiceQuotaExceededException");
    };
    assert_eq!(
        e.reason(),
        Some(&ServiceQuotaExceededExceptionReason::TagsPerResource)
    );
}

#[tokio::test]
async fn tags_can_be_listed_added_and_removed() {
    let (emulator, client) = demo().await;
    let arn = own_arn("us-east-1", "ACMEPAY", "GB");
    let listed = client
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .expect("list");
    assert_eq!(listed.resource_arn(), Some(arn.as_str()));
    let before = listed.tags().len();
    assert!(before > 0, "the demo tags ACMEPAY/GB");

    client
        .tag_resource()
        .resource_arn(&arn)
        .tags(tag("owner", "ops"))
        .tags(tag("empty", ""))
        .send()
        .await
        .expect("tag");
    let after = client
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .expect("list");
    assert_eq!(after.tags().len(), before + 2);
    assert!(
        after
            .tags()
            .iter()
            .any(|t| t.key() == "empty" && t.value().is_empty())
    );

    client
        .untag_resource()
        .resource_arn(&arn)
        .tag_keys("owner")
        .tag_keys("absent")
        .send()
        .await
        .expect("untag");
    let tags = emulator.tags(&arn).expect("exists");
    assert_eq!(tags.len(), before + 1);
    assert!(!tags.iter().any(|(k, _)| k == "owner"));

    let mut call = client.tag_resource().resource_arn(&arn);
    for i in 0..50 {
        call = call.tags(tag(&format!("bulk{i}"), "x"));
    }
    let TagResourceError::ServiceQuotaExceededException(e) =
        call.send().await.expect_err("over 50").into_service_error()
    else {
        panic!("expected ServiceQuotaExceededException");
    };
    assert_eq!(
        e.reason(),
        Some(&ServiceQuotaExceededExceptionReason::TagsPerResource)
    );
    assert_eq!(
        emulator.tags(&arn).map(|t| t.len()),
        Some(before + 1),
        "a refused TagResource changes nothing"
    );
}

#[tokio::test]
async fn tagging_errors_are_typed() {
    let (_emulator, client) = demo().await;
    let unknown = own_arn("us-east-1", "NOSUCH", "GB");
    let err = client
        .list_tags_for_resource()
        .resource_arn(&unknown)
        .send()
        .await
        .expect_err("unknown");
    let ListTagsForResourceError::ResourceNotFoundException(e) = err.into_service_error() else {
        panic!("expected ResourceNotFoundException");
    };
    assert_eq!(e.resource_id(), Some(unknown.as_str()));
    for malformed in [
        "not-an-arn-at-all-really",
        "arn:aws:s3:::some-bucket-name",
        "arn:x",
    ] {
        let err = client
            .list_tags_for_resource()
            .resource_arn(malformed)
            .send()
            .await
            .expect_err(malformed);
        let ListTagsForResourceError::ValidationException(e) = err.into_service_error() else {
            panic!("expected ValidationException for {malformed}");
        };
        assert_eq!(
            e.reason(),
            Some(&ValidationExceptionReason::InvalidArn),
            "{malformed}"
        );
    }
    let err = client
        .tag_resource()
        .resource_arn(SHARED_GLOBEX_GB)
        .tags(tag("a", "b"))
        .send()
        .await
        .expect_err("shared");
    assert!(matches!(
        err.into_service_error(),
        TagResourceError::AccessDeniedException(_)
    ));
    let err = client
        .tag_resource()
        .resource_arn(own_arn("us-east-1", "ACMEPAY", "GB"))
        .send()
        .await
        .expect_err("no tags");
    let TagResourceError::ValidationException(e) = err.into_service_error() else {
        panic!("expected ValidationException");
    };
    assert_eq!(
        e.reason(),
        Some(&ValidationExceptionReason::MissingParameter)
    );
    assert_eq!(e.code(), Some("ValidationException"));
}
