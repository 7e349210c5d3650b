//! The table as the operator sees it, derived from the inventory, the `/` filter and the sort:
//! groups by country then message-type set, each with a header row carrying its count and
//! monthly subtotal, then its members. Rows are indices into the inventory, never copies, and
//! the whole view is rebuilt only when its inputs change, not per frame. A rebuild walks the
//! inventory's ready-made display order for the sort (nothing is sorted but the groups), and a
//! filter that only grew since the last build searches only the rows it showed.

use super::inventory::Inventory;
use crate::domain::{SenderIdRecord, Total};
use std::cmp::Ordering;

/// The sort the `s` key cycles through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortMode {
    /// Groups by country code; rows by region, then sender ID.
    #[default]
    Country,
    /// Groups by country code; rows by sender ID.
    SenderId,
    /// Groups by subtotal, highest first; rows by price, highest first.
    Price,
    /// Groups by country code; rows by region, then price.
    Region,
}

impl SortMode {
    pub fn next(self) -> Self {
        match self {
            Self::Country => Self::SenderId,
            Self::SenderId => Self::Price,
            Self::Price => Self::Region,
            Self::Region => Self::Country,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Country => "country",
            Self::SenderId => "sender ID",
            Self::Price => "price (high first)",
            Self::Region => "region",
        }
    }
}

/// One group: sender IDs of one country sharing one message-type set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub country: String,
    pub types: String,
    pub total: Total,
    /// Inventory indices of the visible members, in display order.
    pub members: Vec<usize>,
}

/// A row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Header(usize),
    Item(usize),
}

/// No row: the record is hidden by the filter.
const HIDDEN: u32 = u32::MAX;

/// What a view was built from.
#[derive(Debug, Default)]
struct Basis {
    version: u64,
    epoch: u64,
    sort: SortMode,
    needle: String,
}

#[derive(Debug, Default)]
pub struct View {
    pub groups: Vec<Group>,
    pub rows: Vec<Row>,
    /// Total of the visible sender IDs.
    pub total: Total,
    /// The row of each inventory record ([`HIDDEN`] when the filter hides it).
    row_of: Vec<u32>,
    basis: Basis,
}

impl View {
    /// Number of sender IDs shown (headers not counted).
    pub fn shown(&self) -> usize {
        self.total.count
    }

