//! The one module that knows the SDK. It builds `aws-sdk-pinpointsmsvoicev2` clients from
//! `aws-config`'s standard chain (profile, region, endpoint URL, environment), sends the three
//! calls sidman makes (DescribeSenderIds, its by-ID form for re-reading, ReleaseSenderId), and turns
//! SDK types into the domain's own ([`SenderIdRecord`], [`ReleaseResponse`], [`ApiError`]), passing
//! every string through [`sanitize::clean`]. It is also the single gate of read-only mode: a
//! mutating call made through an [`Api`] opened read-only is refused here, before anything is
//! sent, whatever path asked for it.

use crate::domain::{Key, MessageType, MessagingLimits, Ownership, Price, SenderIdRecord};
use crate::sanitize::clean;
use aws_config::{Region, SdkConfig, retry::RetryConfig, timeout::TimeoutConfig};
use aws_sdk_pinpointsmsvoicev2 as sms;
use sms::error::{DisplayErrorContext, SdkError};
use sms::operation::RequestId;
use sms::types::{
    Owner, SenderIdAndCountry, SenderIdFilter, SenderIdFilterName, SenderIdInformation,
};
use std::collections::HashMap;
use std::time::Duration;

mod errors;
mod session;

pub use errors::{ApiError, ErrorKind};
pub use session::{ConnectOptions, StartupError, connect};

/// The largest page the service allows.
pub const PAGE_SIZE: i32 = 100;
/// The most pages read from one listing before sidman calls the server broken (2,000,000 IDs).
pub const MAX_PAGES: usize = 20_000;
/// The most sender IDs one DescribeSenderIds call can name.
pub const DESCRIBE_BATCH: usize = 5;

/// Server-side filters of a listing, sent as DescribeSenderIds `Filters`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilters {
    pub countries: Vec<String>,
    pub message_types: Vec<String>,
    pub registered: Option<bool>,
    pub protected: Option<bool>,
}

/// One page of a listing.
#[derive(Debug, Clone)]
pub struct Page {
    pub records: Vec<SenderIdRecord>,
    pub next_token: Option<String>,
}

/// What a re-read found for one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reread {
    Present(Box<SenderIdRecord>),
    Gone,
}

/// Every field of a ReleaseSenderId response, in the API's member names and order, plus the
/// request ID, ready for the detail pane and the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseResponse {
    pub fields: Vec<(&'static str, String)>,
    pub request_id: Option<String>,
}

/// SDK clients, one per region, opened once at start-up and cheap to clone.
#[derive(Clone, Debug)]
pub struct Api {
    read: HashMap<String, sms::Client>,
    write: HashMap<String, sms::Client>,
    read_only: bool,
    regions: Vec<String>,
}

impl Api {
    /// Builds per-region clients from a loaded SDK configuration. Reads retry on throttling and
    /// transient errors as the SDK's standard mode does; the write client never retries by
    /// itself, because re-sending a release whose outcome is unknown must be decided by sidman
    /// after a re-read, not by a transport layer.
    pub fn from_sdk_config(sdk: &SdkConfig, regions: &[String], read_only: bool) -> Self {
        let timeouts = TimeoutConfig::builder()
            .connect_timeout(Duration::from_secs(5))
            .operation_attempt_timeout(Duration::from_secs(30))
            .build();
        let mut read = HashMap::new();
        let mut write = HashMap::new();
        for region in regions {
            let base = sms::config::Builder::from(sdk)
                .region(Region::new(region.clone()))
                .timeout_config(timeouts.clone());
            let reader = base.clone().retry_config(
                RetryConfig::standard()
                    .with_max_attempts(4)
                    .with_initial_backoff(Duration::from_millis(200)),
            );
            let writer = base.retry_config(RetryConfig::disabled());
            read.insert(region.clone(), sms::Client::from_conf(reader.build()));
            write.insert(region.clone(), sms::Client::from_conf(writer.build()));
        }
        Self {
            read,
            write,
            read_only,
            regions: regions.to_vec(),
        }
    }

    pub fn regions(&self) -> &[String] {
        &self.regions
    }

    pub fn read_only(&self) -> bool {
        self.read_only
    }

