//! The loaded sender IDs: records in arrival order with an index by [`Key`], plus per-region
//! loading progress. Each sender ID is held once; a page that repeats one replaces it. Records are
//! never copied for a view: views hold indices into [`Inventory::records`].
//!
//! What the table needs of each record is worked out once, when it arrives, never per frame or
//! per comparison, and kept in dense arrays by record index so that walking 100,000 records does
//! not chase a pointer per record: the lower-case text the `/` filter searches (one buffer for
//! all, searched in one pass), its group (country and message-type set), region and price, and
//! its place in the display order of every sort mode. Those orders are kept as records arrive (a
//! page is sorted and merged in), so a key press never sorts the whole inventory.

use super::key_index::{KeyRef, SharedKeys};
use super::search_text::SearchText;
use super::view::SortMode;
use crate::aws::ApiError;
use crate::domain::{Key, SenderIdRecord, Total};
use memchr::memmem;
use rust_decimal::Decimal;
use std::cmp::Ordering;
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

/// A message-type set's label (`TRANSACTIONAL+PROMOTIONAL`) and its place among the others:
/// TRANSACTIONAL, then PROMOTIONAL, then both, then anything else.
#[derive(Debug)]
struct Label {
    text: String,
    rank: u8,
}

/// A group: sender IDs of one country sharing one message-type set, with their monthly total.
#[derive(Debug)]
struct GroupInfo {
    country: String,
    label: u32,
    total: Total,
}

/// The sort modes, in the order of [`Inventory::orders`].
const SORTS: [SortMode; 4] = [
    SortMode::Country,
    SortMode::SenderId,
    SortMode::Price,
    SortMode::Region,
];

fn slot(sort: SortMode) -> usize {
    match sort {
        SortMode::Country => 0,
        SortMode::SenderId => 1,
        SortMode::Price => 2,
        SortMode::Region => 3,
    }
}

#[derive(Debug, Default)]
pub struct Inventory {
    records: Vec<SenderIdRecord>,
    /// Each record's own text the `/` filter searches (sender ID, registration ID).
    text: SearchText,
    /// Each record's message-type label, as an index into `labels`.
    label_of: Vec<u32>,
    labels: Vec<Label>,
    label_ids: HashMap<String, u32>,
    /// Each record's group, as an index into `groups`.
    group_of: Vec<u32>,
    groups: Vec<GroupInfo>,
    /// Group ids by country, then by label.
    group_ids: HashMap<String, Vec<(u32, u32)>>,
    /// Each record's region, as an index into `region_names`.
    region_of: Vec<u16>,
    region_names: Vec<String>,
    /// Each record's monthly price (`None` when unreadable), as an index into `prices`: a few
    /// hundred distinct prices serve 100,000 records.
    price_of: Vec<u32>,
    prices: Vec<Option<Decimal>>,
    price_ids: HashMap<Option<[u8; 16]>, u32>,
    /// Record indices by key, shared with the marks.
    keys: SharedKeys,
    pub regions: BTreeMap<String, RegionLoad>,
    /// Every record index in the display order of each sort mode (see [`SORTS`]): by country,
    /// message-type set, then the mode's row order. Valid once [`Inventory::settle`] has run.
    orders: [Vec<u32>; 4],
    /// Records added since the orders were last settled.
    unsorted: Vec<u32>,
    /// A replaced record changed place: the orders (and group totals) are worked out from
    /// scratch when settled.
    resort: bool,
    /// Changes whenever records are added, replaced or dropped.
    version: u64,
    /// Changes when the records are dropped for a fresh load: indices of an older epoch name
    /// other sender IDs, or none.
    epoch: u64,
}

