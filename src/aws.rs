//! The one module that knows the SDK. It builds `aws-sdk-pinpointsmsvoicev2` clients from
//! `aws-config`'s standard chain (profile, region, endpoint URL, environment), sends the three
//! calls sidman makes (DescribeSenderIds, its by-ID form for re-reading, ReleaseSenderId), and turns
//! SDK types into the domain's own ([`SenderIdRecord`], [`Response`], [`ApiError`]), passing
//! every string through [`sanitize::clean`]. It is also the single gate of read-only mode: a
//! mutating call made through an [`Api`] opened read-only is refused here, before anything is
//! sent, whatever path asked for it. Every call waits for its turn in the region's [`Pacer`]
//! lane and reports back whether it was throttled; reads are retried here when throttled (until
//! the pacing's give-up deadline) and on a 5xx or a lost connection (twice). What a broken or
//! hostile server sends is bounded: answers over 16 MiB are refused (`limits`), a listing stops on
//! a looping, oversized or endless page token (`guard`), and an unreadable answer is named for
//! what it means (`broken`).

use crate::domain::{
    Key, MessageType, MessagingLimits, Mutation, Ownership, Price, SenderIdRecord,
};
pub use crate::domain::{Reread, Response};
use crate::pacing::{self, Op, Pacer, PacingConfig, PacingStats, ThrottleBudget};
use crate::sanitize::clean;
use aws_config::{Region, SdkConfig, retry::RetryConfig, timeout::TimeoutConfig};
use aws_sdk_pinpointsmsvoicev2 as sms;
use sms::error::{DisplayErrorContext, SdkError};
use sms::operation::RequestId;
use sms::types::{
    Owner, SenderIdAndCountry, SenderIdFilter, SenderIdFilterName, SenderIdInformation,
};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

mod broken;
mod errors;
mod guard;
mod limits;
mod session;

pub use errors::{ApiError, CREDENTIALS_ERROR, ErrorKind};
pub use guard::{MAX_PAGES, MAX_RECORDS, MAX_TOKEN_BYTES};
pub use limits::{MAX_RESPONSE_BYTES, ResponseTooLarge};
pub use session::{ConnectOptions, StartupError, connect};

/// The largest page the service allows.
pub const PAGE_SIZE: i32 = 100;
/// The most sender IDs one DescribeSenderIds call can name.
pub const DESCRIBE_BATCH: usize = 5;
/// How many times a read is sent again after a 5xx or a lost connection (reads change nothing).
const READ_RETRIES: u32 = 2;

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
    /// Sender IDs of the page left out because the answer lacked what identifies them.
    pub incomplete: usize,
}

/// SDK clients, one per region, opened once at start-up and cheap to clone.
#[derive(Clone, Debug)]
pub struct Api {
    read: HashMap<String, sms::Client>,
    write: HashMap<String, sms::Client>,
    read_only: bool,
    regions: Vec<String>,
    pacer: Arc<Pacer>,
}

