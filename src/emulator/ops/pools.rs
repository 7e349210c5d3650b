//! DescribePools and ListPoolOriginationIdentities. DescribePools validates PoolIds (0-5, an ID or
//! ARN each), Filters (0-20, the model's eight names), Owner (not with PoolIds), MaxResults and
//! NextToken, resolves named pools (a shared one only by ARN; an unknown one is ResourceNotFound)
//! and pages the region's pools by pool ID. ListPoolOriginationIdentities requires PoolId and
//! pages the pool's sender IDs in DescribeSenderIds order, filtered by `iso-country-code` and
//! `number-capability` (a sender ID is capable of SMS only). Filters AND across names and OR
//! within one; page tokens are bound to the operation, region and query.

use std::collections::BTreeSet;
use std::sync::Mutex;

use serde_json::{Map, Value};

use super::{fingerprint, invalid_next_token, lock, present, resume};
use crate::emulator::DEFAULT_MAX_RESULTS;
use crate::emulator::pool::SeedPool;
use crate::emulator::protocol::ApiError;
use crate::emulator::sender::SeedSenderId;
use crate::emulator::store::Store;
use crate::emulator::tokens::After;
use crate::emulator::validate::{Checker, FILTER_VALUE, NEXT_TOKEN, POOL_ID_OR_ARN, member};

const POOL_FILTERS: [&str; 8] = [
    "status",
    "message-type",
    "two-way-enabled",
    "self-managed-opt-outs-enabled",
    "opt-out-list-name",
    "shared-routes-enabled",
    "deletion-protection-enabled",
    "two-way-channel-arn",
];
const MEMBER_FILTERS: [&str; 2] = ["iso-country-code", "number-capability"];
const INVALID_FILTER_VALUES: &str = "INVALID_FILTER_VALUES";
/// The opt-out list every emulated pool uses.
const OPT_OUT_LIST: &str = "Default";

/// A validated filter: its name and values (values of boolean filters lower-cased).
type Filter = (String, Vec<String>);

pub(crate) fn describe_pools(
    store: &Mutex<Store>,
    region: &str,
    input: &Map<String, Value>,
) -> Result<String, ApiError> {
    let mut checker = Checker::new();
    let mut ids: Vec<&str> = Vec::new();
    for (index, value) in checker
        .list(input, "PoolIds", "PoolIds", (0, 5), false)
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        let path = format!("PoolIds[{index}]");
        ids.extend(checker.check_str(value, &path, &POOL_ID_OR_ARN));
    }
    let filters = filters(&mut checker, input, &POOL_FILTERS, pool_filter_problem);
    let owner =
        member(input, "Owner").and_then(|v| checker.enumeration(v, "Owner", &["SELF", "SHARED"]));
    let (next_token, max_results) = paging(&mut checker, input);
    checker.finish()?;
    if owner.is_some() && !ids.is_empty() {
        let mut error = ApiError::validation(
            "PARAMETERS_CANNOT_BE_USED_TOGETHER",
            "Owner",
            "Owner and PoolIds cannot be used together",
        );
        error.message = "The Owner and PoolIds parameters can't be used at the same time.".into();
        return Err(error);
    }
    let max_results = present(usize::try_from(max_results).ok(), "MaxResults")?;
    let mut sorted_ids = ids.clone();
    sorted_ids.sort_unstable();
    let fingerprint = fingerprint(&("DescribePools", owner, &filters, &sorted_ids));

    let mut store = lock(store);
    let after = match resume(&store, next_token, region, fingerprint)? {
        Some(After::Pool(id)) => Some(id),
        Some(After::SenderId(_)) => return Err(invalid_next_token()),
        None => None,
    };
    let candidates = if ids.is_empty() {
        None
    } else {
        let mut found = BTreeSet::new();
        for id in &ids {
            let pool = store
                .pools
                .resolve(region, id)
                .ok_or_else(|| pool_not_found(id))?;
            found.insert(pool.data.pool_id.clone());
        }
        Some(found)
    };
    let matches = |pool: &SeedPool| {
        let owner_ok = match owner {
            Some("SELF") => !pool.is_shared(),
            Some("SHARED") => pool.is_shared(),
            _ => true,
        };
        owner_ok
            && filters
                .iter()
                .all(|(name, values)| pool_matches(pool, name, values))
    };
    let page = store.pools.page(
        region,
        candidates.as_ref(),
        matches,
        after.as_deref(),
        max_results,
    );
    let next_token = page
        .more_after
        .map(|id| store.tokens.issue(region, fingerprint, After::Pool(id)));
    drop(store);
    Ok(body("Pools", &page.items, next_token, None))
}

