//! The one module that knows the SDK. It builds `aws-sdk-pinpointsmsvoicev2` clients from
//! `aws-config`'s standard chain (profile, region, endpoint URL, environment), sends the calls
//! sidman makes (DescribeSenderIds to list and re-read, ReleaseSenderId and UpdateSenderId, and
//! DescribePools, ListPoolOriginationIdentities and ListTagsForResource to tell pooled sender IDs
//! and show the tags of sender IDs),
//! and turns SDK types into the domain's own ([`SenderIdRecord`], [`Response`], [`Pool`],
//! [`ApiError`]), passing every string through [`sanitize::clean`]. It is also the single gate of read-only mode: a
//! mutating call made through an [`Api`] opened read-only is refused here, before anything is
//! sent, whatever path asked for it. Every call waits for its turn in the region's [`Pacer`]
//! lane and reports back whether it was throttled; reads are retried here when throttled (until
//! the pacing's give-up deadline) and on a 5xx or a lost connection (twice). What a broken or
//! hostile server sends is bounded: answers over 16 MiB are refused (`limits`), a listing stops on
//! a looping, oversized or endless page token (`guard`), and an unreadable answer is named for
//! what it means (`broken`).

use crate::domain::SenderIdRecord;
pub use crate::domain::{Pool, PoolMember, PoolMembership, Reread, Response};
use crate::pacing::{self, Op, Pacer, PacingConfig, PacingStats, ThrottleBudget};
use crate::sanitize::clean;
use aws_config::{Region, SdkConfig, retry::RetryConfig, timeout::TimeoutConfig};
use aws_sdk_pinpointsmsvoicev2 as sms;
use sms::error::{DisplayErrorContext, SdkError};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

mod broken;
mod errors;
mod guard;
mod limits;
mod list;
mod mutate;
mod pools;
mod reread;
mod session;
mod tags;

pub use errors::{ApiError, CREDENTIALS_ERROR, Cause, ErrorKind};
pub use guard::{MAX_PAGES, MAX_RECORDS, MAX_TOKEN_BYTES};
pub use limits::{MAX_RESPONSE_BYTES, ResponseTooLarge};
pub use session::{ConnectOptions, StartupError, connect};

/// The largest page the service allows.
pub const PAGE_SIZE: i32 = 100;
/// The most sender IDs one DescribeSenderIds call can name.
pub const DESCRIBE_BATCH: usize = 5;
/// The most values one DescribeSenderIds filter can hold (a re-read names up to this many of this
/// account's sender IDs, and their countries, in one listing).
pub const FILTER_VALUES: usize = 20;
/// How long a connection to the endpoint may take: a reachable endpoint connects in well under
/// a second, even across continents; more means a firewall dropping packets or a wrong address.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one call may wait for its whole answer once sent. A page of 100 sender IDs comes
/// in well under a second; 15 s leaves room for a slow network or a loaded service, and a hung
/// endpoint is reported while the operator still waits.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(15);
/// The bound on one SDK operation, credentials and signing included (the SDK's own retries are
/// off, so this is one attempt plus resolving credentials, e.g. an SSO token refresh).
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(30);
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
            .connect_timeout(CONNECT_TIMEOUT)
            .operation_attempt_timeout(ATTEMPT_TIMEOUT)
            .operation_timeout(OPERATION_TIMEOUT)
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
}

/// One line describing an SDK error, for logs.
pub fn describe_sdk_error<E: std::error::Error + 'static, R: std::fmt::Debug>(
    e: &SdkError<E, R>,
) -> String {
    clean(&DisplayErrorContext(e).to_string())
}
