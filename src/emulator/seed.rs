//! The emulator's starting inventory: the seed file format (`assets/demo-seed.json` is embedded as
//! the demo), loading and checking a seed file, and merging in synthetic sender IDs for load. A
//! seed is plain data with no behaviour so that tests, `--demo` and `sidman emulator --seed FILE`
//! all describe an inventory the same way; the server turns it into its own indexed store.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

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
