//! The `/` filter's search. A record's own text (sender ID and registration ID, lower-case) is
//! kept for every record one after the other in one buffer, each ended by [`END`], so that one
//! pass of a substring search finds every match among 100,000 records; country, region and
//! message types are shared by many records and searched once each per distinct value
//! ([`matching`]).

use super::columns::Columns;
use super::inventory::grow;
use crate::domain::SenderIdRecord;
use memchr::memmem;

/// Ends each record's text; typed text never holds it, so a match never spans two records.
const END: u8 = 0;

#[derive(Debug, Default)]
pub(super) struct SearchText {
    hay: Vec<u8>,
    /// Where each record's text starts in `hay`.
    starts: Vec<u32>,
    /// A replaced record's text changed length: `hay` is written again when settled.
    stale: bool,
}

impl SearchText {
    pub(super) fn clear(&mut self) {
        self.hay.clear();
        self.starts.clear();
        self.stale = false;
    }

    /// Makes room for `more` records.
    pub(super) fn reserve(&mut self, more: usize) {
        grow(&mut self.starts, more);
    }

    /// Appends the next record's text.
    pub(super) fn push(&mut self, r: &SenderIdRecord) {
        self.starts
            .push(u32::try_from(self.hay.len()).unwrap_or(u32::MAX));
        push_text(&mut self.hay, r);
    }

    /// Replaces record `i`'s text: in place when its length is the same, else at the next
    /// [`SearchText::settle`].
    pub(super) fn replace(&mut self, i: usize, r: &SenderIdRecord) {
        let mut text = Vec::new();
        push_text(&mut text, r);
        let start = self.starts[i] as usize;
        if self.of(i).len() + 1 == text.len() {
            self.hay[start..start + text.len()].copy_from_slice(&text);
        } else {
            self.stale = true;
        }
    }

    /// Writes the whole buffer again after a replacement changed a length.
    pub(super) fn settle(&mut self, records: &[SenderIdRecord]) {
        if self.stale {
            self.clear();
            for r in records {
                self.push(r);
            }
        }
    }

    pub(super) fn is_stale(&self) -> bool {
        self.stale
    }

    /// Record `i`'s own text.
    pub(super) fn of(&self, i: usize) -> &[u8] {
        let start = self.starts[i] as usize;
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.hay.len(), |&s| s as usize);
        &self.hay[start..end.saturating_sub(1).max(start)]
    }

    /// Marks the records whose own text holds the needle: one pass over all the text, a match
    /// mapped to its record by walking the records' starts alongside.
    pub(super) fn scan(&self, finder: &memmem::Finder<'_>, hit: &mut [bool]) {
        let mut record = 0;
        let mut from = 0;
        while let Some(at) = finder.find(&self.hay[from..]) {
            let at = from + at;
            while self
                .starts
                .get(record + 1)
                .is_some_and(|&s| s as usize <= at)
            {
                record += 1;
            }
            let Some(h) = hit.get_mut(record) else { break };
            *h = true;
            from = self
                .starts
                .get(record + 1)
                .map_or(self.hay.len(), |&s| s as usize);
        }
    }
}

/// Appends a record's own filter text: sender ID and registration ID, lower-case, apart, then
/// [`END`].
fn push_text(hay: &mut Vec<u8>, r: &SenderIdRecord) {
    let text = format!(
        "{}\u{1}{}",
        r.sender_id,
        r.registration_id.as_deref().unwrap_or("")
    )
    .to_lowercase();
    grow(hay, text.len() + 1);
    hay.extend_from_slice(text.as_bytes());
    hay.push(END);
}

/// Which of the `n` records the filter `needle` (lower-case, not empty) shows: those whose sender
/// ID, country, region, registration ID or message types contain it. `among`, when given and
/// small, limits the search to those records (the filter only grew since they were found).
pub(super) fn matching(
    text: &SearchText,
    columns: &Columns,
    n: usize,
    needle: &str,
    among: Option<&[usize]>,
) -> Vec<bool> {
    let finder = memmem::Finder::new(needle.as_bytes());
    let has = |t: &str| t.to_lowercase().contains(needle);
    let group_hit: Vec<bool> = columns
        .group_names()
        .map(|(country, label)| has(country) || has(label))
        .collect();
    let region_hit: Vec<bool> = columns.region_names().iter().map(|r| has(r)).collect();
    let shared_hit = |i: usize| {
        group_hit
            .get(columns.group_of(i) as usize)
            .copied()
            .unwrap_or(false)
            || region_hit
                .get(columns.region_of(i))
                .copied()
                .unwrap_or(false)
    };
    let mut hit = vec![false; n];
    match among {
        Some(some) if some.len() < n / 4 => {
            for &i in some {
                hit[i] = shared_hit(i) || finder.find(text.of(i)).is_some();
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
                        *h = finder.find(text.of(i)).is_some();
                    }
                }
            } else {
                text.scan(&finder, &mut hit);
            }
        }
    }
    hit
}
