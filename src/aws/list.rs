//! Listing: DescribeSenderIds page by page for one owner in one region, with the server-side
//! filters, and the turning of each `SenderIdInformation` into a [`SenderIdRecord`] (every string
//! cleaned; a record the answer did not identify is left out and counted).

use super::{Api, ListFilters, PAGE_SIZE, Page, errors, guard};
use crate::domain::{ApiError, MessageType, MessagingLimits, Ownership, Price, SenderIdRecord};
use crate::pacing::Op;
use crate::sanitize::clean;
use aws_sdk_pinpointsmsvoicev2 as sms;
use sms::types::{Owner, SenderIdFilter, SenderIdFilterName, SenderIdInformation};
use std::collections::HashMap;

impl Api {
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
pub(super) fn records_from(
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
