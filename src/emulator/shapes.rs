//! The output shapes built from a sender ID: `SenderIdInformation` (DescribeSenderIds) and the
//! results of ReleaseSenderId, RequestSenderId and UpdateSenderId, each with exactly the members
//! the model gives it (for example no `DeletionProtectionEnabled` in ReleaseSenderId's result).
//! One borrowed, directly serialized struct builds them all, so the four operations can never
//! disagree on names or types and rendering a large inventory stays cheap.

use serde::Serialize;
use serde_json::{Value, json};

use super::sender::SeedSenderId;

/// Which output structure to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Information,
    Release,
    Request,
    Update,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Out<'a> {
    sender_id_arn: &'a str,
    sender_id: &'a str,
    iso_country_code: &'a str,
    message_types: &'a [String],
    monthly_leasing_price: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    deletion_protection_enabled: Option<bool>,
    registered: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    registration_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    messaging_limits: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pricing_tier: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<Value>,
}

/// The JSON text of `shape` for a sender ID whose ARN is `arn`; `with_tags` adds RequestSenderId's
/// optional `Tags`.
pub(crate) fn render(data: &SeedSenderId, arn: &str, shape: Shape, with_tags: bool) -> String {
    let information = shape == Shape::Information;
    let out = Out {
        sender_id_arn: arn,
        sender_id: &data.sender_id,
        iso_country_code: &data.iso_country_code,
        message_types: &data.message_types,
        monthly_leasing_price: &data.monthly_leasing_price,
        deletion_protection_enabled: (shape != Shape::Release)
            .then_some(data.deletion_protection_enabled),
        registered: data.registered,
        registration_id: data
            .registration_id
            .as_deref()
            .filter(|_| shape != Shape::Request),
        messaging_limits: data.messaging_limits.as_ref().filter(|_| information),
        pricing_tier: data.pricing_tier.as_deref().filter(|_| information),
        tags: (with_tags && shape == Shape::Request).then(|| tag_list(&data.tags)),
    };
    serde_json::to_string(&out).unwrap_or_else(|_| "{}".to_owned())
}

/// `[{"Key": ..., "Value": ...}]`, the `TagList` shape.
pub(crate) fn tag_list(tags: &[(String, String)]) -> Value {
    Value::Array(
        tags.iter()
            .map(|(k, v)| json!({"Key": k, "Value": v}))
            .collect(),
    )
}
