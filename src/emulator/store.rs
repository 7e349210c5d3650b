//! The in-memory inventory: per region, sender IDs in a `BTreeMap` ordered by (IsoCountryCode,
//! SenderId, ARN), which is both the stable order of DescribeSenderIds and the cursor a NextToken
//! resumes after. Each record keeps its `SenderIdInformation` JSON pre-rendered so a page is a
//! range scan plus cheap `Arc` clones under a briefly held lock. It also resolves how a request
//! addresses a sender ID: a plain SenderId finds the caller's own, only the full ARN finds a shared one.
//! The pools (`pool_index`) live beside the inventory, whose changes keep their members in step.

use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;
use std::sync::Arc;

use super::arn::{CALLER_ACCOUNT, ServiceArn, sender_id_arn};
use super::pool::origination_identity;
use super::pool_index::PoolIndex;
use super::seed::Seed;
use super::sender::SeedSenderId;
use super::shapes::{Shape, render};
use super::tokens::{ClientTokenBook, TokenBook};

/// The order and identity of a sender ID within a region.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Key {
    pub(crate) country: String,
    pub(crate) sender_id: String,
    pub(crate) arn: String,
}

/// A sender ID and its pre-rendered `SenderIdInformation`.
pub(crate) struct Record {
    pub(crate) data: SeedSenderId,
    pub(crate) json: Arc<str>,
}

impl Record {
    /// A record and its key.
    pub(crate) fn new(data: SeedSenderId) -> (Key, Record) {
        let arn = data.arn();
        let json = Arc::from(render(&data, &arn, Shape::Information, false));
        let key = Key {
            country: data.iso_country_code.clone(),
            sender_id: data.sender_id.clone(),
            arn,
        };
        (key, Record { data, json })
    }

    /// Re-renders the JSON after a change.
    pub(crate) fn refresh(&mut self) {
        self.json = Arc::from(render(
            &self.data,
            &self.data.arn(),
            Shape::Information,
            false,
        ));
    }
}

/// One page of DescribeSenderIds: rendered items and, when more remain, the last key served.
pub(crate) struct Page {
    pub(crate) items: Vec<Arc<str>>,
    pub(crate) more_after: Option<Key>,
}

/// Every region's inventory plus the token books.
#[derive(Default)]
pub(crate) struct Store {
    regions: HashMap<String, BTreeMap<Key, Record>>,
    pub(crate) pools: PoolIndex,
    pub(crate) tokens: TokenBook,
    pub(crate) client_tokens: ClientTokenBook,
}

impl Store {
    pub(crate) fn from_seed(seed: Seed) -> Store {
        let mut store = Store::default();
        for pool in seed.all_pools() {
            store.pools.declare(pool);
        }
        for data in seed.sender_ids {
            store.insert(data);
        }
        store
    }

    pub(crate) fn insert(&mut self, data: SeedSenderId) {
        let (key, record) = Record::new(data);
        if let Some(pool) = &record.data.pool {
            let data = &record.data;
            self.pools
                .join(&data.region, &data.account, pool, key.clone());
        }
        match self.regions.get_mut(&record.data.region) {
            Some(region) => {
                region.insert(key, record);
            }
            None => {
                let name = record.data.region.clone();
                self.regions.entry(name).or_default().insert(key, record);
            }
        }
    }

    pub(crate) fn get(&self, region: &str, key: &Key) -> Option<&Record> {
        self.regions.get(region)?.get(key)
    }

    pub(crate) fn get_mut(&mut self, region: &str, key: &Key) -> Option<&mut Record> {
        self.regions.get_mut(region)?.get_mut(key)
    }

    pub(crate) fn remove(&mut self, region: &str, key: &Key) -> Option<Record> {
        let removed = self.regions.get_mut(region)?.remove(key)?;
        if let Some(pool) = &removed.data.pool {
            self.pools.leave(region, pool, key);
        }
        Some(removed)
    }

    /// The key of the caller's own sender ID `sender_id` in `country`.
    pub(crate) fn own_key(region: &str, sender_id: &str, country: &str) -> Key {
        Key {
            country: country.to_owned(),
            sender_id: sender_id.to_owned(),
            arn: sender_id_arn(region, CALLER_ACCOUNT, sender_id, country),
        }
    }

