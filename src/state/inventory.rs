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
use super::view::SortMode;
use crate::aws::ApiError;
use crate::domain::{Key, Ownership, SenderIdRecord};
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

/// Ends each record's text in the filter buffer; typed text never holds it, so a match never
/// spans two records.
const END: u8 = 0;

#[derive(Debug, Default)]
pub struct Inventory {
    records: Vec<SenderIdRecord>,
    /// Lower-case text the `/` filter searches, every record's one after the other, each ended
    /// by [`END`]; built once on arrival. A replaced record's old text is blanked with [`END`].
    hay: Vec<u8>,
    /// Where each record's text is in `hay` (start, end).
    hay_at: Vec<(u32, u32)>,
    /// The record of each stretch of `hay`, by start, for mapping a match back to its record.
    hay_owner: Vec<(u32, u32)>,
    /// Each record's message-type label, as an index into `labels`.
    label_of: Vec<u32>,
    labels: Vec<Label>,
    label_ids: HashMap<String, u32>,
    /// Each record's group (country and message-type set), as an index into `groups`.
    group_of: Vec<u32>,
    /// Group ids by country, then by label.
    group_ids: HashMap<String, Vec<(u32, u32)>>,
    group_count: u32,
    /// Each record's region, as an index into `region_names`.
    region_of: Vec<u32>,
    region_names: Vec<String>,
    /// Each record's monthly price (`None` when unreadable).
    price_of: Vec<Option<Decimal>>,
    /// Record indices by key, shared with the marks.
    keys: SharedKeys,
    pub regions: BTreeMap<String, RegionLoad>,
    /// Every record index in the display order of each sort mode (see [`SORTS`]): by country,
    /// message-type set, then the mode's row order. Valid once [`Inventory::settle`] has run.
    orders: [Vec<u32>; 4],
    /// Records added since the orders were last settled.
    unsorted: Vec<u32>,
    /// A replaced record changed place: the orders are rebuilt from scratch when settled.
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
        self.hay.clear();
        self.hay_at.clear();
        self.hay_owner.clear();
        self.label_of.clear();
        self.group_of.clear();
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

    /// The lower-case text the `/` filter searches for a record.
    pub fn haystack(&self, idx: usize) -> &str {
        self.hay_at
            .get(idx)
            .and_then(|&(a, b)| std::str::from_utf8(&self.hay[a as usize..b as usize]).ok())
            .unwrap_or("")
    }

