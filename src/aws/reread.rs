//! Re-reading sender IDs by key before a change and to settle an unknown outcome: each key comes
//! back present (as the service has it now) or gone, in as few DescribeSenderIds calls as the API
//! allows. This account's own sender IDs are read with `Filters` (`sender-id` with up to 20 IDs AND
//! `iso-country-code` with their countries, Owner SELF, pages of 100), so 500 of them take some 25
//! calls instead of 100; the answer is matched to the keys by (sender ID, country) exactly, and a
//! key not in the complete answer is gone. Shared sender IDs can only be named by ARN, so they are
//! read with `SenderIds`, 5 a call, where a ResourceNotFound names the one that is gone.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::list::records_from;
use super::{Api, DESCRIBE_BATCH, FILTER_VALUES, PAGE_SIZE, errors, guard};
use crate::domain::{ApiError, Key, Ownership, Reread, SenderIdRecord};
use crate::pacing::Op;
use crate::sanitize::clean;
use aws_sdk_pinpointsmsvoicev2::types::{
    Owner, SenderIdAndCountry, SenderIdFilter, SenderIdFilterName,
};

/// Own sender IDs read by one filtered listing: at most [`FILTER_VALUES`] IDs and as many
/// countries.
#[derive(Debug, Default, PartialEq, Eq)]
struct Chunk {
    ids: BTreeSet<String>,
    countries: BTreeSet<String>,
    keys: Vec<Key>,
}

impl Api {
    /// Re-reads sender IDs by key: each comes back [`Reread::Present`] (as the service has it
    /// now) or [`Reread::Gone`], in the order asked. Own sender IDs are read by filters (see the
    /// module documentation), shared ones by ARN. An answer that does not identify a sender ID is
    /// an error, never "gone"; so is any failed page.
    pub async fn reread(&self, region: &str, keys: &[Key]) -> Result<Vec<(Key, Reread)>, ApiError> {
        let (shared, own): (Vec<&Key>, Vec<&Key>) =
            keys.iter().partition(|k| k.id.starts_with("arn:"));
        let mut found: HashMap<Key, Reread> = HashMap::with_capacity(keys.len());
        for chunk in chunks(&own) {
            let records = self.describe_filtered(region, &chunk).await?;
            for key in chunk.keys {
                let hit = records
                    .iter()
                    .find(|r| r.sender_id == key.id && r.country == key.country);
                let reread = match hit {
                    Some(r) => Reread::Present(Box::new(r.clone())),
                    None => Reread::Gone,
                };
                found.insert(key, reread);
            }
        }
        let shared: Vec<Key> = shared.into_iter().cloned().collect();
        found.extend(self.reread_by_arn(region, &shared).await?);
        let mut results = Vec::with_capacity(keys.len());
        for key in keys {
            let Some(reread) = found.get(key) else {
                return Err(ApiError::local(format!("{key} was not re-read")));
            };
            results.push((key.clone(), reread.clone()));
        }
        Ok(results)
    }

    /// Every page of this account's sender IDs with one of the chunk's IDs in one of its
    /// countries.
    async fn describe_filtered(
        &self,
        region: &str,
        chunk: &Chunk,
    ) -> Result<Vec<SenderIdRecord>, ApiError> {
        let mut filters = Vec::with_capacity(2);
        for (name, values) in [
            (SenderIdFilterName::SenderId, &chunk.ids),
            (SenderIdFilterName::IsoCountryCode, &chunk.countries),
        ] {
            let filter = SenderIdFilter::builder()
                .name(name)
                .set_values(Some(values.iter().cloned().collect()))
                .build()
                .map_err(|e| ApiError::local(e.to_string()))?;
            filters.push(filter);
        }
        let client = self.reader(region)?;
        let mut listing = guard::ListingGuard::default();
        let mut token: Option<String> = None;
        let mut records = Vec::new();
        loop {
            let out = self
                .paced(region, Op::Read, || {
                    let request = client
                        .describe_sender_ids()
                        .owner(Owner::SelfValue)
                        .set_filters(Some(filters.clone()))
                        .set_next_token(token.clone())
                        .max_results(PAGE_SIZE);
                    async move { request.send().await.map_err(|e| errors::from_describe(&e)) }
                })
                .await?;
            let (page, incomplete) = records_from(region, out.sender_ids(), |_| Ownership::Own);
            if incomplete > 0 {
                // An answer that did not identify a sender ID must not read as "it is gone".
                return Err(guard::incomplete(incomplete));
            }
            let count = page.len();
            records.extend(page);
            // Sent back verbatim (as a listing does): a token is opaque and never shown.
            let next = out
                .next_token()
                .filter(|t| !t.is_empty())
                .map(ToOwned::to_owned);
            match listing.next(count, 0, next)? {
                Some(next) => token = Some(next),
                None => return Ok(records),
            }
        }
    }