    /// The sender ID a request names by `SenderIdOrArn` + `IsoCountryCode`, if it exists here.
    pub(crate) fn resolve(
        &self,
        region: &str,
        sender_id_or_arn: &str,
        country: &str,
    ) -> Option<Key> {
        let key = if sender_id_or_arn.starts_with("arn:") {
            let arn = ServiceArn::parse(sender_id_or_arn)?;
            let (sender_id, arn_country) = arn.sender_id_parts()?;
            if arn.region != region || arn_country != country {
                return None;
            }
            Key {
                country: country.to_owned(),
                sender_id: sender_id.to_owned(),
                arn: sender_id_or_arn.to_owned(),
            }
        } else {
            Store::own_key(region, sender_id_or_arn, country)
        };
        self.get(region, &key).map(|_| key)
    }

    /// The record a sender-ID ARN names, in the ARN's own region.
    pub(crate) fn by_arn(&self, arn: &str) -> Option<&Record> {
        let parsed = ServiceArn::parse(arn)?;
        let (sender_id, country) = parsed.sender_id_parts()?;
        let key = Key {
            country: country.to_owned(),
            sender_id: sender_id.to_owned(),
            arn: arn.to_owned(),
        };
        self.get(parsed.region, &key)
    }

    pub(crate) fn by_arn_mut(&mut self, arn: &str) -> Option<&mut Record> {
        let parsed = ServiceArn::parse(arn)?;
        let (sender_id, country) = parsed.sender_id_parts()?;
        let key = Key {
            country: country.to_owned(),
            sender_id: sender_id.to_owned(),
            arn: arn.to_owned(),
        };
        self.get_mut(parsed.region, &key)
    }

    /// A copy of a region's inventory, in DescribeSenderIds order.
    pub(crate) fn snapshot(&self, region: &str) -> Vec<SeedSenderId> {
        self.regions
            .get(region)
            .map(|m| m.values().map(|r| r.data.clone()).collect())
            .unwrap_or_default()
    }

    /// Up to `limit` matching sender IDs after `after`, from `candidates` when given (sorted and
    /// deduplicated) or else from the whole region.
    pub(crate) fn page(
        &self,
        region: &str,
        candidates: Option<&[Key]>,
        matches: impl Fn(&SeedSenderId) -> bool,
        after: Option<&Key>,
        limit: usize,
    ) -> Page {
        let mut found: Vec<(&Key, &Record)> = Vec::with_capacity(limit.saturating_add(1).min(101));
        if let Some(inventory) = self.regions.get(region) {
            let lower = after.map_or(Bound::Unbounded, Bound::Excluded);
            let wanted = |(_, r): &(&Key, &Record)| matches(&r.data);
            let take = limit.saturating_add(1);
            match candidates {
                Some(keys) => found.extend(
                    keys.iter()
                        .filter(|k| after.is_none_or(|a| *k > a))
                        .filter_map(|k| inventory.get_key_value(k))
                        .filter(wanted)
                        .take(take),
                ),
                None => found.extend(
                    inventory
                        .range((lower, Bound::Unbounded))
                        .filter(wanted)
                        .take(take),
                ),
            }
        }
        let more = found.len() > limit;
        found.truncate(limit);
        let more_after = if more {
            found.last().map(|(k, _)| (*k).clone())
        } else {
            None
        };
        Page {
            items: found
                .into_iter()
                .map(|(_, r)| Arc::clone(&r.json))
                .collect(),
            more_after,
        }
    }

    /// Up to `limit` members of pool `pool_id` after `after` that match, as
    /// `OriginationIdentityMetadata` JSON, and the last key served when more remain.
    pub(crate) fn pool_members_page(
        &self,
        region: &str,
        pool_id: &str,
        matches: impl Fn(&SeedSenderId) -> bool,
        after: Option<&Key>,
        limit: usize,
    ) -> (Vec<String>, Option<Key>) {
        let (Some(pool), Some(inventory)) =
            (self.pools.get(region, pool_id), self.regions.get(region))
        else {
            return (Vec::new(), None);
        };
        let lower = after.map_or(Bound::Unbounded, Bound::Excluded);
        let mut found: Vec<(&Key, &Record)> = pool
            .members
            .range((lower, Bound::Unbounded))
            .filter_map(|key| inventory.get_key_value(key))
            .filter(|(_, r)| matches(&r.data))
            .take(limit.saturating_add(1))
            .collect();
        let more = found.len() > limit;
        found.truncate(limit);
        let more_after = more
            .then(|| found.last().map(|(k, _)| (*k).clone()))
            .flatten();
        let items = found
            .iter()
            .map(|(key, r)| origination_identity(&r.data, &key.arn))
            .collect();
        (items, more_after)
    }

    /// Number of sender IDs in each region.
    pub(crate) fn counts(&self) -> BTreeMap<String, usize> {
        self.regions
            .iter()
            .map(|(r, m)| (r.clone(), m.len()))
            .collect()
    }
}