pub(crate) fn list_pool_origination_identities(
    store: &Mutex<Store>,
    region: &str,
    input: &Map<String, Value>,
) -> Result<String, ApiError> {
    let mut checker = Checker::new();
    let pool_id = checker.string(input, "PoolId", "PoolId", &POOL_ID_OR_ARN, true);
    let filters = filters(&mut checker, input, &MEMBER_FILTERS, member_filter_problem);
    let (next_token, max_results) = paging(&mut checker, input);
    checker.finish()?;
    let pool_id = present(pool_id, "PoolId")?;
    let max_results = present(usize::try_from(max_results).ok(), "MaxResults")?;

    let mut store = lock(store);
    let pool = store
        .pools
        .resolve(region, pool_id)
        .ok_or_else(|| pool_not_found(pool_id))?;
    let (id, arn) = (pool.data.pool_id.clone(), pool.data.arn());
    let fingerprint = fingerprint(&("ListPoolOriginationIdentities", &id, &filters));
    let after = match resume(&store, next_token, region, fingerprint)? {
        Some(After::SenderId(key)) => Some(key),
        Some(After::Pool(_)) => return Err(invalid_next_token()),
        None => None,
    };
    let matches = |data: &SeedSenderId| {
        filters.iter().all(|(name, values)| match name.as_str() {
            "iso-country-code" => values.contains(&data.iso_country_code),
            _ => values.iter().any(|v| v == "SMS"),
        })
    };
    let (items, more_after) =
        store.pool_members_page(region, &id, matches, after.as_ref(), max_results);
    let next_token = more_after.map(|key| {
        store
            .tokens
            .issue(region, fingerprint, After::SenderId(key))
    });
    drop(store);
    Ok(body(
        "OriginationIdentities",
        &items,
        next_token,
        Some((&arn, &id)),
    ))
}

fn pool_not_found(id: &str) -> ApiError {
    let mut error = ApiError::not_found("pool", id);
    error.message = if id.starts_with("arn:") {
        format!("Pool {id} was not found in this region.")
    } else {
        format!(
            "Pool {id} was not found in this account and region (a pool shared with you must be \
             named by its full ARN)."
        )
    };
    error
}

/// NextToken and MaxResults (default [`DEFAULT_MAX_RESULTS`]).
fn paging<'a>(checker: &mut Checker, input: &'a Map<String, Value>) -> (Option<&'a str>, i64) {
    let next_token = checker.string(input, "NextToken", "NextToken", &NEXT_TOKEN, false);
    let max_results = checker
        .integer(input, "MaxResults", 1, 100)
        .unwrap_or(DEFAULT_MAX_RESULTS);
    (next_token, max_results)
}

/// The `Filters` member (0-20 entries of `Name` in `names` and 1-20 `Values`), sorted so that the
/// same query always has the same fingerprint. `problem` names what the values of a filter must be
/// when they are not valid for its name (reason INVALID_FILTER_VALUES).
fn filters(
    checker: &mut Checker,
    input: &Map<String, Value>,
    names: &[&str],
    problem: fn(&str, &[String]) -> Option<&'static str>,
) -> Vec<Filter> {
    let mut out = Vec::new();
    let list = checker
        .list(input, "Filters", "Filters", (0, 20), false)
        .unwrap_or(&[]);
    for (index, entry) in list.iter().enumerate() {
        let path = format!("Filters[{index}]");
        let Some(entry) = checker.object(entry, &path) else {
            continue;
        };
        let name_path = format!("{path}.Name");
        let name = match member(entry, "Name") {
            Some(value) => checker.enumeration(value, &name_path, names),
            None => {
                checker.missing(&name_path);
                None
            }
        };
        let values_path = format!("{path}.Values");
        let Some(raw) = checker.list(entry, "Values", &values_path, (1, 20), true) else {
            continue;
        };
        let before = checker.count();
        let values: Vec<String> = raw
            .iter()
            .enumerate()
            .filter_map(|(i, v)| {
                checker.check_str(v, &format!("{values_path}[{i}]"), &FILTER_VALUE)
            })
            .map(ToOwned::to_owned)
            .collect();
        let Some(name) = name.filter(|_| checker.count() == before) else {
            continue;
        };
        match problem(name, &values) {
            Some(expected) => {
                let message = format!("Values of filter {name} must be {expected}");
                checker.push(&values_path, message, INVALID_FILTER_VALUES);
            }
            None => {
                let mut values = values;
                if is_flag(name) {
                    values.iter_mut().for_each(|v| v.make_ascii_lowercase());
                }
                values.sort_unstable();
                values.dedup();
                out.push((name.to_owned(), values));
            }
        }
    }
    out.sort_unstable();
    out
}

