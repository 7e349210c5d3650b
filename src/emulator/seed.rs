//! The emulator's starting inventory: the seed file format (`assets/demo-seed.json` is embedded as
//! the demo), loading and checking a seed file, and merging in synthetic sender IDs for load. A
//! seed is plain data with no behaviour so that tests, `--demo` and `sidman emulator --seed FILE`
//! all describe an inventory the same way; the server turns it into its own indexed store. Pools
//! are declared apart (`pools`: name tag, message type, ...) and joined by the sender IDs that
//! name them; [`Seed::all_pools`] is every pool the emulator serves.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::pool::SeedPool;
use super::sender::SeedSenderId;
use super::synthetic;

const DEMO_SEED: &str = include_str!("../../assets/demo-seed.json");
/// The seed number `Seed::synthetic` uses, so the same call always yields the same inventory.
pub const DEFAULT_SYNTHETIC_SEED: u64 = 0x5EED_51D5;

/// A whole seed: the inventory of every region.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Seed {
    /// Free text about the seed; ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub sender_ids: Vec<SeedSenderId>,
    /// Pool declarations (optional: a pool a sender ID names without one has default settings).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pools: Vec<SeedPool>,
}

/// Why a seed file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("cannot read seed file {path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("seed {origin} is not valid JSON for a seed: {error}")]
    Json {
        origin: String,
        error: serde_json::Error,
    },
    #[error("seed {origin}, entry {index} ({sender_id}): {problem}")]
    Invalid {
        origin: String,
        index: usize,
        sender_id: String,
        problem: String,
    },
    #[error("seed {origin}, pool {index} ({pool_id}): {problem}")]
    InvalidPool {
        origin: String,
        index: usize,
        pool_id: String,
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
        let text = std::fs::read_to_string(path).map_err(|error| SeedError::Io {
            path: path.to_owned(),
            error,
        })?;
        Seed::from_json_str(&text, &path.display().to_string())
    }

    /// Parses and checks seed JSON; `origin` names it in errors.
    pub fn from_json_str(text: &str, origin: &str) -> Result<Seed, SeedError> {
        let mut seed: Seed = serde_json::from_str(text).map_err(|error| SeedError::Json {
            origin: origin.to_owned(),
            error,
        })?;
        let mut declared: HashMap<&str, &SeedPool> = HashMap::new();
        for (index, pool) in seed.pools.iter().enumerate() {
            let duplicate = declared.insert(&pool.pool_id, pool).is_some();
            let problem = pool
                .problem()
                .or_else(|| duplicate.then(|| "duplicate pool".to_owned()));
            if let Some(problem) = problem {
                return Err(SeedError::InvalidPool {
                    origin: origin.to_owned(),
                    index,
                    pool_id: pool.pool_id.clone(),
                    problem,
                });
            }
        }
        // Where each pool is: declared, or else where the first sender ID naming it is.
        let mut home: HashMap<&str, (&str, &str)> = declared
            .iter()
            .map(|(id, p)| (*id, (p.region.as_str(), p.account.as_str())))
            .collect();
        for entry in &mut seed.sender_ids {
            entry.message_types.dedup();
        }
        let mut seen = HashSet::new();
        for (index, entry) in seed.sender_ids.iter().enumerate() {
            let duplicate = !seen.insert(entry.arn());
            let misplaced = entry.pool.as_deref().is_some_and(|pool| {
                let at = (entry.region.as_str(), entry.account.as_str());
                *home.entry(pool).or_insert(at) != at
            });
            let problem = entry
                .problem()
                .or_else(|| duplicate.then(|| "duplicate entry".to_owned()))
                .or_else(|| {
                    misplaced.then(|| {
                        "pool must be a pool of the sender ID's own region and account".to_owned()
                    })
                });
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

    /// Every pool the emulator serves: the declared ones and, with default settings, those only
    /// named by sender IDs; sorted by region and pool ID.
    pub fn all_pools(&self) -> Vec<SeedPool> {
        let mut pools: BTreeMap<(String, String), SeedPool> = self
            .pools
            .iter()
            .map(|p| ((p.region.clone(), p.pool_id.clone()), p.clone()))
            .collect();
        let declared: HashSet<&str> = self.pools.iter().map(|p| p.pool_id.as_str()).collect();
        for entry in &self.sender_ids {
            if let Some(pool) = entry.pool.as_deref().filter(|p| !declared.contains(p)) {
                pools
                    .entry((entry.region.clone(), pool.to_owned()))
                    .or_insert_with(|| SeedPool::implicit(&entry.region, &entry.account, pool));
            }
        }
        pools.into_values().collect()
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
            let (generated, pools) = synthetic::generate(region, per_region, seed, &mut taken);
            self.sender_ids.extend(generated);
            self.pools.extend(pools);
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
    fn demo_pools_are_declared_named_and_hold_the_pooled_sender_ids() {
        let seed = Seed::demo();
        let pools = seed.all_pools();
        assert_eq!(pools, {
            let mut declared = seed.pools.clone();
            declared.sort_by(|a, b| (&a.region, &a.pool_id).cmp(&(&b.region, &b.pool_id)));
            declared
        });
        assert!(pools.len() >= 3);
        for pool in &pools {
            assert_eq!(pool.problem(), None, "{pool:?}");
            assert!(pool.name().is_some_and(|n| !n.is_empty()), "{pool:?}");
            let members = seed
                .sender_ids
                .iter()
                .filter(|s| s.pool.as_deref() == Some(pool.pool_id.as_str()));
            for member in members {
                assert_eq!(
                    (&member.region, &member.account),
                    (&pool.region, &pool.account)
                );
            }
        }
    }

    #[test]
    fn a_pool_lives_in_its_members_region_and_account() {
        let pool = "pool-0123456789abcdef0123456789abcdef";
        let entry = |region: &str| {
            format!(
                r#"{{"region":"{region}","sender_id":"ACME","iso_country_code":"GB","pool":"{pool}"}}"#
            )
        };
        let undeclared = format!(
            r#"{{"sender_ids":[{},{}]}}"#,
            entry("us-east-1"),
            entry("eu-west-1")
        );
        let error = Seed::from_json_str(&undeclared, "t")
            .err()
            .map(|e| e.to_string());
        assert!(error.is_some_and(|e| e.contains("own region")));
        let declared = format!(
            r#"{{"sender_ids":[{}],"pools":[{{"region":"us-east-1","pool_id":"{pool}"}}]}}"#,
            entry("eu-west-1")
        );
        assert!(Seed::from_json_str(&declared, "t").is_err());
        let implicit = format!(r#"{{"sender_ids":[{}]}}"#, entry("eu-west-1"));
        let seed = Seed::from_json_str(&implicit, "t").expect("an undeclared pool is fine");
        let pools = seed.all_pools();
        assert_eq!(pools.len(), 1);
        assert_eq!(
            (pools[0].region.as_str(), pools[0].name()),
            ("eu-west-1", None)
        );
        let bad_id = r#"{"sender_ids":[],"pools":[{"region":"us-east-1","pool_id":"pool-1"}]}"#;
        assert!(Seed::from_json_str(bad_id, "t").is_err());
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
            assert!(entry.pool.is_none() || !entry.is_shared(), "{entry:?}");
        }
        let pools = merged.all_pools();
        assert_eq!(pools.len(), Seed::demo().all_pools().len() + 4);
        assert!(
            merged
                .sender_ids
                .iter()
                .any(|s| s.region == "us-east-1" && s.pool.is_some())
        );
        for pool in &pools {
            assert_eq!(pool.problem(), None, "{pool:?}");
            assert!(pool.name().is_some(), "{pool:?}");
        }
        let text = serde_json::to_string(&merged).expect("serializes");
        assert_eq!(Seed::from_json_str(&text, "round trip").ok(), Some(merged));
    }
}
