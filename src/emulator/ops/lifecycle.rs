//! RequestSenderId, UpdateSenderId and ReleaseSenderId: the operations that create, change and
//! remove a sender ID. They enforce what an operator must be able to rely on: a shared sender ID
//! is never changed by the account it is shared with (AccessDenied), deletion protection and pool
//! membership block a release (Conflict), a duplicate request conflicts, and a repeated ClientToken
//! with the same parameters returns the first result instead of creating anything.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use serde_json::{Map, Value};

use super::tagging::{MAX_TAGS_PER_RESOURCE, parse_tags, too_many_tags};
use super::{fingerprint, lock, present, sender_not_found};
use crate::emulator::arn::CALLER_ACCOUNT;
use crate::emulator::prices::{self, Support};
use crate::emulator::protocol::{ApiError, ErrorKind};
use crate::emulator::sender::SeedSenderId;
use crate::emulator::shapes::{Shape, render};
use crate::emulator::store::Store;
use crate::emulator::tokens::Remembered;
use crate::emulator::validate::{
    CLIENT_TOKEN, Checker, ISO_COUNTRY_CODE, SENDER_ID, SENDER_ID_OR_ARN, member,
};

/// SenderId (SenderIdOrArn) and IsoCountryCode, both required.
fn address<'a>(
    checker: &mut Checker,
    input: &'a Map<String, Value>,
) -> (Option<&'a str>, Option<&'a str>) {
    let sender_id = checker.string(input, "SenderId", "SenderId", &SENDER_ID_OR_ARN, true);
    let country = checker.string(
        input,
        "IsoCountryCode",
        "IsoCountryCode",
        &ISO_COUNTRY_CODE,
        true,
    );
    (sender_id, country)
}

fn access_denied(data: &SeedSenderId) -> ApiError {
    ApiError::new(
        ErrorKind::AccessDenied,
        format!(
            "Account {CALLER_ACCOUNT} does not own sender ID {}; it is shared by account {}.",
            data.arn(),
            data.account
        ),
    )
}

pub(crate) fn release_sender_id(
    store: &Mutex<Store>,
    region: &str,
    input: &Map<String, Value>,
) -> Result<String, ApiError> {
    let mut checker = Checker::new();
    let (sender_id, country) = address(&mut checker, input);
    checker.finish()?;
    let (sender_id, country) = (
        present(sender_id, "SenderId")?,
        present(country, "IsoCountryCode")?,
    );

    let mut store = lock(store);
    let key = store
        .resolve(region, sender_id, country)
        .ok_or_else(|| sender_not_found(sender_id, country))?;
    let record = store
        .get(region, &key)
        .ok_or_else(|| sender_not_found(sender_id, country))?;
    let data = &record.data;
    if data.is_shared() {
        return Err(access_denied(data));
    }
    let conflict = |reason: &'static str, message: String| {
        ApiError::new(ErrorKind::Conflict, message)
            .with_reason(reason)
            .with_resource("sender-id", sender_id)
    };
    if data.deletion_protection_enabled {
        return Err(conflict(
            "DELETION_PROTECTION_ENABLED",
            format!(
                "Sender ID {} in {} has deletion protection enabled; turn it off with UpdateSenderId before releasing it.",
                data.sender_id, data.iso_country_code
            ),
        ));
    }
    if let Some(pool) = &data.pool {
        return Err(conflict(
            "SENDER_ID_ASSOCIATED_TO_POOL",
            format!(
                "Sender ID {} in {} is associated with pool {pool}; disassociate it before releasing it.",
                data.sender_id, data.iso_country_code
            ),
        ));
    }
    let removed = store
        .remove(region, &key)
        .ok_or_else(|| sender_not_found(sender_id, country))?;
    drop(store);
    Ok(render(&removed.data, &key.arn, Shape::Release, false))
}

pub(crate) fn update_sender_id(
    store: &Mutex<Store>,
    region: &str,
    input: &Map<String, Value>,
) -> Result<String, ApiError> {
    let mut checker = Checker::new();
    let (sender_id, country) = address(&mut checker, input);
    let protection = checker.boolean(input, "DeletionProtectionEnabled");
    checker.finish()?;
    let (sender_id, country) = (
        present(sender_id, "SenderId")?,
        present(country, "IsoCountryCode")?,
    );

    let mut store = lock(store);
    let key = store
        .resolve(region, sender_id, country)
        .ok_or_else(|| sender_not_found(sender_id, country))?;
    let record = store
        .get_mut(region, &key)
        .ok_or_else(|| sender_not_found(sender_id, country))?;
    if record.data.is_shared() {
        return Err(access_denied(&record.data));
    }
    if let Some(protection) = protection {
        record.data.deletion_protection_enabled = protection;
        record.refresh();
    }
    Ok(render(&record.data, &key.arn, Shape::Update, false))
}

