//! The loaded sender IDs: records in arrival order with an index by [`Key`], plus per-region
//! loading progress. Each sender ID is held once; a page that repeats one replaces it. Records are
//! never copied for a view: views hold indices into [`Inventory::records`].

use crate::aws::ApiError;
use crate::domain::{Key, Ownership, SenderIdRecord};
use std::collections::{BTreeMap, HashMap};

/// Loading progress of one region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegionLoad {
    /// Pages are arriving; `owners_left` listings (own, shared) are still running.
    Loading {
        items: usize,
        owners_left: u8,
    },
    Loaded {
        items: usize,
    },
    Failed {
        items: usize,
        error: ApiError,
    },
}

impl RegionLoad {
    pub fn items(&self) -> usize {
        match self {
            Self::Loading { items, .. } | Self::Loaded { items } | Self::Failed { items, .. } => {
                *items
            }
        }
    }

    pub fn is_loading(&self) -> bool {
        matches!(self, Self::Loading { .. })
    }
}

#[derive(Debug, Default)]
pub struct Inventory {
    records: Vec<SenderIdRecord>,
    /// Lower-case text the `/` filter searches, one per record, built once on arrival.
    haystacks: Vec<String>,
    index: HashMap<Key, usize>,
    pub regions: BTreeMap<String, RegionLoad>,
}

impl Inventory {
    /// Starts a fresh load of these regions (the old records are dropped).
    pub fn start(&mut self, regions: &[String]) {
        self.records.clear();
        self.haystacks.clear();
        self.index.clear();
        self.regions = regions
            .iter()
            .map(|r| {
                (
                    r.clone(),
                    RegionLoad::Loading {
                        items: 0,
                        owners_left: 2,
                    },
                )
            })
            .collect();
    }

    pub fn records(&self) -> &[SenderIdRecord] {
        &self.records
    }

    pub fn haystack(&self, idx: usize) -> &str {
        self.haystacks.get(idx).map_or("", String::as_str)
    }

    pub fn get(&self, key: &Key) -> Option<&SenderIdRecord> {
        self.index.get(key).and_then(|&i| self.records.get(i))
    }

    pub fn contains(&self, key: &Key) -> bool {
        self.index.contains_key(key)
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Adds a page; a sender ID already held is replaced, never shown twice.
    pub fn add_page(&mut self, region: &str, records: Vec<SenderIdRecord>) {
        let mut added = 0;
        for r in records {
            let key = r.key();
            let hay = haystack(&r);
            if let Some(&i) = self.index.get(&key) {
                self.records[i] = r;
                self.haystacks[i] = hay;
            } else {
                self.index.insert(key, self.records.len());
                self.records.push(r);
                self.haystacks.push(hay);
                added += 1;
            }
        }
        if let Some(RegionLoad::Loading { items, .. }) = self.regions.get_mut(region) {
            *items += added;
        }
    }

    /// Records the end of one owner's listing in a region.
    pub fn finish(&mut self, region: &str, _ownership: Ownership, result: Result<(), ApiError>) {
        let Some(load) = self.regions.get_mut(region) else {
            return;
        };
        let items = load.items();
        *load = match (load.clone(), result) {
            (RegionLoad::Failed { .. }, _) => return,
            (_, Err(error)) => RegionLoad::Failed { items, error },
            (RegionLoad::Loading { owners_left, .. }, Ok(())) if owners_left > 1 => {
                RegionLoad::Loading {
                    items,
                    owners_left: owners_left - 1,
                }
            }
            (_, Ok(())) => RegionLoad::Loaded { items },
        };
    }

    pub fn loading(&self) -> bool {
        self.regions.values().any(RegionLoad::is_loading)
    }

    /// True when this region's listing completed, so an absent key there really is absent.
    pub fn region_complete(&self, region: &str) -> bool {
        matches!(self.regions.get(region), Some(RegionLoad::Loaded { .. }))
    }

    /// Replaces one record after a re-read found it changed.
    pub fn update(&mut self, record: SenderIdRecord) {
        if let Some(&i) = self.index.get(&record.key()) {
            self.haystacks[i] = haystack(&record);
            self.records[i] = record;
        }
    }
}

fn haystack(r: &SenderIdRecord) -> String {
    let mut s = String::with_capacity(64);
    for part in [
        r.sender_id.as_str(),
        r.country.as_str(),
        r.region.as_str(),
        r.registration_id.as_deref().unwrap_or(""),
    ] {
        s.push_str(part);
        s.push('\u{1}');
    }
    s.push_str(&r.message_type_label());
    s.to_lowercase()
}
