//! The inventory's index from [`Key`] to record index, compact enough for 100,000 sender IDs:
//! each record's key is kept once as a few bytes (region number, country, identifier) under a
//! hash of the key, rather than as a `Key` of three strings. The inventory owns it and writes it
//! as records arrive; the marks, which the inventory holds too, answer questions by key through
//! it, while keeping one flag per record.

use crate::domain::Key;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState};

/// A key's parts, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyRef<'a> {
    pub region: &'a str,
    pub country: &'a str,
    pub id: &'a str,
}

impl<'a> From<&'a Key> for KeyRef<'a> {
    fn from(k: &'a Key) -> Self {
        Self {
            region: &k.region,
            country: &k.country,
            id: &k.id,
        }
    }
}

/// Record indices by key.
#[derive(Debug, Default)]
pub struct KeyIndex {
    hasher: RandomState,
    /// Record index by key hash; a key whose hash another key already holds goes to
    /// `collisions`.
    by_hash: HashMap<u64, u32, BuildHasherDefault<Prehashed>>,
    collisions: HashMap<Key, u32>,
    /// Each record's key: its region's number in `regions`, and where its country and
    /// identifier are in `bytes` (country from the first offset to the second, identifier from
    /// there to the third).
    keys: Vec<(u16, u32, u32, u32)>,
    bytes: Vec<u8>,
    regions: Vec<String>,
}

impl KeyIndex {
    /// Drops every key (a fresh load).
    pub fn clear(&mut self) {
        self.by_hash.clear();
        self.collisions.clear();
        self.keys.clear();
        self.bytes.clear();
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// The key of record `idx`, owned.
    pub fn key(&self, idx: usize) -> Option<Key> {
        self.get(idx).map(|k| Key {
            region: k.region.to_owned(),
            country: k.country.to_owned(),
            id: k.id.to_owned(),
        })
    }

    /// The record index of a key, if held.
    pub fn find(&self, key: KeyRef<'_>) -> Option<usize> {
        let hash = self.hasher.hash_one((key.region, key.country, key.id));
        self.find_hashed(hash, key)
    }

    fn find_hashed(&self, hash: u64, key: KeyRef<'_>) -> Option<usize> {
        match self.by_hash.get(&hash) {
            Some(&i) if self.get(i as usize) == Some(key) => Some(i as usize),
            Some(_) => self
                .collisions
                .get(&Key {
                    region: key.region.to_owned(),
                    country: key.country.to_owned(),
                    id: key.id.to_owned(),
                })
                .map(|&i| i as usize),
            None => None,
        }
    }

    /// The key of record `idx`.
    pub fn get(&self, idx: usize) -> Option<KeyRef<'_>> {
        let &(region, start, split, end) = self.keys.get(idx)?;
        let text = |a: u32, b: u32| {
            self.bytes
                .get(a as usize..b as usize)
                .and_then(|b| std::str::from_utf8(b).ok())
        };
        Some(KeyRef {
            region: self.regions.get(usize::from(region))?,
            country: text(start, split)?,
            id: text(split, end)?,
        })
    }

    /// Adds the key of the next record, which must not be held yet; returns its index.
    pub fn push(&mut self, key: KeyRef<'_>) -> usize {
        let idx = self.keys.len();
        let hash = self.hasher.hash_one((key.region, key.country, key.id));
        let region = match self.regions.iter().position(|r| r == key.region) {
            Some(at) => at,
            None => {
                self.regions.push(key.region.to_owned());
                self.regions.len() - 1
            }
        };
        let start = u32::try_from(self.bytes.len()).unwrap_or(u32::MAX);
        let more = key.country.len() + key.id.len();
        if self.bytes.capacity() - self.bytes.len() < more {
            self.bytes.reserve_exact(more.max(self.bytes.len() / 4));
        }
        self.bytes.extend_from_slice(key.country.as_bytes());
        let split = u32::try_from(self.bytes.len()).unwrap_or(u32::MAX);
        self.bytes.extend_from_slice(key.id.as_bytes());
        let end = u32::try_from(self.bytes.len()).unwrap_or(u32::MAX);
        if self.keys.len() == self.keys.capacity() {
            self.keys.reserve_exact((self.keys.len() / 4).max(64));
        }
        self.keys
            .push((u16::try_from(region).unwrap_or(u16::MAX), start, split, end));
        let i = u32::try_from(idx).unwrap_or(u32::MAX);
        match self.by_hash.entry(hash) {
            Entry::Vacant(slot) => {
                slot.insert(i);
            }
            Entry::Occupied(_) => {
                self.collisions.insert(
                    Key {
                        region: key.region.to_owned(),
                        country: key.country.to_owned(),
                        id: key.id.to_owned(),
                    },
                    i,
                );
            }
        }
        idx
    }
}

/// The hasher of the index, whose keys are already hashes.
#[derive(Debug, Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(region: &str, country: &str, id: &str) -> Key {
        Key {
            region: region.into(),
            country: country.into(),
            id: id.into(),
        }
    }

    #[test]
    fn keys_are_found_by_value_and_read_back() {
        let mut index = KeyIndex::default();
        let a = key("us-east-1", "GB", "ACME");
        let b = key("eu-west-1", "GB", "ACME");
        let c = key(
            "us-east-1",
            "FR",
            "arn:aws:sms-voice:us-east-1:1:sender-id/ACME/FR",
        );
        assert_eq!(index.push((&a).into()), 0);
        assert_eq!(index.push((&b).into()), 1);
        assert_eq!(index.push((&c).into()), 2);
        assert_eq!(index.find((&a).into()), Some(0));
        assert_eq!(index.find((&b).into()), Some(1));
        assert_eq!(index.find((&c).into()), Some(2));
        assert_eq!(index.find((&key("us-east-1", "GB", "ACMX")).into()), None);
        assert_eq!(index.get(2), Some(KeyRef::from(&c)));
        // Any text, separators included, is kept apart by offsets, not by a separator.
        let d = key("us-east-1", "G\0", "B");
        let e = key("us-east-1", "G", "\0B");
        assert_eq!(index.push((&d).into()), 3);
        assert_eq!(index.push((&e).into()), 4);
        assert_eq!(index.find((&d).into()), Some(3));
        assert_eq!(index.find((&e).into()), Some(4));
        index.clear();
        assert_eq!(index.find((&a).into()), None);
        assert_eq!(index.len(), 0);
    }

    #[test]
    fn a_hash_collision_is_told_apart_by_the_key_itself() {
        let mut index = KeyIndex::default();
        let a = key("us-east-1", "GB", "ACME");
        let b = key("us-east-1", "GB", "GLOBEX");
        index.push((&a).into());
        // Pretend GLOBEX hashes like ACME: it lands in the collision table.
        let hash_a = index.hasher.hash_one(("us-east-1", "GB", "ACME"));
        index.collisions.insert(b.clone(), 1);
        let start = u32::try_from(index.bytes.len()).unwrap_or(0);
        index.bytes.extend_from_slice(b"GBGLOBEX");
        let end = u32::try_from(index.bytes.len()).unwrap_or(0);
        index.keys.push((0, start, start + 2, end));
        assert_eq!(index.find_hashed(hash_a, (&a).into()), Some(0));
        assert_eq!(index.find_hashed(hash_a, (&b).into()), Some(1));
        assert_eq!(
            index.find_hashed(hash_a, (&key("us-east-1", "GB", "HOOLI")).into()),
            None
        );
    }
}
