//! The marks: a set of stable [`Key`]s (region, country, sender ID), never row numbers, that
//! survives filters, sorts and reloads. The inventory holds them, since it owns the records and
//! their index by key: a mark on a loaded sender ID is one flag per record, and only a mark whose
//! sender ID is not loaded (kept across a reload until its record comes back) is held as a `Key`;
//! marking 100,000 rows sets 100,000 flags, not 100,000 keys. Questions by key are answered
//! through the inventory's own index, without a lock.
//!
//! What the screen shows of them every frame (how many of a group are marked, how many the view
//! shows, their monthly total) is [`MarkCounts`], worked out again only when the records, the
//! marks or the view it was counted for changed — compared, never flagged by hand.

use super::inventory::Inventory;
use super::view::View;
use crate::domain::{Key, Total};
use std::collections::BTreeSet;
use std::fmt;

/// The marks as the inventory keeps them.
#[derive(Debug, Default)]
pub(super) struct MarkSet {
    /// Per record: marked.
    pub(super) flags: Vec<bool>,
    pub(super) flagged: usize,
    /// Marked sender IDs the inventory does not hold.
    pub(super) detached: BTreeSet<Key>,
    /// Changes whenever a mark is set or cleared.
    pub(super) generation: u64,
}

impl MarkSet {
    pub(super) fn is_marked(&self, i: usize) -> bool {
        self.flags.get(i).copied().unwrap_or(false)
    }

    /// Sets record `i`'s flag; true if that changed it.
    pub(super) fn set(&mut self, i: usize, on: bool) -> bool {
        match self.flags.get_mut(i) {
            Some(flag) if *flag != on => {
                *flag = on;
                if on {
                    self.flagged += 1;
                } else {
                    self.flagged -= 1;
                }
                self.generation += 1;
                true
            }
            _ => false,
        }
    }
}

/// The marks, to read: by record index or by key.
#[derive(Clone, Copy)]
pub struct Marks<'a> {
    inv: &'a Inventory,
    counts: &'a MarkCounts,
}

impl<'a> Marks<'a> {
    pub(crate) fn new(inv: &'a Inventory, counts: &'a MarkCounts) -> Self {
        Self { inv, counts }
    }

    fn set(&self) -> &MarkSet {
        &self.inv.marks
    }

    pub fn len(&self) -> usize {
        self.set().flagged + self.set().detached.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the inventory record `i` is marked.
    pub fn is_marked(&self, i: usize) -> bool {
        self.set().is_marked(i)
    }

    pub fn contains(&self, key: &Key) -> bool {
        match self.inv.index_of(key) {
            Some(i) => self.set().is_marked(i),
            None => self.set().detached.contains(key),
        }
    }

    /// Every marked key, in key order.
    pub fn keys(&self) -> BTreeSet<Key> {
        let mut keys = self.set().detached.clone();
        keys.extend(
            self.set()
                .flags
                .iter()
                .enumerate()
                .filter(|(_, on)| **on)
                .filter_map(|(i, _)| self.inv.key_of(i)),
        );
        keys
    }

    /// The marked keys whose sender ID is not loaded.
    pub fn detached(&self) -> &BTreeSet<Key> {
        &self.set().detached
    }

    /// Count and monthly total of the marked sender IDs that are loaded.
    pub fn loaded_total(&self) -> Total {
        self.counts.loaded
    }

    /// How many marked sender IDs the view shows.
    pub fn shown(&self) -> usize {
        self.counts.shown
    }

    /// How many members of the view's group `g` are marked.
    pub fn in_group(&self, g: usize) -> usize {
        self.counts.per_group.get(g).copied().unwrap_or(0)
    }
}

impl fmt::Debug for Marks<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.keys()).finish()
    }
}

impl PartialEq<BTreeSet<Key>> for Marks<'_> {
    fn eq(&self, other: &BTreeSet<Key>) -> bool {
        self.len() == other.len() && self.keys() == *other
    }
}

impl PartialEq for Marks<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.keys() == other.keys()
    }
}

/// What the counts were worked out from.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct CountBasis {
    records: u64,
    marks: u64,
    view: Option<super::view::Basis>,
}

/// The figures the screen shows of the marks, as of the records, marks and view they were
/// counted for.
#[derive(Debug, Default)]
pub struct MarkCounts {
    basis: Option<CountBasis>,
    /// Marked sender IDs that are loaded: count and monthly total.
    loaded: Total,
    /// Marked sender IDs the view shows, in all and per group.
    shown: usize,
    per_group: Vec<usize>,
}

impl MarkCounts {
    /// Works the figures out again if the records, the marks or the view changed since.
    pub(crate) fn update(&mut self, inv: &Inventory, view: &View) {
        let basis = CountBasis {
            records: inv.generation(),
            marks: inv.marks.generation,
            view: view.basis().cloned(),
        };
        let old = self.basis.replace(basis.clone());
        if old.as_ref() == Some(&basis) {
            return;
        }
        let marks = &inv.marks;
        if old
            .as_ref()
            .is_none_or(|o| (o.records, o.marks) != (basis.records, basis.marks))
        {
            self.loaded = Total::default();
            if marks.flagged > 0 {
                // Count per distinct price, then multiply: a few hundred exact products instead
                // of one addition per marked sender ID.
                let mut per_price = vec![0_u32; inv.columns.price_count()];
                for (i, _) in marks.flags.iter().enumerate().filter(|(_, on)| **on) {
                    if let Some(n) = per_price.get_mut(inv.columns.price_id(i)) {
                        *n += 1;
                    }
                }
                for (p, &n) in per_price.iter().enumerate().filter(|(_, n)| **n > 0) {
                    self.loaded.count += n as usize;
                    match inv.columns.price_value(p) {
                        Some(v) => self.loaded.sum += v * rust_decimal::Decimal::from(n),
                        None => self.loaded.unparsed += n as usize,
                    }
                }
            }
        }
        self.shown = 0;
        self.per_group.clear();
        self.per_group.resize(view.groups.len(), 0);
        if marks.flagged > 0 {
            for (g, group) in view.groups.iter().enumerate() {
                let n = group
                    .members
                    .iter()
                    .filter(|&&i| marks.is_marked(i))
                    .count();
                self.per_group[g] = n;
                self.shown += n;
            }
        }
    }
}
