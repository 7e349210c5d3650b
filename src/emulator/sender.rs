//! One sender ID as a seed, a test and `Emulator::sender_ids` see it: plain data with the API's
//! fields plus region, owning account, pool and tags, in the seed file's snake_case form. It also
//! checks an entry against the model's shapes so that a hand-written seed file with a typo is
//! refused with the entry named, instead of serving data AWS could never return.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::arn::{CALLER_ACCOUNT, sender_id_arn};
use super::pool::is_pool_id;
use super::rules::sender_id_char;

/// One sender ID of a seed (and of the emulator's inventory, see `Emulator::sender_ids`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedSenderId {
    pub region: String,
    /// The owning account; anything but `111122223333` is a sender ID shared with the caller.
    #[serde(default = "default_account")]
    pub account: String,
    pub sender_id: String,
    pub iso_country_code: String,
    #[serde(default = "default_message_types")]
    pub message_types: Vec<String>,
    /// US dollars, in the service's string form ("0.00", "3.50").
    #[serde(default = "default_price")]
    pub monthly_leasing_price: String,
    #[serde(default)]
    pub deletion_protection_enabled: bool,
    #[serde(default)]
    pub registered: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_id: Option<String>,
    /// The pool the sender ID is associated with, if any (ReleaseSenderId then conflicts): its
    /// `pool-<32 hex>` ID, a pool of the same region and account (declared in the seed's `pools`,
    /// or else one with default settings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<String>,
    /// `{"RateLimits": {"SMS": 20}, "DailyMessageCaps": {...}}`, as the API returns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messaging_limits: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pricing_tier: Option<String>,
    /// Tags, kept sorted by key; a JSON object in the seed file.
    #[serde(default, with = "tag_map", skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<(String, String)>,
}

fn default_account() -> String {
    CALLER_ACCOUNT.to_owned()
}
fn default_message_types() -> Vec<String> {
    vec!["TRANSACTIONAL".to_owned(), "PROMOTIONAL".to_owned()]
}
fn default_price() -> String {
    "0.00".to_owned()
}

pub(crate) mod tag_map {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(crate) fn serialize<S: Serializer>(
        tags: &[(String, String)],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let map: BTreeMap<&str, &str> =
            tags.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        map.serialize(s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<(String, String)>, D::Error> {
        Ok(BTreeMap::<String, String>::deserialize(d)?
            .into_iter()
            .collect())
    }
}

impl SeedSenderId {
    /// `arn:aws:sms-voice:{region}:{account}:sender-id/{SenderId}/{IsoCountryCode}`.
    pub fn arn(&self) -> String {
        sender_id_arn(
            &self.region,
            &self.account,
            &self.sender_id,
            &self.iso_country_code,
        )
    }

    /// Owned by another account and shared with the caller.
    pub fn is_shared(&self) -> bool {
        self.account != CALLER_ACCOUNT
    }

    /// What is wrong with this entry, if anything.
    pub(crate) fn problem(&self) -> Option<String> {
        let sid_ok = (1..=11).contains(&self.sender_id.chars().count())
            && self.sender_id.chars().all(sender_id_char);
        let country_ok = self.iso_country_code.len() == 2
            && self
                .iso_country_code
                .bytes()
                .all(|b| b.is_ascii_uppercase());
        let region_ok = !self.region.is_empty()
            && self
                .region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        let account_ok =
            self.account.len() == 12 && self.account.bytes().all(|b| b.is_ascii_digit());
        let types_ok = self.message_types.len() <= 2
            && self
                .message_types
                .iter()
                .all(|t| t == "TRANSACTIONAL" || t == "PROMOTIONAL");
        let price_ok = is_decimal(&self.monthly_leasing_price);
        let limits_ok = self
            .messaging_limits
            .as_ref()
            .is_none_or(messaging_limits_ok);
        let checks = [
            (sid_ok, "sender_id must be 1-11 characters of [A-Za-z0-9_-]"),
            (country_ok, "iso_country_code must be two capital letters"),
            (region_ok, "region must look like us-east-1"),
            (account_ok, "account must be 12 digits"),
            (
                types_ok,
                "message_types may hold TRANSACTIONAL and/or PROMOTIONAL",
            ),
            (
                price_ok,
                "monthly_leasing_price must be a decimal string such as \"3.50\"",
            ),
            (
                limits_ok,
                "messaging_limits may hold RateLimits and DailyMessageCaps maps of integers",
            ),
            (self.tags.len() <= 50, "a sender ID carries at most 50 tags"),
            (
                self.pool.as_deref().is_none_or(is_pool_id),
                "pool must be pool- and 32 lower-case hex digits",
            ),
        ];
        checks
            .iter()
            .find(|(ok, _)| !ok)
            .map(|(_, why)| (*why).to_owned())
    }
}

fn is_decimal(text: &str) -> bool {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

fn messaging_limits_ok(limits: &Value) -> bool {
    limits.as_object().is_some_and(|object| {
        object.iter().all(|(key, map)| {
            matches!(key.as_str(), "RateLimits" | "DailyMessageCaps")
                && map
                    .as_object()
                    .is_some_and(|m| m.values().all(Value::is_i64))
        })
    })
}
