//! Pools as a seed declares them and as the emulator serves them: a [`SeedPool`] (region, owning
//! account, `pool-<32 hex>` ID, message type, deletion protection, creation time and tags, the
//! `Name` tag being the console's name for it), its ARN, the model's `PoolInformation` and
//! `OriginationIdentityMetadata` output shapes, and the check of a declaration. Membership is not
//! declared here: a sender ID names its pool (`SeedSenderId::pool`), so the two can never
//! disagree, and a pool a sender ID names without a declaration exists with default settings.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::arn::CALLER_ACCOUNT;
use super::sender::SeedSenderId;

/// When a pool without a declared creation time was created (2024-01-15T09:00:00Z).
pub const DEFAULT_POOL_CREATED: i64 = 1_705_309_200;

/// One pool of a seed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedPool {
    pub region: String,
    /// The owning account; anything but `111122223333` is a pool shared with the caller.
    #[serde(default = "default_account")]
    pub account: String,
    /// `pool-` and 32 lower-case hex digits.
    pub pool_id: String,
    /// `TRANSACTIONAL` or `PROMOTIONAL`.
    #[serde(default = "default_message_type")]
    pub message_type: String,
    #[serde(default)]
    pub deletion_protection_enabled: bool,
    /// Seconds since the epoch.
    #[serde(default = "default_created")]
    pub created_timestamp: i64,
    /// Tags, kept sorted by key; a JSON object in the seed file. `Name` is the pool's name.
    #[serde(
        default,
        with = "super::sender::tag_map",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub tags: Vec<(String, String)>,
}

fn default_account() -> String {
    CALLER_ACCOUNT.to_owned()
}
fn default_message_type() -> String {
    "TRANSACTIONAL".to_owned()
}
fn default_created() -> i64 {
    DEFAULT_POOL_CREATED
}

/// The ARN of a pool: `arn:aws:sms-voice:{region}:{account}:pool/{pool_id}`.
pub fn pool_arn(region: &str, account: &str, pool_id: &str) -> String {
    format!("arn:aws:sms-voice:{region}:{account}:pool/{pool_id}")
}

/// Whether `id` is a pool ID as the service issues them: `pool-` and 32 lower-case hex digits.
pub(crate) fn is_pool_id(id: &str) -> bool {
    id.strip_prefix("pool-").is_some_and(|hex| {
        hex.len() == 32
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

impl SeedPool {
    /// A pool with default settings: the one a sender ID names without a declaration.
    pub fn implicit(region: &str, account: &str, pool_id: &str) -> SeedPool {
        SeedPool {
            region: region.to_owned(),
            account: account.to_owned(),
            pool_id: pool_id.to_owned(),
            message_type: default_message_type(),
            deletion_protection_enabled: false,
            created_timestamp: DEFAULT_POOL_CREATED,
            tags: Vec::new(),
        }
    }

    pub fn arn(&self) -> String {
        pool_arn(&self.region, &self.account, &self.pool_id)
    }

    /// The `Name` tag, if the pool has one.
    pub fn name(&self) -> Option<&str> {
        self.tags
            .iter()
            .find(|(key, _)| key == "Name")
            .map(|(_, value)| value.as_str())
    }

    /// Owned by another account and shared with the caller.
    pub fn is_shared(&self) -> bool {
        self.account != CALLER_ACCOUNT
    }

    /// What is wrong with this declaration, if anything.
    pub(crate) fn problem(&self) -> Option<String> {
        let region_ok = !self.region.is_empty()
            && self
                .region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        let checks = [
            (
                is_pool_id(&self.pool_id),
                "pool_id must be pool- and 32 lower-case hex digits",
            ),
            (region_ok, "region must look like us-east-1"),
            (
                self.account.len() == 12 && self.account.bytes().all(|b| b.is_ascii_digit()),
                "account must be 12 digits",
            ),
            (
                matches!(self.message_type.as_str(), "TRANSACTIONAL" | "PROMOTIONAL"),
                "message_type must be TRANSACTIONAL or PROMOTIONAL",
            ),
            (self.tags.len() <= 50, "a pool carries at most 50 tags"),
        ];
        checks
            .iter()
            .find(|(ok, _)| !ok)
            .map(|(_, why)| (*why).to_owned())
    }

    /// The `PoolInformation` JSON of this pool.
    pub(crate) fn information(&self) -> String {
        json!({
            "PoolArn": self.arn(),
            "PoolId": self.pool_id,
            "Status": "ACTIVE",
            "MessageType": self.message_type,
            "TwoWayEnabled": false,
            "SelfManagedOptOutsEnabled": false,
            "OptOutListName": "Default",
            "SharedRoutesEnabled": false,
            "DeletionProtectionEnabled": self.deletion_protection_enabled,
            "CreatedTimestamp": self.created_timestamp,
        })
        .to_string()
    }
}

/// The `OriginationIdentityMetadata` JSON of a sender ID in a pool.
pub(crate) fn origination_identity(data: &SeedSenderId, arn: &str) -> String {
    json!({
        "OriginationIdentityArn": arn,
        "OriginationIdentity": data.sender_id,
        "IsoCountryCode": data.iso_country_code,
        "NumberCapabilities": ["SMS"],
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_ids_and_arns() {
        assert!(is_pool_id("pool-4430c504c01eeddb1155d72c9b72fd61"));
        assert!(!is_pool_id("pool-4430C504C01EEDDB1155D72C9B72FD61"));
        assert!(!is_pool_id("pool-1"));
        let pool = SeedPool::implicit("eu-west-1", CALLER_ACCOUNT, "pool-x");
        assert_eq!(
            pool.arn(),
            "arn:aws:sms-voice:eu-west-1:111122223333:pool/pool-x"
        );
        assert!(pool.problem().is_some());
        assert_eq!(pool.name(), None);
    }
}