    /// Which records contain `needle` (already lower-case) in their filter text: one pass over
    /// all the text, or, given `among` (fewer records), only theirs.
    pub fn matching(&self, needle: &str, among: Option<&[usize]>) -> Vec<bool> {
        let mut hit = vec![false; self.records.len()];
        let finder = memmem::Finder::new(needle.as_bytes());
        match among {
            Some(some) if some.len() < self.records.len() / 4 => {
                for &i in some {
                    if let Some(&(a, b)) = self.hay_at.get(i) {
                        hit[i] = finder.find(&self.hay[a as usize..b as usize]).is_some();
                    }
                }
            }
            _ => {
                let mut owner = 0;
                let mut from = 0;
                while let Some(at) = finder.find(&self.hay[from..]) {
                    let at = from + at;
                    let pos = u32::try_from(at).unwrap_or(u32::MAX);
                    while self
                        .hay_owner
                        .get(owner + 1)
                        .is_some_and(|&(s, _)| s <= pos)
                    {
                        owner += 1;
                    }
                    let Some(&(_, i)) = self.hay_owner.get(owner) else {
                        break;
                    };
                    hit[i as usize] = true;
                    // The next search starts after this record's text.
                    from = self.hay_at[i as usize].1 as usize;
                    if from <= at {
                        from = at + 1;
                    }
                }
            }
        }
        hit
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

    /// A record's region, as an index into [`Inventory::region_names`].
    pub(crate) fn region_of(&self, idx: usize) -> usize {
        self.region_of.get(idx).map_or(usize::MAX, |&r| r as usize)
    }

    /// The names of the regions records came from, in order of first arrival.
    pub(crate) fn region_names(&self) -> &[String] {
        &self.region_names
    }

    /// A record's monthly price, `None` when unreadable.
    pub(crate) fn price_of(&self, idx: usize) -> Option<Decimal> {
        self.price_of.get(idx).copied().flatten()
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
        grow(&mut self.hay_at, more);
        grow(&mut self.hay_owner, more);
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
                id: id_of(&r),
            };
            if let Some(i) = keys.find(key) {
                self.replace(i, r);
            } else {
                let i = keys.push(key);
                debug_assert_eq!(i, self.records.len(), "one key per record");
                let at = self.push_hay(i, &r);
                self.hay_at.push(at);
                let label = self.intern_label(&r);
                self.label_of.push(label);
                let group = self.intern_group(&r.country, label);
                self.group_of.push(group);
                let region = self.intern_region(&r.region);
                self.region_of.push(region);
                self.price_of.push(r.price.value);
                self.records.push(r);
                self.unsorted.push(u32::try_from(i).unwrap_or(u32::MAX));
                added += 1;
            }
        }
        self.version += 1;
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
            || old.price.value != record.price.value;
        if moved {
            self.resort = true;
            let label = self.intern_label(&record);
            self.label_of[i] = label;
            self.group_of[i] = self.intern_group(&record.country, label);
            self.region_of[i] = self.intern_region(&record.region);
            self.price_of[i] = record.price.value;
        }
        // The old text can no longer match; the new one goes at the end.
        let (a, b) = self.hay_at[i];
        self.hay[a as usize..b as usize].fill(END);
        self.hay_at[i] = self.push_hay(i, &record);
        self.records[i] = record;
    }

    /// Appends a record's filter text to the buffer.
    fn push_hay(&mut self, i: usize, r: &SenderIdRecord) -> (u32, u32) {
        let start = u32::try_from(self.hay.len()).unwrap_or(u32::MAX);
        let text = haystack(r);
        grow(&mut self.hay, text.len() + 1);
        self.hay.extend_from_slice(text.as_bytes());
        let end = u32::try_from(self.hay.len()).unwrap_or(u32::MAX);
        self.hay.push(END);
        self.hay_owner
            .push((start, u32::try_from(i).unwrap_or(u32::MAX)));
        (start, end)
    }

    fn intern_group(&mut self, country: &str, label: u32) -> u32 {
        if let Some(&(_, id)) = self
            .group_ids
            .get(country)
            .and_then(|labels| labels.iter().find(|(l, _)| *l == label))
        {
            return id;
        }
        let id = self.group_count;
        self.group_count += 1;
        self.group_ids
            .entry(country.to_owned())
            .or_default()
            .push((label, id));
        id
    }

    fn intern_region(&mut self, region: &str) -> u32 {
        match self.region_names.iter().position(|r| r == region) {
            Some(at) => u32::try_from(at).unwrap_or(u32::MAX),
            None => {
                self.region_names.push(region.to_owned());
                u32::try_from(self.region_names.len() - 1).unwrap_or(u32::MAX)
            }
        }
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

    /// Brings the display orders up to date: the records added since the last call are sorted
    /// and merged in (a page costs a merge, not a sort of everything); after a replaced record
    /// changed place, every order is sorted again.
    pub fn settle(&mut self) {
        let n = u32::try_from(self.records.len()).unwrap_or(u32::MAX);
        if self.resort {
            self.resort = false;
            self.unsorted.clear();
            for sort in SORTS {
                let mut order: Vec<u32> = (0..n).collect();
                order.sort_unstable_by(|&a, &b| self.compare(a, b, sort));
                self.orders[slot(sort)] = order;
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
        self.unsorted.is_empty() && !self.resort
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
fn grow<T>(v: &mut Vec<T>, more: usize) {
    if v.capacity() - v.len() < more {
        v.reserve_exact(more.max(v.len() / 4));
    }
}

/// The identifier part of a record's [`Key`]: the sender ID, or the ARN of a shared one.
fn id_of(r: &SenderIdRecord) -> &str {
    match r.ownership {
        Ownership::Own => &r.sender_id,
        Ownership::Shared => &r.arn,
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
