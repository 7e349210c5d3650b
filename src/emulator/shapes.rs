//! The output shapes built from a sender ID: `SenderIdInformation` (DescribeSenderIds) and the
//! results of ReleaseSenderId, RequestSenderId and UpdateSenderId, each with exactly the members
//! the model gives it (for example no `DeletionProtectionEnabled` in ReleaseSenderId's result).
//! One place builds them so the four operations can never disagree on names or types.

use serde_json::{Map, Value, json};

use super::seed::SeedSenderId;

/// Which output structure to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Information,
    Release,
    Request,
    Update,
}

/// The JSON object of `shape` for a sender ID whose ARN is `arn`.
pub(crate) fn sender_id_object(data: &SeedSenderId, arn: &str, shape: Shape) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("SenderIdArn".into(), json!(arn));
    out.insert("SenderId".into(), json!(data.sender_id));
    out.insert("IsoCountryCode".into(), json!(data.iso_country_code));
    out.insert("MessageTypes".into(), json!(data.message_types));
    out.insert(
        "MonthlyLeasingPrice".into(),
        json!(data.monthly_leasing_price),
    );
    out.insert("Registered".into(), json!(data.registered));
    if shape != Shape::Release {
        out.insert(
            "DeletionProtectionEnabled".into(),
            json!(data.deletion_protection_enabled),
        );
    }
    if shape != Shape::Request {
        if let Some(id) = &data.registration_id {
            out.insert("RegistrationId".into(), json!(id));
        }
    }
    if shape == Shape::Information {
        if let Some(limits) = &data.messaging_limits {
            out.insert("MessagingLimits".into(), limits.clone());
        }
        if let Some(tier) = &data.pricing_tier {
            out.insert("PricingTier".into(), json!(tier));
        }
    }
    out
}

/// `[{"Key": ..., "Value": ...}]`, the `TagList` shape.
pub(crate) fn tag_list(tags: &[(String, String)]) -> Value {
    Value::Array(
        tags.iter()
            .map(|(k, v)| json!({"Key": k, "Value": v}))
            .collect(),
    )
}