    #[allow(
        clippy::result_large_err,
        reason = "ApiError carries every modeled member for the detail pane; it is built once per failed call"
    )]
    fn reader(&self, region: &str) -> Result<&sms::Client, ApiError> {
        self.read
            .get(region)
            .ok_or_else(|| ApiError::local(format!("region {region} is not loaded")))
    }

    /// One page of DescribeSenderIds for one owner.
    pub async fn list_page(
        &self,
        region: &str,
        ownership: Ownership,
        filters: &ListFilters,
        next_token: Option<String>,
    ) -> Result<Page, ApiError> {
        let owner = match ownership {
            Ownership::Own => Owner::SelfValue,
            Ownership::Shared => Owner::Shared,
        };
        let out = self
            .reader(region)?
            .describe_sender_ids()
            .owner(owner)
            .set_filters(sdk_filters(filters))
            .set_next_token(next_token)
            .max_results(PAGE_SIZE)
            .send()
            .await
            .map_err(|e| errors::from_describe(&e))?;
        let records = out
            .sender_ids()
            .iter()
            .map(|info| record_from(region, info, ownership))
            .collect();
        let next_token = out
            .next_token()
            .filter(|t| !t.is_empty())
            .map(ToOwned::to_owned);
        Ok(Page {
            records,
            next_token,
        })
    }

    /// Lists every page of one owner's sender IDs in a region, handing each page to `on_page` as
    /// it arrives. A token that comes back twice, or a listing longer than [`MAX_PAGES`], is an
    /// error, never a hang.
    pub async fn list_all(
        &self,
        region: &str,
        ownership: Ownership,
        filters: &ListFilters,
        mut on_page: impl FnMut(Vec<SenderIdRecord>),
    ) -> Result<(), ApiError> {
        let mut token: Option<String> = None;
        let mut seen = std::collections::HashSet::new();
        for _ in 0..MAX_PAGES {
            let page = self
                .list_page(region, ownership, filters, token.take())
                .await?;
            on_page(page.records);
            match page.next_token {
                None => return Ok(()),
                Some(t) if !seen.insert(t.clone()) => {
                    return Err(ApiError::local(
                        "the service repeated a page token; listing stopped to avoid a loop",
                    ));
                }
                Some(t) => token = Some(t),
            }
        }
        Err(ApiError::local(format!(
            "more than {MAX_PAGES} pages; listing stopped"
        )))
    }

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
                    Err(e) if e.code == "ResourceNotFoundException" => {
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
        let out = self
            .reader(region)?
            .describe_sender_ids()
            .set_sender_ids(Some(ids))
            .send()
            .await
            .map_err(|e| errors::from_describe(&e))?;
        Ok(out
            .sender_ids()
            .iter()
            .map(|info| {
                let shared = keys
                    .iter()
                    .any(|k| k.id.starts_with("arn:") && k.id == info.sender_id_arn());
                let ownership = if shared {
                    Ownership::Shared
                } else {
                    Ownership::Own
                };
                record_from(region, info, ownership)
            })
            .collect())
    }

    /// Sends one ReleaseSenderId. Refused without sending when this `Api` is read-only.
    pub async fn release(&self, key: &Key) -> Result<ReleaseResponse, ApiError> {
        if self.read_only {
            return Err(ApiError::read_only());
        }
        let client = self
            .write
            .get(&key.region)
            .ok_or_else(|| ApiError::local(format!("region {} is not loaded", key.region)))?;
        let out = client
            .release_sender_id()
            .sender_id(&key.id)
            .iso_country_code(&key.country)
            .send()
            .await
            .map_err(|e| errors::from_release(&e))?;
        let types: Vec<&str> = out.message_types().iter().map(|t| t.as_str()).collect();
        let mut fields = vec![
            ("SenderIdArn", clean(out.sender_id_arn())),
            ("SenderId", clean(out.sender_id())),
            ("IsoCountryCode", clean(out.iso_country_code())),
            ("MessageTypes", clean(&types.join(", "))),
            ("MonthlyLeasingPrice", clean(out.monthly_leasing_price())),
            ("Registered", out.registered().to_string()),
        ];
        if let Some(reg) = out.registration_id() {
            fields.push(("RegistrationId", clean(reg)));
        }
        Ok(ReleaseResponse {
            fields,
            request_id: out.request_id().map(clean),
        })
    }
}

fn sdk_filters(filters: &ListFilters) -> Option<Vec<SenderIdFilter>> {
    let mut out = Vec::new();
    let mut push = |name: SenderIdFilterName, values: Vec<String>| {
        if let Ok(f) = SenderIdFilter::builder()
            .name(name)
            .set_values(Some(values))
            .build()
        {
            out.push(f);
        }
    };
    if !filters.countries.is_empty() {
        push(
            SenderIdFilterName::IsoCountryCode,
            filters.countries.clone(),
        );
    }
    if !filters.message_types.is_empty() {
        push(
            SenderIdFilterName::MessageType,
            filters.message_types.clone(),
        );
    }
    if let Some(r) = filters.registered {
        push(SenderIdFilterName::Registered, vec![r.to_string()]);
    }
    if let Some(p) = filters.protected {
        push(
            SenderIdFilterName::DeletionProtectionEnabled,
            vec![p.to_string()],
        );
    }
    (!out.is_empty()).then_some(out)
}

fn record_from(region: &str, info: &SenderIdInformation, ownership: Ownership) -> SenderIdRecord {
    SenderIdRecord {
        region: region.to_owned(),
        arn: clean(info.sender_id_arn()),
        sender_id: clean(info.sender_id()),
        country: clean(info.iso_country_code()),
        message_types: info
            .message_types()
            .iter()
            .map(|t| MessageType::parse(&clean(t.as_str())))
            .collect(),
        price: Price::parse(&clean(info.monthly_leasing_price())),
        deletion_protection: info.deletion_protection_enabled(),
        registered: info.registered(),
        registration_id: info.registration_id().map(clean),
        ownership,
        messaging_limits: info.messaging_limits().map(|m| MessagingLimits {
            rate_limits: clean_map(m.rate_limits()),
            daily_message_caps: clean_map(m.daily_message_caps()),
        }),
        pricing_tier: info.pricing_tier().map(clean),
    }
}

fn clean_map(map: Option<&HashMap<String, i64>>) -> std::collections::BTreeMap<String, i64> {
    map.map(|m| m.iter().map(|(k, v)| (clean(k), *v)).collect())
        .unwrap_or_default()
}

/// One line describing an SDK error, for logs.
pub fn describe_sdk_error<E: std::error::Error + 'static, R: std::fmt::Debug>(
    e: &SdkError<E, R>,
) -> String {
    clean(&DisplayErrorContext(e).to_string())
}