pub(crate) fn request_sender_id(
    store: &Mutex<Store>,
    region: &str,
    input: &Map<String, Value>,
) -> Result<String, ApiError> {
    let mut checker = Checker::new();
    let sender_id = checker.string(input, "SenderId", "SenderId", &SENDER_ID, true);
    let country = checker.string(
        input,
        "IsoCountryCode",
        "IsoCountryCode",
        &ISO_COUNTRY_CODE,
        true,
    );
    let mut message_types: Vec<String> = Vec::new();
    let listed = checker
        .list(input, "MessageTypes", "MessageTypes", (0, 2), false)
        .unwrap_or(&[]);
    for (index, value) in listed.iter().enumerate() {
        let path = format!("MessageTypes[{index}]");
        if let Some(kind) = checker.enumeration(value, &path, &["TRANSACTIONAL", "PROMOTIONAL"]) {
            message_types.push(kind.to_owned());
        }
    }
    let protection = checker.boolean(input, "DeletionProtectionEnabled");
    let tags = parse_tags(&mut checker, input, (0, 200), false);
    let client_token = checker.string(input, "ClientToken", "ClientToken", &CLIENT_TOKEN, false);
    if let Some(id) = sender_id.filter(|id| id.chars().count() <= 11) {
        let has_letter = id.chars().any(|c| c.is_ascii_alphabetic());
        if !has_letter || id.starts_with('-') || id.ends_with('-') {
            let message =
                "Value must contain at least one letter and cannot start or end with a hyphen";
            checker.invalid("SenderId", message);
        }
    }
    checker.finish()?;
    let (sender_id, country) = (
        present(sender_id, "SenderId")?,
        present(country, "IsoCountryCode")?,
    );
    let price = match prices::country(country) {
        Some((Support::Open, price)) => price,
        Some((Support::Registration, _)) => {
            let message =
                format!("Sender IDs in {country} require a registration; use CreateRegistration");
            return Err(ApiError::validation(
                "SENDER_ID_REQUIRES_REGISTRATION",
                "IsoCountryCode",
                &message,
            ));
        }
        _ => {
            let message = format!("Sender IDs are not supported for destination country {country}");
            return Err(ApiError::validation(
                "SENDER_ID_NOT_SUPPORTED",
                "IsoCountryCode",
                &message,
            ));
        }
    };
    if message_types.is_empty() {
        message_types = vec!["TRANSACTIONAL".to_owned(), "PROMOTIONAL".to_owned()];
    }
    message_types.sort_unstable_by(|a, b| b.cmp(a));
    message_types.dedup();
    let tag_map: BTreeMap<String, String> = tags.iter().flatten().cloned().collect();
    if tag_map.len() > MAX_TAGS_PER_RESOURCE {
        return Err(too_many_tags());
    }
    let params = (
        sender_id,
        country,
        &message_types,
        protection.unwrap_or(false),
        &tag_map,
    );
    let params_fingerprint = fingerprint(&params);

    let mut store = lock(store);
    if let Some(token) = client_token
        && let Some(earlier) = store.client_tokens.get(region, token)
    {
        if earlier.fingerprint == params_fingerprint {
            return Ok(earlier.response.to_string());
        }
        return Err(ApiError::new(
            ErrorKind::Conflict,
            format!("ClientToken {token} was already used with different parameters"),
        ));
    }
    let key = Store::own_key(region, sender_id, country);
    if store.get(region, &key).is_some() {
        return Err(ApiError::new(
            ErrorKind::Conflict,
            format!("Sender ID {sender_id} already exists in {country}"),
        )
        .with_reason("RESOURCE_ALREADY_EXISTS")
        .with_resource("sender-id", sender_id));
    }
    let data = SeedSenderId {
        region: region.to_owned(),
        account: CALLER_ACCOUNT.to_owned(),
        sender_id: sender_id.to_owned(),
        iso_country_code: country.to_owned(),
        message_types,
        monthly_leasing_price: price.to_owned(),
        deletion_protection_enabled: protection.unwrap_or(false),
        registered: false,
        registration_id: None,
        pool: None,
        messaging_limits: None,
        pricing_tier: None,
        tags: tag_map.into_iter().collect(),
    };
    let response = render(
        &data,
        &key.arn,
        Shape::Request,
        member(input, "Tags").is_some(),
    );
    store.insert(data);
    if let Some(token) = client_token {
        let remembered = Remembered {
            fingerprint: params_fingerprint,
            response: Arc::from(response.as_str()),
        };
        store.client_tokens.remember(region, token, remembered);
    }
    Ok(response)
}