impl Api {
    /// Builds per-region clients from a loaded SDK configuration, paced by the default
    /// [`PacingConfig`] (see [`Api::with_pacing`]). The SDK's own retries are off for both
    /// clients: sidman retries reads itself, paced and bounded, and re-sending a release whose
    /// outcome is unknown must be decided after a re-read, not by a transport layer.
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
                .timeout_config(timeouts.clone())
                .interceptor(limits::ResponseSizeLimit::default());
            let reader = base.clone().retry_config(RetryConfig::disabled());
            let writer = base.retry_config(RetryConfig::disabled());
            read.insert(region.clone(), sms::Client::from_conf(reader.build()));
            write.insert(region.clone(), sms::Client::from_conf(writer.build()));
        }
        Self {
            read,
            write,
            read_only,
            regions: regions.to_vec(),
            pacer: Arc::new(Pacer::new(PacingConfig::default())),
        }
    }

    /// The same clients paced by `config` (fresh lanes).
    #[must_use]
    pub fn with_pacing(mut self, config: PacingConfig) -> Self {
        self.pacer = Arc::new(Pacer::new(config));
        self
    }

    pub fn pacing_config(&self) -> &PacingConfig {
        self.pacer.config()
    }

    /// The region's pacing now (rates, throttles seen).
    pub fn pacing(&self, region: &str) -> PacingStats {
        self.pacer.stats(region)
    }

    /// Counts a call given up after being throttled for too long (releases decide that outside).
    pub fn note_gave_up(&self, region: &str, op: Op) {
        self.pacer.gave_up(region, op);
    }

    /// Runs one call, paced: the one retry loop of sidman. It waits for the region's lane of
    /// `op` before each attempt and sends a throttled attempt again (it did not take effect)
    /// until the pacing's give-up deadline. A read is also sent again after a 5xx or a lost
    /// connection (twice; reads change nothing); a change never is, since its outcome is then
    /// unknown and only a re-read may tell (the caller's decision).
    async fn paced<T, Fut>(
        &self,
        region: &str,
        op: Op,
        mut attempt: impl FnMut() -> Fut,
    ) -> Result<T, ApiError>
    where
        Fut: std::future::Future<Output = Result<T, ApiError>>,
    {
        // Started at the first throttle: waiting for the pacer before it does not count.
        let mut budget: Option<ThrottleBudget> = None;
        let mut transient = 0;
        loop {
            let permit = self.pacer.acquire(region, op).await;
            match attempt().await {
                Ok(value) => {
                    self.pacer.succeeded(region, permit);
                    return Ok(value);
                }
                Err(e) if e.kind == ErrorKind::Throttled => {
                    self.pacer.throttled(region, permit);
                    let limit = self.pacer.config().give_up_after;
                    let budget = budget.get_or_insert_with(|| ThrottleBudget::start(limit));
                    match budget.next_wait() {
                        Some(wait) => tokio::time::sleep(wait).await,
                        None => {
                            self.pacer.gave_up(region, op);
                            return Err(ApiError::gave_up_throttled(
                                &e,
                                budget.attempts(),
                                budget.limit(),
                            ));
                        }
                    }
                }
                Err(e) if op == Op::Read && transient < READ_RETRIES && e.worth_reading_again() => {
                    transient += 1;
                    tokio::time::sleep(pacing::backoff(transient)).await;
                }
                Err(e) => return Err(e),
            }
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
        let client = self.reader(region)?;
        let out = self
            .paced(region, Op::Read, || {
                let request = client
                    .describe_sender_ids()
                    .owner(owner.clone())
                    .set_filters(sdk_filters(filters))
                    .set_next_token(next_token.clone())
                    .max_results(PAGE_SIZE);
                async move { request.send().await.map_err(|e| errors::from_describe(&e)) }
            })
            .await?;
        let (records, incomplete) = records_from(region, out.sender_ids(), |_| ownership);
        let next_token = out
            .next_token()
            .filter(|t| !t.is_empty())
            .map(ToOwned::to_owned);
        Ok(Page {
            records,
            next_token,
            incomplete,
        })
    }

    /// Lists every page of one owner's sender IDs in a region, handing each page to `on_page` as
    /// it arrives. A token that comes back, a listing longer than [`MAX_PAGES`] or [`MAX_RECORDS`]
    /// is an error, never a hang. Sender IDs the answer did not identify are left out, and the
    /// listing then ends with an error that counts them, after every page was handed over.
    pub async fn list_all(
        &self,
        region: &str,
        ownership: Ownership,
        filters: &ListFilters,
        mut on_page: impl FnMut(Vec<SenderIdRecord>),
    ) -> Result<(), ApiError> {
        let mut guard = guard::ListingGuard::default();
        let mut token: Option<String> = None;
        loop {
            let page = self
                .list_page(region, ownership, filters, token.take())
                .await?;
            let count = page.records.len();
            on_page(page.records);
            match guard.next(count, page.incomplete, page.next_token)? {
                Some(next) => token = Some(next),
                None => return guard.finish(),
            }
        }
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

    /// Sends one change (ReleaseSenderId, or UpdateSenderId for deletion protection) through the
    /// region's lane of changes, sent again only while throttled. Whether to send again after an
    /// unknown outcome is the caller's decision (after a re-read). Refused without sending (and
    /// without waiting) when this `Api` is read-only: this is the one gate of read-only mode.
    pub async fn mutate(&self, key: &Key, mutation: Mutation) -> Result<Response, ApiError> {
        if self.read_only {
            return Err(ApiError::read_only());
        }
        let client = self
            .write
            .get(&key.region)
            .ok_or_else(|| ApiError::local(format!("region {} is not loaded", key.region)))?;
        match mutation {
            Mutation::Release => {
                let out = self
                    .paced(&key.region, Op::Release, || {
                        let request = client
                            .release_sender_id()
                            .sender_id(&key.id)
                            .iso_country_code(&key.country);
                        async move { request.send().await.map_err(|e| errors::from_release(&e)) }
                    })
                    .await?;
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
                Ok(Response {
                    fields,
                    request_id: out.request_id().map(clean),
                })
            }
            Mutation::SetProtection(on) => {
                let out = self
                    .paced(&key.region, Op::Release, || {
                        let request = client
                            .update_sender_id()
                            .sender_id(&key.id)
                            .iso_country_code(&key.country)
                            .deletion_protection_enabled(on);
                        async move { request.send().await.map_err(|e| errors::from_update(&e)) }
                    })
                    .await?;
                let types: Vec<&str> = out.message_types().iter().map(|t| t.as_str()).collect();
                let mut fields = vec![
                    ("SenderIdArn", clean(out.sender_id_arn())),
                    ("SenderId", clean(out.sender_id())),
                    ("IsoCountryCode", clean(out.iso_country_code())),
                    ("MessageTypes", clean(&types.join(", "))),
                    ("MonthlyLeasingPrice", clean(out.monthly_leasing_price())),
                    (
                        "DeletionProtectionEnabled",
                        out.deletion_protection_enabled().to_string(),
                    ),
                    ("Registered", out.registered().to_string()),
                ];
                if let Some(reg) = out.registration_id() {
                    fields.push(("RegistrationId", clean(reg)));
                }
                Ok(Response {
                    fields,
                    request_id: out.request_id().map(clean),
                })
            }
        }
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

/// The records of an answer, and how many were left out because the members that identify a
/// sender ID (SenderId, IsoCountryCode, and the ARN of a shared one) were missing or empty: such
/// a record can be neither released nor re-read, and would collide with others under one key.
fn records_from(
    region: &str,
    infos: &[SenderIdInformation],
    ownership: impl Fn(&SenderIdInformation) -> Ownership,
) -> (Vec<SenderIdRecord>, usize) {
    let mut records = Vec::with_capacity(infos.len());
    let mut incomplete = 0;
    for info in infos {
        let owner = ownership(info);
        let identified = !info.sender_id().trim().is_empty()
            && !info.iso_country_code().trim().is_empty()
            && (owner == Ownership::Own || !info.sender_id_arn().trim().is_empty());
        if identified {
            records.push(record_from(region, info, owner));
        } else {
            incomplete += 1;
        }
    }
    (records, incomplete)
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
