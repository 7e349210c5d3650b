//! Re-reading sender IDs by key (DescribeSenderIds with `SenderIds`, 5 a call) before a change
//! and to settle an unknown outcome: each key comes back present (as the service has it now) or
//! gone.

use super::list::records_from;
use super::{Api, DESCRIBE_BATCH, errors, guard};
use crate::domain::{ApiError, Key, Ownership, Reread, SenderIdRecord};
use crate::pacing::Op;
use crate::sanitize::clean;
use aws_sdk_pinpointsmsvoicev2::types::SenderIdAndCountry;

impl Api {
    /// Re-reads sender IDs by key (DescribeSenderIds with `SenderIds`, at most 5 a call). A
    /// sender ID that no longer exists comes back as [`Reread::Gone`]: the service answers a
    /// whole call with ResourceNotFound naming one ID, so that one is set aside and the call is
    /// made again for the rest.
    pub async fn reread(&self, region: &str, keys: &[Key]) -> Result<Vec<(Key, Reread)>, ApiError> {
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
                                    results.extend(Box::pin(self.reread(region, &[key])).await?);
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
