//! What the session knows of pools, per region: read after the region's sender IDs (one paced
//! DescribePools, then each pool's members), kept until the next reload. A sender ID is pooled
//! when a pool of its region lists its ARN; the review lists pooled ones apart and never sends
//! them (the service refuses: SENDER_ID_ASSOCIATED_TO_POOL). A region whose pools cannot be read
//! (no permission) is known to be unknown, and the review says so.

use crate::domain::{ApiError, Pool, PoolMembership, SenderIdRecord};
use std::collections::BTreeMap;

/// Where a region's pools stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PoolRead {
    Reading,
    Read,
    /// Could not be read (why): membership is unknown there.
    Failed(ApiError),
}

#[derive(Debug, Default)]
pub struct Pools {
    membership: PoolMembership,
    regions: BTreeMap<String, PoolRead>,
    /// Changes whenever what is known changes (what a `pool:` filter resolved is compared to it).
    generation: u64,
}

impl Pools {
    /// A fresh load: nothing known.
    pub fn clear(&mut self) {
        let generation = self.generation + 1;
        *self = Self {
            generation,
            ..Self::default()
        };
    }

    /// Changes whenever what is known of pools changes.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// A region's pools are being read.
    pub fn reading(&mut self, region: &str) {
        self.regions.insert(region.to_owned(), PoolRead::Reading);
        self.generation += 1;
    }

    /// A region's pools were read, or could not be.
    pub fn read(&mut self, region: &str, result: Result<Vec<Pool>, ApiError>) {
        let status = match result {
            Ok(pools) => {
                self.membership.extend(pools);
                PoolRead::Read
            }
            Err(e) => PoolRead::Failed(e),
        };
        self.regions.insert(region.to_owned(), status);
        self.generation += 1;
    }

    /// True while some region's pools are still being read.
    pub fn pending(&self) -> bool {
        self.regions.values().any(|r| *r == PoolRead::Reading)
    }

    pub fn region(&self, region: &str) -> Option<&PoolRead> {
        self.regions.get(region)
    }

    /// The pool a sender ID is in, if the session knows one.
    pub fn pool_of(&self, r: &SenderIdRecord) -> Option<&Pool> {
        self.membership
            .pools_of(&r.arn)
            .find(|p| p.region == r.region)
    }

    /// Whether the session can tell a sender ID is in no pool (its region's pools were read).
    pub fn known(&self, region: &str) -> bool {
        self.regions.get(region) == Some(&PoolRead::Read)
    }

    /// Regions whose pools could not be read, with why.
    pub fn unknown(&self) -> impl Iterator<Item = (&str, &ApiError)> {
        self.regions.iter().filter_map(|(r, s)| match s {
            PoolRead::Failed(e) => Some((r.as_str(), e)),
            _ => None,
        })
    }
}
