//! The table as the operator sees it, derived from the inventory, the `/` filter and the sort:
//! groups by country then message-type set, each with a header row carrying its count and
//! monthly subtotal, then its members. Rows are indices into the inventory, never copies, and
//! the view is a function of its [`Basis`] — the inventory's generation, the filter as parsed
//! ([`Query`], with the [`Facts`] its terms need from outside the inventory) and the sort — and is
//! built again only when that basis differs from the one it was built from (memoised, so nothing
//! has to remember to invalidate it). A build walks the inventory's ready-made display order for
//! the sort (nothing is sorted but the groups), and a filter that only narrowed since the last
//! build ([`Query::narrows`]) searches only the rows it showed.

use super::inventory::Inventory;
use super::query::{Facts, Query};
pub use super::sort::SortMode;
use crate::domain::Total;

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

/// A group of the price view opened in the table (Enter there): only its sender IDs are shown.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    Country(String),
    /// A country and a message-type set: one group of the table.
    CountryTypes(String, String),
    Region(String),
    /// A message-type set (`TRANSACTIONAL+PROMOTIONAL`), as the table's group headers name it.
    Types(String),
}

impl Scope {
    /// True when record `i` of the inventory is in the scope.
    pub fn holds(&self, inv: &Inventory, i: usize) -> bool {
        let Some(r) = inv.records().get(i) else {
            return false;
        };
        match self {
            Self::Country(c) => r.country == *c,
            Self::CountryTypes(c, t) => r.country == *c && inv.label(i) == t,
            Self::Region(region) => r.region == *region,
            Self::Types(t) => inv.label(i) == t,
        }
    }

    /// How the table's title names it: `DE TRANSACTIONAL`, `region eu-west-1`.
    pub fn label(&self) -> String {
        match self {
            Self::Country(c) => format!("country {c}"),
            Self::CountryTypes(c, t) => format!("{c} {t}"),
            Self::Region(r) => format!("region {r}"),
            Self::Types(t) => format!("type {t}"),
        }
    }
}

/// What a view is built from: the inventory's generation, the filter as parsed with the facts
/// its terms need, the sort, and the price view's group when one is opened in the table.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Basis {
    generation: u64,
    query: Query,
    facts: Facts,
    sort: SortMode,
    scope: Option<Scope>,
}

impl Basis {
    pub fn new(inv: &Inventory, query: Query, facts: Facts, sort: SortMode) -> Self {
        Self {
            generation: inv.generation(),
            query,
            facts,
            sort,
            scope: None,
        }
    }

    /// The filter it shows.
    pub fn query(&self) -> &Query {
        &self.query
    }

    /// The same, showing only `scope` when there is one.
    pub fn scoped(self, scope: Option<Scope>) -> Self {
        Self { scope, ..self }
    }
}

#[derive(Debug, Default)]
pub struct View {
    pub groups: Vec<Group>,
    pub rows: Vec<Row>,
    /// Total of the visible sender IDs.
    pub total: Total,
    /// Rows of sender IDs released in this session: listed, counted in no total.
    pub released: usize,
    /// The row of each inventory record ([`HIDDEN`] when the filter hides it).
    row_of: Vec<u32>,
    /// What it was built from; `None` for a view never built.
    basis: Option<Basis>,
}

impl View {
    /// Number of sender IDs shown (headers not counted).
    pub fn shown(&self) -> usize {
        self.total.count
    }

    /// What the view was built from (`None` for a view never built).
    pub fn basis(&self) -> Option<&Basis> {
        self.basis.as_ref()
    }

    /// True when the view was built from exactly this basis.
    pub fn is_for(&self, basis: &Basis) -> bool {
        self.basis.as_ref() == Some(basis)
    }

    /// Builds the view for `basis`, in place of `previous` (dropped before the new one is built,
    /// so that two views of 100,000 rows are never held at once). Each word of the filter is
    /// matched, case-insensitively, as a substring of the sender ID, country, region,
    /// registration ID or message types, and each field term must hold ([`Query`]). When the
    /// filter only narrowed since `previous` (same generation, facts, sort and scope, and
    /// [`Query::narrows`]), only the rows `previous` showed are searched. The inventory must be
    /// settled ([`Inventory::settle`]).
    pub fn rebuild(inv: &Inventory, basis: Basis, previous: Option<View>) -> Self {
        debug_assert!(inv.settled(), "the inventory is settled before a build");
        let sort = basis.sort;
        // The rows the filter may show, in display order: the ones shown before when the filter
        // only grew, else the sort's whole order.
        let candidates: Option<Vec<usize>> = previous
            .as_ref()
            .filter(|p| {
                p.basis.as_ref().is_some_and(|b| {
                    b.generation == basis.generation
                        && b.sort == sort
                        && b.scope == basis.scope
                        && b.facts == basis.facts
                        && basis.query.narrows(&b.query)
                })
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
        // Without a filter every group is whole (a scope keeps or drops whole groups of the
        // table only when it is one of them or a country; a region cuts them).
        let whole = basis.query.is_empty() && !matches!(basis.scope, Some(Scope::Region(_)));
        let mut groups: Vec<Group> = Vec::new();
        let mut group_ids: Vec<u32> = Vec::new();
        let mut add = |i: usize| {
            let group = inv.columns.group_of(i);
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
        let hits = (!whole).then(|| {
            super::query::matching(inv, &basis.query, &basis.facts, candidates.as_deref())
        });
        let scope = basis.scope.as_ref();
        let shown = |i: &usize| {
            hits.as_ref().is_none_or(|h| h[*i]) && scope.is_none_or(|s| s.holds(inv, *i))
        };
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
        let mut released = 0;
        for (g, &id) in groups.iter_mut().zip(&group_ids) {
            if inv.live_len() < inv.len() {
                released += g.members.iter().filter(|&&i| inv.is_gone(i)).count();
            }
            // A group the filter leaves whole has the inventory's total; only a part of one is
            // added up. Sender IDs released in this session are listed but count for nothing.
            let all = inv.group_total(id);
            if whole || g.members.iter().filter(|&&i| !inv.is_gone(i)).count() == all.count {
                g.total = all;
            } else {
                for &i in g.members.iter().filter(|&&i| !inv.is_gone(i)) {
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
        rows.reserve(groups.len() + groups.iter().map(|g| g.members.len()).sum::<usize>());
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
            released,
            row_of,
            basis: Some(basis),
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
}

/// Adds a price to a total, as [`Total::add`] does.
fn add_price(total: &mut Total, price: Option<rust_decimal::Decimal>) {
    total.count += 1;
    match price {
        Some(v) => total.sum += v,
        None => total.unparsed += 1,
    }
}
