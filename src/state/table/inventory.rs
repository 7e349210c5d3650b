//! The loaded sender IDs and everything derived from them, in one owner: the records in arrival
//! order with their index by [`Key`], their derived columns ([`Columns`]: label, group, region,
//! price), their filter text ([`SearchText`]), their display order for every sort mode, their
//! marks, and per-region loading progress. Each sender ID is held once; a page that repeats one
//! replaces it. Every change bumps one [`Inventory::generation`], which is all a derived thing
//! (the view, the mark counts) compares to know it is stale: nothing has to be told.
//!
//! The display orders are kept as records arrive: the records added since the last look are
//! sorted and merged in when the orders are next asked for ([`Inventory::settle`]), so a batch of
//! pages costs one merge, and a key press never sorts the whole inventory.

use super::columns::Columns;
use super::key_index::{KeyIndex, KeyRef};
use super::marks::MarkSet;
use super::search::SearchText;
use super::sort::{SortMode, sort_key};
use crate::domain::{ApiError, Key, SenderIdRecord, Total};
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::collections::BTreeMap;

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
    /// Each record's own text the `/` filter searches (sender ID, registration ID).
    pub(super) text: SearchText,
    pub(super) columns: Columns,
    /// Record indices by key.
    keys: KeyIndex,
    pub(super) marks: MarkSet,
    /// Per record: released in this session. It stays listed (with its outcome) until the next
    /// reload, but leaves every count and total at once.
    gone: Vec<bool>,
    /// How many of `gone` are set (the header counts live sender IDs every frame).
    gone_count: usize,
    pub regions: BTreeMap<String, RegionLoad>,
    /// Every record index in the display order of each sort mode ([`SortMode::slot`]).
    orders: [Vec<u32>; 4],
    /// Records added since the orders were last settled.
    unsorted: Vec<u32>,
    /// A replaced record changed place: the orders and group totals are worked out from
    /// scratch when next settled.
    resort: bool,
    generation: u64,
}

