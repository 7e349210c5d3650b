//! The emulator's starting inventory: the seed file format (`assets/demo-seed.json` is embedded as
//! the demo), loading and checking a seed file, and merging in synthetic sender IDs for load. A
//! seed is plain data with no behaviour so that tests, `--demo` and `sidman emulator --seed FILE`
//! all describe an inventory the same way; the server turns it into its own indexed store.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::arn::{CALLER_ACCOUNT, sender_id_arn};
use super::synthetic;

const DEMO_SEED: &str = include_str!("../../assets/demo-seed.json");
/// The seed number `Seed::synthetic` uses, so the same call always yields the same inventory.
pub const DEFAULT_SYNTHETIC_SEED: u64 = 0x5EED_51D5;

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
    /// The pool the sender ID is associated with, if any (ReleaseSenderId then conflicts).
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

mod tag_map {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(super) fn serialize<S: Serializer>(
        tags: &[(String, String)],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let map: BTreeMap<&str, &str> =
            tags.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        map.serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
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
    fn problem(&self) -> Option<String> {
        let sid_ok = (1..=11).contains(&self.sender_id.chars().count())
            && self
                .sender_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
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

/// A whole seed: the inventory of every region.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Seed {
    /// Free text about the seed; ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub sender_ids: Vec<SeedSenderId>,
}

/// Why a seed file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("cannot read seed file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("seed {origin} is not valid JSON for a seed: {source}")]
    Json {
        origin: String,
        source: serde_json::Error,
    },
    #[error("seed {origin}, entry {index} ({sender_id}): {problem}")]
    Invalid {
        origin: String,
        index: usize,
        sender_id: String,
        problem: String,
    },
}

impl Seed {
    /// The demo inventory embedded from `assets/demo-seed.json`.
    pub fn demo() -> Seed {
        match Seed::from_json_str(DEMO_SEED, "assets/demo-seed.json") {
            Ok(seed) => seed,
            Err(error) => {
                tracing::error!(%error, "the embedded demo seed is invalid");
                Seed::empty()
            }
        }
    }

    /// No sender IDs at all.
    pub fn empty() -> Seed {
        Seed::default()
    }

    /// Loads and checks a seed file.
    pub fn from_file(path: &Path) -> Result<Seed, SeedError> {
        let text = std::fs::read_to_string(path).map_err(|source| SeedError::Io {
            path: path.to_owned(),
            source,
        })?;
        Seed::from_json_str(&text, &path.display().to_string())
    }

    /// Parses and checks seed JSON; `origin` names it in errors.
    pub fn from_json_str(text: &str, origin: &str) -> Result<Seed, SeedError> {
        let mut seed: Seed = serde_json::from_str(text).map_err(|source| SeedError::Json {
            origin: origin.to_owned(),
            source,
        })?;
        let mut seen = HashSet::new();
        for (index, entry) in seed.sender_ids.iter_mut().enumerate() {
            entry.message_types.dedup();
            let duplicate = !seen.insert(entry.arn());
            let problem = entry
                .problem()
                .or_else(|| duplicate.then(|| "duplicate entry".to_owned()));
            if let Some(problem) = problem {
                let sender_id = entry.sender_id.clone();
                return Err(SeedError::Invalid {
                    origin: origin.to_owned(),
                    index,
                    sender_id,
                    problem,
                });
            }
        }
        Ok(seed)
    }

    /// `per_region` plausible synthetic sender IDs in each region, the same for the same input.
    pub fn synthetic(regions: &[&str], per_region: usize) -> Seed {
        Seed::empty().with_synthetic(regions, per_region)
    }

    /// Adds `per_region` synthetic sender IDs to each region (none collides with an existing one).
    pub fn with_synthetic(self, regions: &[&str], per_region: usize) -> Seed {
        self.with_synthetic_seeded(regions, per_region, DEFAULT_SYNTHETIC_SEED)
    }

    /// As `with_synthetic`, from an explicit seed number.
    pub fn with_synthetic_seeded(mut self, regions: &[&str], per_region: usize, seed: u64) -> Seed {
        let mut taken: HashSet<String> = self.sender_ids.iter().map(SeedSenderId::arn).collect();
        for region in regions {
            let generated = synthetic::generate(region, per_region, seed, &mut taken);
            self.sender_ids.extend(generated);
        }
        self
    }

    /// Number of sender IDs.
    pub fn len(&self) -> usize {
        self.sender_ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sender_ids.is_empty()
    }

    /// The regions that hold at least one sender ID, sorted.
    pub fn regions(&self) -> Vec<String> {
        self.region_counts().into_keys().collect()
    }

    /// The number of sender IDs in each region, by region.
    pub fn region_counts(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for entry in &self.sender_ids {
            *counts.entry(entry.region.clone()).or_insert(0) += 1;
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_seed_is_rich_enough() {
        let seed = Seed::from_json_str(DEMO_SEED, "demo").expect("demo seed parses");
        assert!(seed.len() >= 60);
        assert!(seed.regions().len() >= 3);
        let countries: HashSet<&str> = seed
            .sender_ids
            .iter()
            .map(|s| s.iso_country_code.as_str())
            .collect();
        assert!(countries.len() >= 12);
        assert!(seed.sender_ids.iter().any(|s| s.is_shared()));
        assert!(seed.sender_ids.iter().any(|s| s.pool.is_some()));
        assert!(
            seed.sender_ids
                .iter()
                .any(|s| s.deletion_protection_enabled)
        );
        assert!(seed.sender_ids.iter().any(|s| s.registration_id.is_some()));
    }

    #[test]
    fn bad_entries_are_named() {
        let text = r#"{"sender_ids":[{"region":"us-east-1","sender_id":"WAY-TOO-LONG-ID","iso_country_code":"GB"}]}"#;
        let error = Seed::from_json_str(text, "t")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("WAY-TOO-LONG-ID"), "{error}");
    }

    #[test]
    fn synthetic_is_deterministic_and_exact() {
        let a = Seed::synthetic(&["us-east-1", "eu-west-1"], 500);
        let b = Seed::synthetic(&["us-east-1", "eu-west-1"], 500);
        assert_eq!(a, b);
        assert_eq!(a.region_counts().get("us-east-1"), Some(&500));
        let merged = Seed::demo().with_synthetic(&["us-east-1"], 100);
        assert_eq!(merged.len(), Seed::demo().len() + 100);
        let arns: HashSet<String> = merged.sender_ids.iter().map(SeedSenderId::arn).collect();
        assert_eq!(arns.len(), merged.len());
        for entry in &merged.sender_ids {
            assert_eq!(entry.problem(), None, "{entry:?}");
        }
    }
}