fn is_flag(name: &str) -> bool {
    name.ends_with("-enabled")
}

fn pool_filter_problem(name: &str, values: &[String]) -> Option<&'static str> {
    let all = |ok: fn(&str) -> bool| values.iter().all(|v| ok(v));
    let valid = match name {
        "status" => all(|v| matches!(v, "CREATING" | "ACTIVE" | "DELETING")),
        "message-type" => all(|v| matches!(v, "TRANSACTIONAL" | "PROMOTIONAL")),
        flag if is_flag(flag) => {
            all(|v| matches!(v.to_ascii_lowercase().as_str(), "true" | "false"))
        }
        _ => true,
    };
    match (valid, name) {
        (true, _) => None,
        (false, "status") => Some("CREATING, ACTIVE or DELETING"),
        (false, "message-type") => Some("TRANSACTIONAL or PROMOTIONAL"),
        (false, _) => Some("true or false"),
    }
}

fn member_filter_problem(name: &str, values: &[String]) -> Option<&'static str> {
    let valid = if name == "iso-country-code" {
        values
            .iter()
            .all(|v| v.len() == 2 && v.bytes().all(|b| b.is_ascii_uppercase()))
    } else {
        values
            .iter()
            .all(|v| matches!(v.as_str(), "SMS" | "VOICE" | "MMS" | "RCS"))
    };
    match (valid, name) {
        (true, _) => None,
        (false, "iso-country-code") => Some("two-letter ISO country codes such as GB"),
        (false, _) => Some("SMS, VOICE, MMS or RCS"),
    }
}

/// Whether a pool passes one filter. Emulated pools are ACTIVE, use the `Default` opt-out list and
/// have two-way messaging, self-managed opt-outs and shared routes off.
fn pool_matches(pool: &SeedPool, name: &str, values: &[String]) -> bool {
    let has = |value: &str| values.iter().any(|v| v == value);
    let flag = |on: bool| has(if on { "true" } else { "false" });
    match name {
        "status" => has("ACTIVE"),
        "message-type" => has(&pool.message_type),
        "opt-out-list-name" => has(OPT_OUT_LIST),
        "deletion-protection-enabled" => flag(pool.deletion_protection_enabled),
        "two-way-channel-arn" => false,
        _ => flag(false),
    }
}

/// `{"<list>":[items],"NextToken":...}`, with `PoolArn` and `PoolId` first when given.
fn body(
    list: &str,
    items: &[String],
    next_token: Option<String>,
    pool: Option<(&str, &str)>,
) -> String {
    let mut body = String::with_capacity(items.iter().map(|i| i.len() + 1).sum::<usize>() + 256);
    body.push('{');
    if let Some((arn, id)) = pool {
        body.push_str("\"PoolArn\":");
        body.push_str(&Value::from(arn).to_string());
        body.push_str(",\"PoolId\":");
        body.push_str(&Value::from(id).to_string());
        body.push(',');
    }
    body.push_str(&Value::from(list).to_string());
    body.push_str(":[");
    body.push_str(&items.join(","));
    body.push(']');
    if let Some(token) = next_token {
        body.push_str(",\"NextToken\":");
        body.push_str(&Value::String(token).to_string());
    }
    body.push('}');
    body
}