impl Inventory {
    /// Starts a fresh load of these regions: the records are dropped, and the marks of loaded
    /// sender IDs become keys again, to be matched with the records as they come back.
    pub fn start(&mut self, regions: &[String]) {
        if self.marks.flagged > 0 {
            let keys: Vec<Key> = (0..self.records.len())
                .filter(|&i| self.marks.is_marked(i))
                .filter_map(|i| self.key_of(i))
                .collect();
            self.marks.detached.extend(keys);
        }
        self.marks.flags.clear();
        self.marks.flagged = 0;
        self.marks.generation += 1;
        self.records.clear();
        self.gone.clear();
        self.gone_count = 0;
        self.text.clear();
        self.columns.clear();
        self.keys.clear();
        self.orders.iter_mut().for_each(Vec::clear);
        self.unsorted.clear();
        self.resort = false;
        self.generation += 1;
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

    /// Changes whenever records are added, replaced or dropped.
    pub fn generation(&self) -> u64 {
        self.generation
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
    pub fn label(&self, i: usize) -> &str {
        self.columns.label(i)
    }

    /// A record's region, as an index into [`Inventory::region_names`].
    pub(crate) fn region_of(&self, i: usize) -> usize {
        self.columns.region_of(i)
    }

    /// The names of the regions records came from, in order of first arrival.
    pub(crate) fn region_names(&self) -> &[String] {
        self.columns.region_names()
    }

    /// A record's monthly price, `None` when unreadable.
    pub(crate) fn price_of(&self, i: usize) -> Option<Decimal> {
        self.columns.price_value(self.columns.price_id(i))
    }

    /// A record's monthly price as an index into the few distinct prices (below
    /// [`Inventory::price_count`]), so that sums can count records per price and multiply once.
    pub(crate) fn price_id(&self, i: usize) -> usize {
        self.columns.price_id(i)
    }

    /// Whether record `i` is shared from another account.
    pub(crate) fn is_shared(&self, i: usize) -> bool {
        self.columns.is_shared(i)
    }

    /// How many distinct prices the records have.
    pub(crate) fn price_count(&self) -> usize {
        self.columns.price_count()
    }

    /// The price of a price id (`None`: unreadable).
    pub(crate) fn price_value(&self, id: usize) -> Option<Decimal> {
        self.columns.price_value(id)
    }

    /// Count and monthly total of every record of group `g` (as of the last settle).
    pub(super) fn group_total(&self, g: u32) -> Total {
        self.columns.group_total(g)
    }

    pub fn get(&self, key: &Key) -> Option<&SenderIdRecord> {
        self.index_of(key).and_then(|i| self.records.get(i))
    }

    /// The index of a sender ID in [`Inventory::records`].
    pub fn index_of(&self, key: &Key) -> Option<usize> {
        self.keys.find(key.into())
    }

    /// The key of record `i`.
    pub fn key_of(&self, i: usize) -> Option<Key> {
        self.keys.key(i)
    }

    pub fn contains(&self, key: &Key) -> bool {
        self.index_of(key).is_some()
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Sender IDs still there: loaded, not released since.
    pub fn live_len(&self) -> usize {
        self.records.len() - self.gone_count
    }

    /// Whether record `i` was released in this session.
    pub fn is_gone(&self, i: usize) -> bool {
        self.gone.get(i).copied().unwrap_or(false)
    }

    /// A sender ID was released: it stays listed until the next reload, but leaves every count
    /// and total now.
    pub fn set_gone(&mut self, key: &Key) {
        if let Some(i) = self.index_of(key)
            && !self.is_gone(i)
        {
            self.gone[i] = true;
            self.gone_count += 1;
            self.columns.leave(i, &self.records[i]);
            self.generation += 1;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Marks or unmarks record `i`; true if that changed it. A sender ID released in this
    /// session cannot be marked again.
    pub fn set_mark(&mut self, i: usize, on: bool) -> bool {
        if on && self.is_gone(i) {
            return false;
        }
        self.marks.set(i, on)
    }

    /// Unmarks a sender ID, loaded or not; true if it was marked.
    pub fn unmark(&mut self, key: &Key) -> bool {
        match self.index_of(key) {
            Some(i) => self.marks.set(i, false),
            None => {
                let was = self.marks.detached.remove(key);
                self.marks.generation += u64::from(was);
                was
            }
        }
    }

    /// Unmarks everything.
    pub fn clear_marks(&mut self) {
        self.marks.flags.fill(false);
        self.marks.flagged = 0;
        self.marks.detached.clear();
        self.marks.generation += 1;
    }

    /// Adds a page; a sender ID already held is replaced, never shown twice. A record whose key
    /// was marked before a reload is marked again.
    pub fn add_page(&mut self, region: &str, records: Vec<SenderIdRecord>) {
        let more = records.len();
        grow(&mut self.records, more);
        self.text.reserve(more);
        self.columns.reserve(more);
        grow(&mut self.marks.flags, more);
        let mut added = 0;
        for r in records {
            let key = KeyRef {
                region: &r.region,
                country: &r.country,
                id: r.release_id(),
            };
            if let Some(i) = self.keys.find(key) {
                self.replace(i, r);
                continue;
            }
            let i = self.keys.push(key);
            debug_assert_eq!(i, self.records.len(), "one key per record");
            self.text.push(&r);
            self.columns.push(&r);
            let marked = !self.marks.detached.is_empty() && self.marks.detached.remove(&r.key());
            self.marks.flags.push(marked);
            self.gone.push(false);
            self.marks.flagged += usize::from(marked);
            self.records.push(r);
            self.unsorted.push(u32::try_from(i).unwrap_or(u32::MAX));
            added += 1;
        }
        self.generation += 1;
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
            self.generation += 1;
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
            self.columns.replace(i, &record);
        }
        self.text.replace(i, &record);
        self.records[i] = record;
    }

    /// Brings the display orders up to date: the records added since the last call are sorted
    /// and merged in (a page costs a merge, not a sort of everything); after a replaced record
    /// changed place, everything is worked out again. Also the filter text, after a replaced
    /// record's text changed length.
    pub fn settle(&mut self) {
        self.text.settle(&self.records);
        let n = u32::try_from(self.records.len()).unwrap_or(u32::MAX);
        if self.resort {
            self.resort = false;
            self.unsorted.clear();
            for sort in SortMode::ALL {
                let mut order: Vec<u32> = (0..n).collect();
                order.sort_unstable_by(|&a, &b| self.compare(a, b, sort));
                self.orders[sort.slot()] = order;
            }
            self.columns.total_groups(&self.records, &self.gone);
            return;
        }
        if self.unsorted.is_empty() {
            return;
        }
        let fresh = std::mem::take(&mut self.unsorted);
        for sort in SortMode::ALL {
            let mut new = fresh.clone();
            new.sort_unstable_by(|&a, &b| self.compare(a, b, sort));
            let old = std::mem::take(&mut self.orders[sort.slot()]);
            let mut merged = Vec::with_capacity(old.len() + new.len());
            let mut rest = old.as_slice();
            for x in new {
                let at = rest.partition_point(|&o| self.compare(o, x, sort) == Ordering::Less);
                merged.extend_from_slice(&rest[..at]);
                merged.push(x);
                rest = &rest[at..];
            }
            merged.extend_from_slice(rest);
            self.orders[sort.slot()] = merged;
        }
    }

    /// Every record index in the display order of `sort`, as of the last [`Inventory::settle`].
    pub fn order(&self, sort: SortMode) -> &[u32] {
        &self.orders[sort.slot()]
    }

    /// True when [`Inventory::order`] covers every record.
    pub fn settled(&self) -> bool {
        self.unsorted.is_empty() && !self.resort && !self.text.is_stale()
    }

    /// Which records the `/` filter `needle` (lower-case, not empty) shows; `among`, when given
    /// and small, limits the search to those. The inventory must be settled.
    pub(super) fn matching(&self, needle: &str, among: Option<&[usize]>) -> Vec<bool> {
        super::search::matching(&self.text, &self.columns, self.records.len(), needle, among)
    }

    /// The display order ([`sort_key`]), arrival order last, so that the order is total and
    /// does not depend on how pages were merged.
    fn compare(&self, a: u32, b: u32, sort: SortMode) -> Ordering {
        let (ia, ib) = (a as usize, b as usize);
        sort_key(&self.records[ia], self.columns.label(ia), sort)
            .cmp(&sort_key(&self.records[ib], self.columns.label(ib), sort))
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