impl Inventory {
    /// Starts a fresh load of these regions (the old records are dropped).
    pub fn start(&mut self, regions: &[String]) {
        self.records.clear();
        self.text.clear();
        self.label_of.clear();
        self.group_of.clear();
        self.groups
            .iter_mut()
            .for_each(|g| g.total = Total::default());
        self.region_of.clear();
        self.price_of.clear();
        self.keys.write().clear();
        self.orders.iter_mut().for_each(Vec::clear);
        self.unsorted.clear();
        self.resort = false;
        self.version += 1;
        self.epoch += 1;
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

    /// Which records the `/` filter `needle` (already lower-case, not empty) shows: those whose
    /// sender ID, country, region, registration ID or message types contain it. `among`, when
    /// given and small, limits the search to those records. The inventory must be settled.
    pub fn matching(&self, needle: &str, among: Option<&[usize]>) -> Vec<bool> {
        let finder = memmem::Finder::new(needle.as_bytes());
        let has = |text: &str| text.to_lowercase().contains(needle);
        let group_hit: Vec<bool> = self
            .groups
            .iter()
            .map(|g| has(&g.country) || has(&self.labels[g.label as usize].text))
            .collect();
        let region_hit: Vec<bool> = self.region_names.iter().map(|r| has(r)).collect();
        let shared_hit = |i: usize| {
            group_hit[self.group_of[i] as usize] || region_hit[usize::from(self.region_of[i])]
        };
        let n = self.records.len();
        let mut hit = vec![false; n];
        match among {
            Some(some) if some.len() < n / 4 => {
                for &i in some {
                    hit[i] = shared_hit(i) || finder.find(self.text.of(i)).is_some();
                }
            }
            _ => {
                let mut misses = 0;
                for (i, h) in hit.iter_mut().enumerate() {
                    *h = shared_hit(i);
                    misses += usize::from(!*h);
                }
                if misses < n / 4 {
                    // Most records match by country, region or message types already.
                    for (i, h) in hit.iter_mut().enumerate() {
                        if !*h {
                            *h = finder.find(self.text.of(i)).is_some();
                        }
                    }
                } else {
                    self.text.scan(&finder, &mut hit);
                }
            }
        }
        hit
    }

    /// The account this session's own sender IDs belong to (from the first ARN that names
    /// one), when any is loaded.
    pub fn own_account(&self) -> Option<&str> {
        self.records
            .iter()
            .filter(|r| r.ownership == crate::domain::Ownership::Own)
            .find_map(SenderIdRecord::account)
    }

    /// The message-type label of a record, e.g. `TRANSACTIONAL+PROMOTIONAL`.
    pub fn label(&self, idx: usize) -> &str {
        self.label_of
            .get(idx)
            .and_then(|&l| self.labels.get(l as usize))
            .map_or("", |l| l.text.as_str())
    }

    /// A record's group: records with the same group share country and message-type set.
    pub(crate) fn group_of(&self, idx: usize) -> u32 {
        self.group_of.get(idx).copied().unwrap_or(u32::MAX)
    }

    /// Count and monthly total of every record of group `g` (as of the last settle).
    pub(crate) fn group_total(&self, g: u32) -> Total {
        self.groups
            .get(g as usize)
            .map_or_else(Total::default, |g| g.total)
    }

    /// A record's region, as an index into [`Inventory::region_names`].
    pub(crate) fn region_of(&self, idx: usize) -> usize {
        self.region_of
            .get(idx)
            .map_or(usize::MAX, |&r| usize::from(r))
    }

    /// The names of the regions records came from, in order of first arrival.
    pub(crate) fn region_names(&self) -> &[String] {
        &self.region_names
    }

    /// A record's monthly price, `None` when unreadable.
    pub(crate) fn price_of(&self, idx: usize) -> Option<Decimal> {
        self.price_of
            .get(idx)
            .and_then(|&p| self.prices.get(p as usize))
            .copied()
            .flatten()
    }

    /// A record's price, as an index into the distinct prices.
    pub(crate) fn price_id(&self, idx: usize) -> usize {
        self.price_of.get(idx).map_or(usize::MAX, |&p| p as usize)
    }

    /// How many distinct prices there are.
    pub(crate) fn price_count(&self) -> usize {
        self.prices.len()
    }

    /// A distinct price by index, `None` when unreadable.
    pub(crate) fn price_value(&self, id: usize) -> Option<Decimal> {
        self.prices.get(id).copied().flatten()
    }

    pub fn get(&self, key: &Key) -> Option<&SenderIdRecord> {
        self.index_of(key).and_then(|i| self.records.get(i))
    }

    /// The index of a sender ID in [`Inventory::records`].
    pub fn index_of(&self, key: &Key) -> Option<usize> {
        self.keys.read().find(key.into())
    }

    /// The index, for the marks to answer questions by key.
    pub(crate) fn shared_keys(&self) -> SharedKeys {
        self.keys.clone()
    }

    pub fn contains(&self, key: &Key) -> bool {
        self.index_of(key).is_some()
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Changes whenever records are added, replaced or dropped, so that what is derived from
    /// them knows when to be worked out again.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Changes when a fresh load drops the records: an index kept from an older epoch is stale.
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    /// Adds a page; a sender ID already held is replaced, never shown twice.
    pub fn add_page(&mut self, region: &str, records: Vec<SenderIdRecord>) {
        let more = records.len();
        grow(&mut self.records, more);
        self.text.reserve(more);
        grow(&mut self.label_of, more);
        grow(&mut self.group_of, more);
        grow(&mut self.region_of, more);
        grow(&mut self.price_of, more);
        let mut added = 0;
        let shared = self.keys.clone();
        let mut keys = shared.write();
        for r in records {
            let key = KeyRef {
                region: &r.region,
                country: &r.country,
                id: r.release_id(),
            };
            if let Some(i) = keys.find(key) {
                self.replace(i, r);
                continue;
            }
            let i = keys.push(key);
            debug_assert_eq!(i, self.records.len(), "one key per record");
            self.text.push(&r);
            let label = self.intern_label(&r);
            self.label_of.push(label);
            let group = self.intern_group(&r.country, label);
            self.group_of.push(group);
            self.groups[group as usize].total.add(&r.price);
            let region = self.intern_region(&r.region);
            self.region_of.push(region);
            let price = self.intern_price(r.price.value);
            self.price_of.push(price);
            self.records.push(r);
            self.unsorted.push(u32::try_from(i).unwrap_or(u32::MAX));
            added += 1;
        }
        self.version += 1;
        if let Some(RegionLoad::Loading { items, .. }) = self.regions.get_mut(region) {
            *items += added;
        }
    }

    /// Records the end of one owner's listing in a region.
    pub fn finish(&mut self, region: &str, result: Result<(), ApiError>) {
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
        if let Some(i) = self.index_of(&record.key()) {
            self.replace(i, record);
            self.version += 1;
        }
    }

    fn replace(&mut self, i: usize, record: SenderIdRecord) {
        let old = &self.records[i];
        let moved = old.country != record.country
            || old.message_types != record.message_types
            || old.region != record.region
            || old.sender_id != record.sender_id
            || old.arn != record.arn
            || old.price.value.map(|d| d.serialize()) != record.price.value.map(|d| d.serialize());
        if moved {
            self.resort = true;
            let label = self.intern_label(&record);
            self.label_of[i] = label;
            self.group_of[i] = self.intern_group(&record.country, label);
            self.region_of[i] = self.intern_region(&record.region);
            self.price_of[i] = self.intern_price(record.price.value);
        }
        self.text.replace(i, &record);
        self.records[i] = record;
    }

    fn intern_group(&mut self, country: &str, label: u32) -> u32 {
        if let Some(&(_, id)) = self
            .group_ids
            .get(country)
            .and_then(|labels| labels.iter().find(|(l, _)| *l == label))
        {
            return id;
        }
        let id = u32::try_from(self.groups.len()).unwrap_or(u32::MAX);
        self.groups.push(GroupInfo {
            country: country.to_owned(),
            label,
            total: Total::default(),
        });
        self.group_ids
            .entry(country.to_owned())
            .or_default()
            .push((label, id));
        id
    }

    fn intern_region(&mut self, region: &str) -> u16 {
        let at = match self.region_names.iter().position(|r| r == region) {
            Some(at) => at,
            None => {
                self.region_names.push(region.to_owned());
                self.region_names.len() - 1
            }
        };
        u16::try_from(at).unwrap_or(u16::MAX)
    }

    fn intern_price(&mut self, price: Option<Decimal>) -> u32 {
        let exact = price.map(|d| d.serialize());
        if let Some(&id) = self.price_ids.get(&exact) {
            return id;
        }
        let id = u32::try_from(self.prices.len()).unwrap_or(u32::MAX);
        self.prices.push(price);
        self.price_ids.insert(exact, id);
        id
    }

    fn intern_label(&mut self, r: &SenderIdRecord) -> u32 {
        let text = r.message_type_label();
        if let Some(&id) = self.label_ids.get(&text) {
            return id;
        }
        let id = u32::try_from(self.labels.len()).unwrap_or(u32::MAX);
        let rank = match text.as_str() {
            "TRANSACTIONAL" => 0,
            "PROMOTIONAL" => 1,
            "PROMOTIONAL+TRANSACTIONAL" | "TRANSACTIONAL+PROMOTIONAL" => 2,
            _ => 3,
        };
        self.label_ids.insert(text.clone(), id);
        self.labels.push(Label { text, rank });
        id
    }

    /// Brings what is derived from the records up to date: the display orders (the records
    /// added since the last call are sorted and merged in, so a page costs a merge, not a sort
    /// of everything; after a replaced record changed place, everything is worked out again),
    /// and the filter text after a replaced record's changed length.
    pub fn settle(&mut self) {
        self.text.settle(&self.records);
        let n = u32::try_from(self.records.len()).unwrap_or(u32::MAX);
        if self.resort {
            self.resort = false;
            self.unsorted.clear();
            for sort in SORTS {
                let mut order: Vec<u32> = (0..n).collect();
                order.sort_unstable_by(|&a, &b| self.compare(a, b, sort));
                self.orders[slot(sort)] = order;
            }
            self.groups
                .iter_mut()
                .for_each(|g| g.total = Total::default());
            for (i, r) in self.records.iter().enumerate() {
                self.groups[self.group_of[i] as usize].total.add(&r.price);
            }
            return;
        }
        if self.unsorted.is_empty() {
            return;
        }
        let fresh = std::mem::take(&mut self.unsorted);
        for sort in SORTS {
            let mut new = fresh.clone();
            new.sort_unstable_by(|&a, &b| self.compare(a, b, sort));
            let old = std::mem::take(&mut self.orders[slot(sort)]);
            let mut merged = Vec::with_capacity(old.len() + new.len());
            let mut rest = old.as_slice();
            for x in new {
                let at = rest.partition_point(|&o| self.compare(o, x, sort) == Ordering::Less);
                merged.extend_from_slice(&rest[..at]);
                merged.push(x);
                rest = &rest[at..];
            }
            merged.extend_from_slice(rest);
            self.orders[slot(sort)] = merged;
        }
    }

    /// Every record index in the display order of `sort`, as of the last [`Inventory::settle`].
    pub fn order(&self, sort: SortMode) -> &[u32] {
        &self.orders[slot(sort)]
    }

    /// True when [`Inventory::order`] covers every record.
    pub fn settled(&self) -> bool {
        self.unsorted.is_empty() && !self.resort && !self.text.is_stale()
    }

    /// The display order: country, then message-type set (TRANSACTIONAL, PROMOTIONAL, both,
    /// others; then by label), then the sort mode's row order; arrival order last, so that the
    /// order is total and does not depend on how pages were merged.
    fn compare(&self, a: u32, b: u32, sort: SortMode) -> Ordering {
        let (ia, ib) = (a as usize, b as usize);
        let (ra, rb) = (&self.records[ia], &self.records[ib]);
        let (la, lb) = (
            &self.labels[self.label_of[ia] as usize],
            &self.labels[self.label_of[ib] as usize],
        );
        ra.country
            .cmp(&rb.country)
            .then(la.rank.cmp(&lb.rank))
            .then_with(|| la.text.cmp(&lb.text))
            .then_with(|| super::view::row_order(ra, rb, sort))
            .then(a.cmp(&b))
    }
}

/// Makes room for `more` items, growing by a quarter rather than doubling: with 100,000 records
/// a doubled vector would hold up to twice what it needs, and memory is a measured goal.
pub(super) fn grow<T>(v: &mut Vec<T>, more: usize) {
    if v.capacity() - v.len() < more {
        v.reserve_exact(more.max(v.len() / 4));
    }
}
