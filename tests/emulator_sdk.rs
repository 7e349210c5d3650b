//! Every emulated operation and every modeled error, through the real SDK client: the errors must
//! arrive as the operation's typed variants (never `Unhandled`) with their reasons and resource types.

#[path = "emulator_support.rs"]
mod support;

use aws_sdk_pinpointsmsvoicev2 as sms;
use sidman::emulator::{Emulator, Seed};
use sms::error::ProvideErrorMetadata;
use sms::operation::describe_sender_ids::DescribeSenderIdsError;
use sms::operation::list_tags_for_resource::ListTagsForResourceError;
use sms::operation::release_sender_id::ReleaseSenderIdError;
use sms::operation::request_sender_id::RequestSenderIdError;
use sms::operation::tag_resource::TagResourceError;
use sms::operation::update_sender_id::UpdateSenderIdError;
use sms::types::{
    ConflictExceptionReason, MessageType, Owner, ResourceType, SenderIdAndCountry,
    ServiceQuotaExceededExceptionReason, Tag, ValidationExceptionReason,
};
use support::{client, own_arn};

const SHARED_GLOBEX_GB: &str = "arn:aws:sms-voice:us-east-1:444455556666:sender-id/GLOBEX/GB";

async fn demo() -> (Emulator, sms::Client) {
    let emulator = Emulator::start_local(Seed::demo())
        .await
        .expect("emulator starts");
    let client = client(&emulator.endpoint_url(), "us-east-1");
    (emulator, client)
}

fn pair(sender_id: &str, country: &str) -> SenderIdAndCountry {
    SenderIdAndCountry::builder()
        .sender_id(sender_id)
        .iso_country_code(country)
        .build()
        .expect("pair")
}

fn tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build().expect("tag")
}

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
