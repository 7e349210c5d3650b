//! What the table needs of each record besides the record itself, worked out once when it
//! arrives and kept in dense arrays by record index, so that walking 100,000 records does not
//! chase a pointer or build a string per record: its message-type label, its group (country and
//! message-type set, with the group's count and monthly total), its region, its price and
//! whether it is shared. Labels, groups, regions and prices are interned: a few hundred distinct
//! values serve every record.

use super::inventory::grow;
use crate::domain::{Ownership, SenderIdRecord, Total};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// A group: sender IDs of one country sharing one message-type set, with their monthly total.
#[derive(Debug)]
struct GroupInfo {
    country: String,
    label: u32,
    total: Total,
}

#[derive(Debug, Default)]
pub(super) struct Columns {
    /// Each record's message-type label, as an index into `labels`.
    label_of: Vec<u32>,
    labels: Vec<String>,
    label_ids: HashMap<String, u32>,
    /// Each record's group, as an index into `groups`.
    group_of: Vec<u32>,
    groups: Vec<GroupInfo>,
    /// Group ids by country, then by label.
    group_ids: HashMap<String, Vec<(u32, u32)>>,
    /// Each record's region, as an index into `region_names`.
    region_of: Vec<u16>,
    region_names: Vec<String>,
    /// Each record's monthly price (`None` when unreadable), as an index into `prices`.
    price_of: Vec<u32>,
    /// Whether each record is shared from another account (else this account's own).
    shared_of: Vec<bool>,
    prices: Vec<Option<Decimal>>,
    price_ids: HashMap<Option<[u8; 16]>, u32>,
}

impl Columns {
    /// Drops every record's columns (the interned values stay: they are few).
    pub(super) fn clear(&mut self) {
        self.label_of.clear();
        self.group_of.clear();
        self.region_of.clear();
        self.price_of.clear();
        self.shared_of.clear();
        self.groups
            .iter_mut()
            .for_each(|g| g.total = Total::default());
    }

    pub(super) fn reserve(&mut self, more: usize) {
        grow(&mut self.label_of, more);
        grow(&mut self.group_of, more);
        grow(&mut self.region_of, more);
        grow(&mut self.price_of, more);
        grow(&mut self.shared_of, more);
    }

    /// The columns of the next record.
    pub(super) fn push(&mut self, r: &SenderIdRecord) {
        let label = self.intern_label(r);
        self.label_of.push(label);
        let group = self.intern_group(&r.country, label);
        self.group_of.push(group);
        self.groups[group as usize].total.add(&r.price);
        let region = self.intern_region(&r.region);
        self.region_of.push(region);
        let price = self.intern_price(r.price.value);
        self.price_of.push(price);
        self.shared_of.push(r.ownership == Ownership::Shared);
    }

    /// Record `i` became `r`: its columns are worked out again (group totals are summed again
    /// by [`Columns::total_groups`]).
    pub(super) fn replace(&mut self, i: usize, r: &SenderIdRecord) {
        let label = self.intern_label(r);
        self.label_of[i] = label;
        self.group_of[i] = self.intern_group(&r.country, label);
        self.region_of[i] = self.intern_region(&r.region);
        self.price_of[i] = self.intern_price(r.price.value);
        self.shared_of[i] = r.ownership == Ownership::Shared;
    }

    /// Sums every group's total again from the records (those `gone` left out).
    pub(super) fn total_groups(&mut self, records: &[SenderIdRecord], gone: &[bool]) {
        self.groups
            .iter_mut()
            .for_each(|g| g.total = Total::default());
        for (i, r) in records.iter().enumerate() {
            if !gone.get(i).copied().unwrap_or(false) {
                self.groups[self.group_of[i] as usize].total.add(&r.price);
            }
        }
    }

    /// Record `i` (priced `r`) left the figures: its group's total no longer counts it.
    pub(super) fn leave(&mut self, i: usize, r: &SenderIdRecord) {
        if let Some(g) = self
            .group_of
            .get(i)
            .and_then(|&g| self.groups.get_mut(g as usize))
        {
            g.total.remove(&r.price);
        }
    }

    /// A record's message-type label, e.g. `TRANSACTIONAL+PROMOTIONAL`.
    pub(super) fn label(&self, i: usize) -> &str {
        self.label_of
            .get(i)
            .and_then(|&l| self.labels.get(l as usize))
            .map_or("", String::as_str)
    }

    pub(super) fn group_of(&self, i: usize) -> u32 {
        self.group_of.get(i).copied().unwrap_or(u32::MAX)
    }

    pub(super) fn group_total(&self, g: u32) -> Total {
        self.groups
            .get(g as usize)
            .map_or_else(Total::default, |g| g.total)
    }

    /// The country and label of each group, by group id.
    pub(super) fn group_names(&self) -> impl Iterator<Item = (&str, &str)> {
        self.groups
            .iter()
            .map(|g| (g.country.as_str(), self.labels[g.label as usize].as_str()))
    }

    pub(super) fn region_of(&self, i: usize) -> usize {
        self.region_of
            .get(i)
            .map_or(usize::MAX, |&r| usize::from(r))
    }

    pub(super) fn region_names(&self) -> &[String] {
        &self.region_names
    }

    pub(super) fn price_id(&self, i: usize) -> usize {
        self.price_of.get(i).map_or(usize::MAX, |&p| p as usize)
    }

    pub(super) fn is_shared(&self, i: usize) -> bool {
        self.shared_of.get(i).copied().unwrap_or(false)
    }

    pub(super) fn price_count(&self) -> usize {
        self.prices.len()
    }

    pub(super) fn price_value(&self, id: usize) -> Option<Decimal> {
        self.prices.get(id).copied().flatten()
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
        self.label_ids.insert(text.clone(), id);
        self.labels.push(text);
        id
    }
}
