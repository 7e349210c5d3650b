//! ReleaseSenderId and UpdateSenderId through the real SDK client: what a release returns and
//! removes, and the refusals (deletion protection, pool, shared, not found, invalid input) as the
//! operation's typed errors with their reasons and resource types, never `Unhandled`.

use crate::support::{SHARED_GLOBEX_GB, demo, own_arn};
use aws_sdk_pinpointsmsvoicev2 as sms;
use sms::operation::release_sender_id::ReleaseSenderIdError;
use sms::operation::update_sender_id::UpdateSenderIdError;
use sms::types::{ConflictExceptionReason, MessageType, ResourceType, ValidationExceptionReason};

#[tokio::test]
async fn release_returns_the_record_and_removes_it() {
    let (emulator, client) = demo().await;
    let out = client
        .release_sender_id()
        .sender_id("SHOPNOW")
        .iso_country_code("GB")
        .send()
        .await
        .expect("release");
    assert_eq!(out.sender_id_arn(), own_arn("us-east-1", "SHOPNOW", "GB"));
    assert_eq!(out.sender_id(), "SHOPNOW");
    assert_eq!(out.iso_country_code(), "GB");
    assert_eq!(out.message_types(), &[MessageType::Promotional]);
    assert_eq!(out.monthly_leasing_price(), "0.00");
    assert!(!out.registered());
    assert!(
        !emulator
            .sender_ids("us-east-1")
            .iter()
            .any(|s| s.sender_id == "SHOPNOW" && s.iso_country_code == "GB")
    );

    let again = client
        .release_sender_id()
        .sender_id("SHOPNOW")
        .iso_country_code("GB")
        .send()
        .await;
    let ReleaseSenderIdError::ResourceNotFoundException(e) =
        again.expect_err("gone").into_service_error()
    else {
        panic!("expected ResourceNotFoundException");
    };
    assert_eq!(e.resource_type(), Some(&ResourceType::SenderId));
    assert_eq!(e.resource_id(), Some("SHOPNOW"));

    let registered = client
        .release_sender_id()
        .sender_id("ACMEBANK")
        .iso_country_code("FR")
        .send()
        .await;
    let registered = registered.expect("a registered sender ID without protection can be released");
    assert!(registered.registered());
    assert!(registered.registration_id().is_some());
}

#[tokio::test]
async fn release_refuses_protected_pooled_and_shared() {
    let (emulator, client) = demo().await;
    let before = emulator.sender_ids("us-east-1").len();
    let protected = client
        .release_sender_id()
        .sender_id("ACMEBANK")
        .iso_country_code("GB")
        .send()
        .await;
    let ReleaseSenderIdError::ConflictException(e) =
        protected.expect_err("protected").into_service_error()
    else {
        panic!("expected ConflictException");
    };
    assert_eq!(
        e.reason(),
        Some(&ConflictExceptionReason::DeletionProtectionEnabled)
    );
    assert_eq!(e.resource_type(), Some(&ResourceType::SenderId));
    assert_eq!(e.resource_id(), Some("ACMEBANK"));

    let pooled = client
        .release_sender_id()
        .sender_id("ACME-OTP")
        .iso_country_code("DE")
        .send()
        .await;
    let ReleaseSenderIdError::ConflictException(e) =
        pooled.expect_err("pooled").into_service_error()
    else {
        panic!("expected ConflictException");
    };
    assert_eq!(
        e.reason(),
        Some(&ConflictExceptionReason::SenderIdAssociatedToPool)
    );

    let shared = client
        .release_sender_id()
        .sender_id(SHARED_GLOBEX_GB)
        .iso_country_code("GB")
        .send()
        .await;
    let ReleaseSenderIdError::AccessDeniedException(e) =
        shared.expect_err("shared").into_service_error()
    else {
        panic!("expected AccessDeniedException");
    };
    assert_eq!(e.reason(), None);
    assert!(e.message().unwrap_or_default().contains("does not own"));
    assert_eq!(
        emulator.sender_ids("us-east-1").len(),
        before,
        "nothing was released"
    );
}

#[tokio::test]
async fn release_validates_its_input() {
    let (_emulator, client) = demo().await;
    let missing = client
        .release_sender_id()
        .sender_id("ACMEBANK")
        .send()
        .await;
    let ReleaseSenderIdError::ValidationException(e) =
        missing.expect_err("missing").into_service_error()
    else {
        panic!("expected ValidationException");
    };
    assert_eq!(
        e.reason(),
        Some(&ValidationExceptionReason::MissingParameter)
    );
    assert_eq!(e.fields()[0].name(), "IsoCountryCode");

    let bad = client
        .release_sender_id()
        .sender_id("BAD ID!")
        .iso_country_code("gb")
        .send()
        .await;
    let ReleaseSenderIdError::ValidationException(e) = bad.expect_err("bad").into_service_error()
    else {
        panic!("expected ValidationException");
    };
    assert_eq!(
        e.reason(),
        Some(&ValidationExceptionReason::FieldValidationFailed)
    );
    let names: Vec<&str> = e.fields().iter().map(|f| f.name()).collect();
    assert_eq!(names, ["SenderId", "IsoCountryCode"]);
}

#[tokio::test]
async fn update_switches_deletion_protection() {
    let (emulator, client) = demo().await;
    let out = client
        .update_sender_id()
        .sender_id("ACMEBANK")
        .iso_country_code("GB")
        .deletion_protection_enabled(false)
        .send()
        .await
        .expect("update");
    assert!(!out.deletion_protection_enabled());
    assert!(out.registration_id().is_some());
    client
        .release_sender_id()
        .sender_id("ACMEBANK")
        .iso_country_code("GB")
        .send()
        .await
        .expect("now releasable");
    assert!(
        emulator
            .tags(&own_arn("us-east-1", "ACMEBANK", "GB"))
            .is_none()
    );

    let missing = client
        .update_sender_id()
        .sender_id("NOPE")
        .iso_country_code("GB")
        .send()
        .await;
    let err = missing.expect_err("missing").into_service_error();
    assert!(
        matches!(err, UpdateSenderIdError::ResourceNotFoundException(_)),
        "{err:?}"
    );
    let shared = client
        .update_sender_id()
        .sender_id(SHARED_GLOBEX_GB)
        .iso_country_code("GB")
        .send()
        .await;
    let err = shared.expect_err("shared").into_service_error();
    assert!(
        matches!(err, UpdateSenderIdError::AccessDeniedException(_)),
        "{err:?}"
    );
}