    /// Re-reads sender IDs by `SenderIds` (at most 5 a call): the service answers a whole call
    /// with ResourceNotFound naming one ID, so that one is set aside as gone and the call is made
    /// again for the rest.
    async fn reread_by_arn(
        &self,
        region: &str,
        keys: &[Key],
    ) -> Result<Vec<(Key, Reread)>, ApiError> {
        let mut results = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(DESCRIBE_BATCH) {
            let mut pending: Vec<Key> = chunk.to_vec();
            while !pending.is_empty() {
                match self.describe_keys(region, &pending).await {
                    Ok(found) => {
                        for key in pending.drain(..) {
                            let hit = found.iter().find(|r| r.key() == key).cloned();
                            results.push(match hit {
                                Some(r) => (key, Reread::Present(Box::new(r))),
                                None => (key, Reread::Gone),
                            });
                        }
                    }
                    Err(e) if e.is_not_found() => {
                        // The ResourceId names a sender ID, not its country: it settles the
                        // question only when exactly one pending key carries that sender ID.
                        let gone = e.resource_id.as_deref().and_then(|id| {
                            let mut named = pending.iter().enumerate().filter(|(_, k)| {
                                k.id == id || k.id.ends_with(&format!("/{id}/{}", k.country))
                            });
                            match (named.next(), named.next()) {
                                (Some((i, _)), None) => Some(i),
                                _ => None,
                            }
                        });
                        // Without a usable ResourceId, fall back to one ID per call.
                        let idx = match (gone, pending.len()) {
                            (Some(i), _) => i,
                            (None, 1) => 0,
                            (None, _) => {
                                for key in std::mem::take(&mut pending) {
                                    let one = Box::pin(self.reread_by_arn(region, &[key])).await?;
                                    results.extend(one);
                                }
                                break;
                            }
                        };
                        results.push((pending.remove(idx), Reread::Gone));
                    }
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(results)
    }

    async fn describe_keys(
        &self,
        region: &str,
        keys: &[Key],
    ) -> Result<Vec<SenderIdRecord>, ApiError> {
        let mut ids = Vec::with_capacity(keys.len());
        for k in keys {
            let item = SenderIdAndCountry::builder()
                .sender_id(&k.id)
                .iso_country_code(&k.country)
                .build()
                .map_err(|e| ApiError::local(e.to_string()))?;
            ids.push(item);
        }
        let client = self.reader(region)?;
        let out = self
            .paced(region, Op::Read, || {
                let request = client
                    .describe_sender_ids()
                    .set_sender_ids(Some(ids.clone()));
                async move { request.send().await.map_err(|e| errors::from_describe(&e)) }
            })
            .await?;
        // An answer that did not identify a sender ID must not read as "it is gone".
        let (records, incomplete) = records_from(region, out.sender_ids(), |info| {
            let arn = clean(info.sender_id_arn());
            if keys.iter().any(|k| k.id.starts_with("arn:") && k.id == arn) {
                Ownership::Shared
            } else {
                Ownership::Own
            }
        });
        match incomplete {
            0 => Ok(records),
            n => Err(guard::incomplete(n)),
        }
    }
}

/// Own keys in chunks of at most [`FILTER_VALUES`] sender IDs and [`FILTER_VALUES`] countries,
/// as few as first-fit finds: the sender IDs with the most countries are placed first, each in
/// the first chunk it fits (one with more countries than a filter holds is split).
fn chunks(keys: &[&Key]) -> Vec<Chunk> {
    let mut by_id: BTreeMap<&str, BTreeMap<&str, Vec<&Key>>> = BTreeMap::new();
    for key in keys {
        by_id
            .entry(key.id.as_str())
            .or_default()
            .entry(key.country.as_str())
            .or_default()
            .push(key);
    }
    // One item: a sender ID with at most FILTER_VALUES of its countries (and their keys).
    type Item<'a> = (&'a str, Vec<(&'a str, Vec<&'a Key>)>);
    let mut items: Vec<Item<'_>> = Vec::new();
    for (id, countries) in by_id {
        let countries: Vec<(&str, Vec<&Key>)> = countries.into_iter().collect();
        for part in countries.chunks(FILTER_VALUES) {
            items.push((id, part.to_vec()));
        }
    }
    items.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    let mut chunks: Vec<Chunk> = Vec::new();
    for (id, countries) in items {
        let fits = |chunk: &Chunk| {
            let new_id = usize::from(!chunk.ids.contains(id));
            let new_countries = countries
                .iter()
                .filter(|(c, _)| !chunk.countries.contains(*c))
                .count();
            chunk.ids.len() + new_id <= FILTER_VALUES
                && chunk.countries.len() + new_countries <= FILTER_VALUES
        };
        let index = match chunks.iter().position(fits) {
            Some(index) => index,
            None => {
                chunks.push(Chunk::default());
                chunks.len() - 1
            }
        };
        let chunk = &mut chunks[index];
        chunk.ids.insert(id.to_owned());
        for (country, keys) in countries {
            chunk.countries.insert(country.to_owned());
            chunk.keys.extend(keys.into_iter().cloned());
        }
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: &str, country: &str) -> Key {
        Key {
            region: "us-east-1".into(),
            country: country.into(),
            id: id.into(),
        }
    }

    fn countries(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| {
                let letter = |x: usize| char::from(b'A' + u8::try_from(x % 26).unwrap_or(0));
                format!("{}{}", letter(i / 26), letter(i))
            })
            .collect()
    }

    #[test]
    fn chunks_respect_both_filter_limits_and_cover_every_key_once() {
        let mut keys = Vec::new();
        for (n, country) in countries(45).iter().enumerate() {
            keys.push(key(&format!("ID{n}"), country));
        }
        for country in countries(30) {
            keys.push(key("EVERYWHERE", &country));
        }
        keys.push(key("ID0", "AA"));
        let refs: Vec<&Key> = keys.iter().collect();
        let chunks = chunks(&refs);
        let mut covered: Vec<&Key> = chunks.iter().flat_map(|c| &c.keys).collect();
        covered.sort();
        let mut all: Vec<&Key> = keys.iter().collect();
        all.sort();
        assert_eq!(covered, all, "the duplicate key stays, each once per ask");
        for chunk in &chunks {
            assert!(chunk.ids.len() <= FILTER_VALUES && chunk.countries.len() <= FILTER_VALUES);
            assert!(
                chunk
                    .keys
                    .iter()
                    .all(|k| { chunk.ids.contains(&k.id) && chunk.countries.contains(&k.country) })
            );
        }
        // 45 IDs in 45 countries need 3 chunks by countries, EVERYWHERE's 30 countries 2 more.
        assert!(chunks.len() <= 5, "{}", chunks.len());
    }

    #[test]
    fn one_country_many_ids_takes_a_chunk_per_twenty() {
        let keys: Vec<Key> = (0..25).map(|n| key(&format!("ID{n}"), "GB")).collect();
        let refs: Vec<&Key> = keys.iter().collect();
        let sizes: Vec<usize> = chunks(&refs).iter().map(|c| c.keys.len()).collect();
        assert_eq!(sizes, [20, 5]);
        assert!(chunks(&[]).is_empty());
    }
}
