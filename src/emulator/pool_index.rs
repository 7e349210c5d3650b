//! The emulator's pools: per region, a `BTreeMap` by pool ID (the stable order of DescribePools and
//! the cursor its NextToken resumes after), each pool with its settings, tags and the keys of its
//! member sender IDs in ListPoolOriginationIdentities order. The store keeps the members in step
//! with its inventory, and this index resolves how a request names a pool: a plain pool ID finds
//! the caller's own, only the full ARN finds a shared one (as the model says of shared pools).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;

use super::arn::{CALLER_ACCOUNT, ServiceArn};
use super::pool::SeedPool;
use super::store::Key;

/// One pool and its members.
pub(crate) struct PoolRecord {
    pub(crate) data: SeedPool,
    pub(crate) members: BTreeSet<Key>,
}

/// One page of DescribePools: rendered items and, when more remain, the last pool ID served.
pub(crate) struct PoolPage {
    pub(crate) items: Vec<String>,
    pub(crate) more_after: Option<String>,
}

/// Every region's pools.
#[derive(Default)]
pub(crate) struct PoolIndex {
    regions: HashMap<String, BTreeMap<String, PoolRecord>>,
}

impl PoolIndex {
    /// Adds a pool (replacing one of the same region and ID, members kept).
    pub(crate) fn declare(&mut self, data: SeedPool) {
        let region = self.regions.entry(data.region.clone()).or_default();
        let members = region
            .remove(&data.pool_id)
            .map(|old| old.members)
            .unwrap_or_default();
        region.insert(data.pool_id.clone(), PoolRecord { data, members });
    }

    /// Makes `key` a member of pool `pool_id` of `region` and `account`, creating the pool with
    /// default settings if there is none.
    pub(crate) fn join(&mut self, region: &str, account: &str, pool_id: &str, key: Key) {
        let pools = self.regions.entry(region.to_owned()).or_default();
        let record = pools
            .entry(pool_id.to_owned())
            .or_insert_with(|| PoolRecord {
                data: SeedPool::implicit(region, account, pool_id),
                members: BTreeSet::new(),
            });
        record.members.insert(key);
    }

    /// Removes `key` from pool `pool_id` of `region`.
    pub(crate) fn leave(&mut self, region: &str, pool_id: &str, key: &Key) {
        if let Some(record) = self
            .regions
            .get_mut(region)
            .and_then(|pools| pools.get_mut(pool_id))
        {
            record.members.remove(key);
        }
    }

    pub(crate) fn get(&self, region: &str, pool_id: &str) -> Option<&PoolRecord> {
        self.regions.get(region)?.get(pool_id)
    }

    /// The ID of the pool a request names by `PoolIdOrArn` in `region`: a plain ID names one of
    /// the caller's own pools, an ARN any pool it can see in that region.
    pub(crate) fn resolve(&self, region: &str, id_or_arn: &str) -> Option<&PoolRecord> {
        if id_or_arn.starts_with("arn:") {
            let arn = ServiceArn::parse(id_or_arn)?;
            if arn.resource_type != "pool" || arn.region != region {
                return None;
            }
            self.get(region, arn.resource_id)
                .filter(|p| p.data.account == arn.account)
        } else {
            self.get(region, id_or_arn)
                .filter(|p| p.data.account == CALLER_ACCOUNT)
        }
    }

    /// The pool a pool ARN names, in the ARN's own region.
    pub(crate) fn by_arn_mut(&mut self, arn: &str) -> Option<&mut PoolRecord> {
        let parsed = ServiceArn::parse(arn)?;
        if parsed.resource_type != "pool" {
            return None;
        }
        self.regions
            .get_mut(parsed.region)?
            .get_mut(parsed.resource_id)
            .filter(|p| p.data.account == parsed.account)
    }

    /// Up to `limit` matching pools after pool ID `after`, from `candidates` (pool IDs) when given
    /// or else from the whole region.
    pub(crate) fn page(
        &self,
        region: &str,
        candidates: Option<&BTreeSet<String>>,
        matches: impl Fn(&SeedPool) -> bool,
        after: Option<&str>,
        limit: usize,
    ) -> PoolPage {
        let mut found: Vec<&PoolRecord> = Vec::new();
        if let Some(pools) = self.regions.get(region) {
            let lower = after.map_or(Bound::Unbounded, Bound::Excluded);
            found.extend(
                pools
                    .range::<str, _>((lower, Bound::Unbounded))
                    .filter(|(id, _)| candidates.is_none_or(|c| c.contains(*id)))
                    .map(|(_, p)| p)
                    .filter(|p| matches(&p.data))
                    .take(limit.saturating_add(1)),
            );
        }
        let more = found.len() > limit;
        found.truncate(limit);
        PoolPage {
            more_after: more
                .then(|| found.last().map(|p| p.data.pool_id.clone()))
                .flatten(),
            items: found.iter().map(|p| p.data.information()).collect(),
        }
    }

    /// A copy of a region's pools, by pool ID.
    pub(crate) fn snapshot(&self, region: &str) -> Vec<SeedPool> {
        self.regions
            .get(region)
            .map(|pools| pools.values().map(|p| p.data.clone()).collect())
            .unwrap_or_default()
    }
}
