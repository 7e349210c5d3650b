//! What one sender ID looks like on output: [`SenderIdOut`], a serde record in the API's own
//! member names (`SenderIdArn`, `SenderId`, `IsoCountryCode`, `MessageTypes`,
//! `MonthlyLeasingPrice`, `DeletionProtectionEnabled`, `Registered`, `RegistrationId`,
//! `MessagingLimits`, `PricingTier`, `Owner`) plus `Region`, values exactly as the service gave
//! them, borrowed from the [`SenderIdRecord`]. `sidman list --format json` serializes it as is
//! (members in alphabetical order, absent ones left out, as `describe-sender-ids` prints them);
//! the CSV writer (`export`) serializes the same record and flattens it into its columns.

use crate::domain::SenderIdRecord;
use std::collections::BTreeMap;

/// A sender ID in the API's member names plus `Region`, borrowed; the members are declared (and
/// so serialized) in alphabetical order.
#[derive(Debug, serde::Serialize)]
pub struct SenderIdOut<'a> {
    #[serde(rename = "DeletionProtectionEnabled")]
    pub deletion_protection: bool,
    #[serde(rename = "IsoCountryCode")]
    pub country: &'a str,
    #[serde(rename = "MessageTypes")]
    pub message_types: Vec<&'a str>,
    #[serde(rename = "MessagingLimits", skip_serializing_if = "Option::is_none")]
    pub messaging_limits: Option<LimitsOut<'a>>,
    #[serde(rename = "MonthlyLeasingPrice")]
    pub price: &'a str,
    #[serde(rename = "Owner")]
    pub owner: &'static str,
    #[serde(rename = "PricingTier", skip_serializing_if = "Option::is_none")]
    pub pricing_tier: Option<&'a str>,
    #[serde(rename = "Region")]
    pub region: &'a str,
    #[serde(rename = "Registered")]
    pub registered: bool,
    #[serde(rename = "RegistrationId", skip_serializing_if = "Option::is_none")]
    pub registration_id: Option<&'a str>,
    #[serde(rename = "SenderId")]
    pub sender_id: &'a str,
    #[serde(rename = "SenderIdArn")]
    pub arn: &'a str,
}

/// `MessagingLimits`, each member only when the service gave it.
#[derive(Debug, serde::Serialize)]
pub struct LimitsOut<'a> {
    #[serde(rename = "DailyMessageCaps", skip_serializing_if = "Option::is_none")]
    pub daily_message_caps: Option<&'a BTreeMap<String, i64>>,
    #[serde(rename = "RateLimits", skip_serializing_if = "Option::is_none")]
    pub rate_limits: Option<&'a BTreeMap<String, i64>>,
}

impl<'a> From<&'a SenderIdRecord> for SenderIdOut<'a> {
    fn from(r: &'a SenderIdRecord) -> Self {
        Self {
            deletion_protection: r.deletion_protection,
            country: &r.country,
            message_types: r.message_types.iter().map(|t| t.as_str()).collect(),
            messaging_limits: r.messaging_limits.as_ref().map(|l| LimitsOut {
                daily_message_caps: Some(&l.daily_message_caps).filter(|m| !m.is_empty()),
                rate_limits: Some(&l.rate_limits).filter(|m| !m.is_empty()),
            }),
            price: &r.price.raw,
            owner: r.ownership.api_name(),
            pricing_tier: r.pricing_tier.as_deref(),
            region: &r.region,
            registered: r.registered,
            registration_id: r.registration_id.as_deref(),
            sender_id: &r.sender_id,
            arn: &r.arn,
        }
    }
}