    /// Builds the view, in place of `previous` (dropped before the new one is built, so that two
    /// views of 100,000 rows are never held at once). `filter` is matched, case-insensitively,
    /// as a substring of the sender ID, country, region, registration ID or message types. When
    /// only the filter grew since `previous` (same inventory and sort, the old filter text part
    /// of the new one), only the rows `previous` showed are searched. The inventory must be
    /// settled ([`Inventory::settle`]).
    pub fn rebuild(inv: &Inventory, filter: &str, sort: SortMode, previous: Option<View>) -> Self {
        debug_assert!(inv.settled(), "the inventory is settled before a build");
        let needle = filter.trim().to_lowercase();
        let basis = Basis {
            version: inv.version(),
            epoch: inv.epoch(),
            sort,
            needle,
        };
        // The rows the filter may show, in display order: the ones shown before when the filter
        // only grew, else the sort's whole order.
        let candidates: Option<Vec<usize>> = previous
            .as_ref()
            .filter(|p| {
                p.basis.version == basis.version
                    && p.basis.epoch == basis.epoch
                    && p.basis.sort == sort
                    && basis.needle.contains(p.basis.needle.as_str())
            })
            .map(|p| {
                p.rows
                    .iter()
                    .filter_map(|row| match row {
                        Row::Item(i) => Some(*i),
                        Row::Header(_) => None,
                    })
                    .collect()
            });
        // The old view's room is used again (no fresh pages to fault in).
        let (mut rows, mut row_of, old_groups) = previous
            .map(|p| (p.rows, p.row_of, p.groups))
            .unwrap_or_default();
        let mut spare: Vec<Vec<usize>> = old_groups
            .into_iter()
            .map(|g| {
                let mut members = g.members;
                members.clear();
                members
            })
            .collect();
        let records = inv.records();
        // Without a filter every group is whole.
        let whole = basis.needle.is_empty();
        let mut groups: Vec<Group> = Vec::new();
        let mut group_ids: Vec<u32> = Vec::new();
        let mut add = |i: usize| {
            let group = inv.group_of(i);
            if group_ids.last() != Some(&group) {
                group_ids.push(group);
                let mut members = spare.pop().unwrap_or_default();
                if whole {
                    members.reserve(inv.group_total(group).count);
                }
                groups.push(Group {
                    country: records[i].country.clone(),
                    types: inv.label(i).to_owned(),
                    total: Total::default(),
                    members,
                });
            }
            if let Some(g) = groups.last_mut() {
                g.members.push(i);
            }
        };
        let hits = (!whole).then(|| inv.matching(&basis.needle, candidates.as_deref()));
        let shown = |i: &usize| hits.as_ref().is_none_or(|h| h[*i]);
        match &candidates {
            Some(some) => some.iter().copied().filter(shown).for_each(&mut add),
            None => inv
                .order(sort)
                .iter()
                .map(|&i| i as usize)
                .filter(shown)
                .for_each(&mut add),
        }
        drop(candidates);
        drop(hits);
        let mut total = Total::default();
        for (g, &id) in groups.iter_mut().zip(&group_ids) {
            // A group the filter leaves whole has the inventory's total; only a part of one is
            // added up.
            let all = inv.group_total(id);
            if whole || g.members.len() == all.count {
                g.total = all;
            } else {
                for &i in &g.members {
                    add_price(&mut g.total, inv.price_of(i));
                }
            }
            total.count += g.total.count;
            total.sum += g.total.sum;
            total.unparsed += g.total.unparsed;
        }
        if sort == SortMode::Price {
            groups.sort_by(|a, b| {
                b.total
                    .sum
                    .cmp(&a.total.sum)
                    .then_with(|| a.country.cmp(&b.country))
                    .then_with(|| a.types.cmp(&b.types))
            });
        }
        rows.clear();
        rows.reserve(groups.len() + total.count);
        row_of.clear();
        row_of.resize(records.len(), HIDDEN);
        for (gi, g) in groups.iter().enumerate() {
            rows.push(Row::Header(gi));
            for &i in &g.members {
                row_of[i] = u32::try_from(rows.len()).unwrap_or(HIDDEN);
                rows.push(Row::Item(i));
            }
        }
        Self {
            groups,
            rows,
            total,
            row_of,
            basis,
        }
    }

    /// The inventory indices of the sender IDs shown, in display order (headers skipped).
    pub fn items(&self) -> impl Iterator<Item = usize> + '_ {
        self.rows.iter().filter_map(|row| match row {
            Row::Item(i) => Some(*i),
            Row::Header(_) => None,
        })
    }

    /// The inventory index of the sender ID on a row, if it is not a header.
    pub fn item_at(&self, row: usize) -> Option<usize> {
        match self.rows.get(row) {
            Some(Row::Item(i)) => Some(*i),
            _ => None,
        }
    }

    /// The row showing an inventory record, if the view shows it.
    pub fn row_of(&self, idx: usize) -> Option<usize> {
        self.row_of
            .get(idx)
            .filter(|&&r| r != HIDDEN)
            .map(|&r| r as usize)
    }

    /// Whether this view was built from the inventory's current epoch (its indices are valid).
    pub(crate) fn epoch(&self) -> u64 {
        self.basis.epoch
    }
}

/// Adds a price to a total, as [`Total::add`] does.
fn add_price(total: &mut Total, price: Option<rust_decimal::Decimal>) {
    total.count += 1;
    match price {
        Some(v) => total.sum += v,
        None => total.unparsed += 1,
    }
}

/// The order of rows within a group, for each sort mode.
pub(crate) fn row_order(a: &SenderIdRecord, b: &SenderIdRecord, sort: SortMode) -> Ordering {
    let by_id = || {
        a.sender_id
            .cmp(&b.sender_id)
            .then_with(|| a.arn.cmp(&b.arn))
    };
    match sort {
        SortMode::Country => a.region.cmp(&b.region).then_with(by_id),
        SortMode::SenderId => by_id().then_with(|| a.region.cmp(&b.region)),
        SortMode::Price => price_desc(a, b).then_with(by_id),
        SortMode::Region => a
            .region
            .cmp(&b.region)
            .then_with(|| price_desc(a, b))
            .then_with(by_id),
    }
}

/// Highest price first; unreadable prices last.
fn price_desc(a: &SenderIdRecord, b: &SenderIdRecord) -> Ordering {
    match (a.price.value, b.price.value) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}
