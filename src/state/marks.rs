//! The marks: a set of stable [`Key`]s (region, country, sender ID), never row numbers, that
//! survives filters, sorts and reloads. Inside, a mark on a loaded sender ID is one flag per
//! inventory record (found by key through the inventory's index), and only a mark whose sender ID
//! is not loaded (kept across a reload until its region has loaded) is held as a `Key`; so
//! marking 100,000 rows sets 100,000 flags instead of building 100,000 keys. What the screen shows
//! of them every frame (how many of a group are marked, how many the filter hides, their monthly
//! total) is counted when the marks, the inventory or the view change, never per frame.

use super::inventory::Inventory;
use super::key_index::SharedKeys;
use super::view::View;
use crate::domain::{Key, Total};
use std::collections::BTreeSet;
use std::fmt;

#[derive(Default)]
pub struct Marks {
    /// Marked sender IDs the inventory does not hold.
    detached: BTreeSet<Key>,
    /// Per inventory record: marked. Covers the records present at the last `sync`, of the
    /// index epoch `epoch`; records that arrived since are marked if `detached` holds their key.
    flags: Vec<bool>,
    flagged: usize,
    epoch: u64,
    /// The inventory's index (attached at the first `sync`).
    index: SharedKeys,
    /// The figures below need working out again.
    dirty: bool,
    /// Marked sender IDs that are loaded: count and monthly total.
    loaded: Total,
    /// Marked sender IDs the view shows, in all and per group.
    shown: usize,
    per_group: Vec<usize>,
}

impl Marks {
    pub fn len(&self) -> usize {
        self.flagged + self.detached.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The record a key names, when it has a flag.
    fn flag_of(&self, key: &Key) -> Option<usize> {
        let index = self.index.read();
        if index.epoch() != self.epoch {
            return None;
        }
        index.find(key.into()).filter(|&i| i < self.flags.len())
    }

    pub fn contains(&self, key: &Key) -> bool {
        match self.flag_of(key) {
            Some(i) => self.flags[i],
            None => self.detached.contains(key),
        }
    }

    /// Every marked key, in key order.
    pub fn keys(&self) -> BTreeSet<Key> {
        let index = self.index.read();
        let mut keys = self.detached.clone();
        keys.extend(
            self.flags
                .iter()
                .enumerate()
                .filter(|(_, on)| **on)
                .filter_map(|(i, _)| index.key(i)),
        );
        keys
    }

    /// The marked keys whose sender ID is not loaded.
    pub fn detached(&self) -> &BTreeSet<Key> {
        &self.detached
    }

    /// Marks a sender ID; true if it was not marked.
    pub fn insert(&mut self, key: Key) -> bool {
        match self.flag_of(&key) {
            Some(i) => self.set(i, true),
            None => self.detached.insert(key),
        }
    }

    /// Unmarks a sender ID; true if it was marked.
    pub fn remove(&mut self, key: &Key) -> bool {
        match self.flag_of(key) {
            Some(i) => self.set(i, false),
            None => self.detached.remove(key),
        }
    }

    pub fn clear(&mut self) {
        self.detached.clear();
        self.flags.fill(false);
        self.flagged = 0;
        self.dirty = true;
    }

    /// Whether the inventory record `idx` is marked.
    pub fn is_marked(&self, idx: usize) -> bool {
        self.flags.get(idx).copied().unwrap_or(false)
    }

    /// Marks or unmarks the inventory record `idx`; true if that changed it.
    pub(crate) fn set(&mut self, idx: usize, on: bool) -> bool {
        match self.flags.get_mut(idx) {
            Some(flag) if *flag != on => {
                *flag = on;
                if on {
                    self.flagged += 1;
                } else {
                    self.flagged -= 1;
                }
                self.dirty = true;
                true
            }
            _ => false,
        }
    }

    /// Before the inventory drops its records for a fresh load: the marks of loaded sender IDs
    /// become keys again, to be matched with the records as they come back.
    pub(crate) fn detach_all(&mut self) {
        if self.flagged > 0 {
            let index = self.index.read();
            if index.epoch() == self.epoch {
                self.detached.extend(
                    self.flags
                        .iter()
                        .enumerate()
                        .filter(|(_, on)| **on)
                        .filter_map(|(i, _)| index.key(i)),
                );
            }
        }
        self.flags.clear();
        self.flagged = 0;
        self.dirty = true;
    }

    /// Brings the flags up to date with the inventory: records that arrived since are marked if
    /// their key was.
    pub(crate) fn sync(&mut self, inv: &Inventory) {
        self.index = inv.shared_keys();
        let index = self.index.read();
        if index.epoch() != self.epoch {
            self.epoch = index.epoch();
            self.flags.clear();
            self.flagged = 0;
            self.dirty = true;
        }
        let held = index.len().min(inv.len());
        if self.flags.len() < held {
            let from = self.flags.len();
            self.flags.resize(held, false);
            if !self.detached.is_empty() {
                for i in from..held {
                    if let Some(key) = index.key(i)
                        && self.detached.remove(&key)
                    {
                        self.flags[i] = true;
                        self.flagged += 1;
                    }
                }
            }
            self.dirty = true;
        }
    }

    /// Works out the figures again that need it: the total when the marks or the inventory
    /// changed, the counts per group when the marks or the view did.
    pub(crate) fn count(&mut self, inv: &Inventory, view: &View, inventory: bool, rebuilt: bool) {
        let (total, groups) = (self.dirty || inventory, self.dirty || inventory || rebuilt);
        self.dirty = false;
        if total {
            self.loaded = Total::default();
            if self.flagged > 0 {
                // Count per distinct price, then multiply: a few hundred exact products
                // instead of one addition per marked sender ID.
                let mut per_price = vec![0_u32; inv.price_count()];
                for (i, _) in self.flags.iter().enumerate().filter(|(_, on)| **on) {
                    if let Some(n) = per_price.get_mut(inv.price_id(i)) {
                        *n += 1;
                    }
                }
                for (p, &n) in per_price.iter().enumerate().filter(|(_, n)| **n > 0) {
                    self.loaded.count += n as usize;
                    match inv.price_value(p) {
                        Some(v) => self.loaded.sum += v * rust_decimal::Decimal::from(n),
                        None => self.loaded.unparsed += n as usize,
                    }
                }
            }
        }
        if groups {
            self.shown = 0;
            self.per_group.clear();
            self.per_group.resize(view.groups.len(), 0);
            if self.flagged > 0 {
                for (g, group) in view.groups.iter().enumerate() {
                    let n = group.members.iter().filter(|&&i| self.is_marked(i)).count();
                    self.per_group[g] = n;
                    self.shown += n;
                }
            }
        }
    }

    /// Count and monthly total of the marked sender IDs that are loaded.
    pub fn loaded_total(&self) -> Total {
        self.loaded
    }

    /// How many marked sender IDs the view shows.
    pub fn shown(&self) -> usize {
        self.shown
    }

    /// How many members of the view's group `g` are marked.
    pub fn in_group(&self, g: usize) -> usize {
        self.per_group.get(g).copied().unwrap_or(0)
    }
}

impl fmt::Debug for Marks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.keys()).finish()
    }
}

impl PartialEq<BTreeSet<Key>> for Marks {
    fn eq(&self, other: &BTreeSet<Key>) -> bool {
        self.len() == other.len() && self.keys() == *other
    }
}

impl PartialEq for Marks {
    fn eq(&self, other: &Self) -> bool {
        self.keys() == other.keys()
    }
}
