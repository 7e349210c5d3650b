//! DescribeSenderIds: validating SenderIds, Filters, Owner, MaxResults and NextToken; resolving
//! explicitly named sender IDs (a shared one only by ARN); matching filters (AND across filters,
//! OR within one); and serving a page after the token's key cursor. The page body is assembled from
//! pre-rendered items, so a page costs a range scan and a string join.

use std::sync::Mutex;

use serde_json::{Map, Value};

use super::{fingerprint, invalid_next_token, lock, present, resume, sender_not_found};
use crate::emulator::DEFAULT_MAX_RESULTS;
use crate::emulator::protocol::ApiError;
use crate::emulator::sender::SeedSenderId;
use crate::emulator::store::{Key, Store};
use crate::emulator::tokens::After;
use crate::emulator::validate::{
    Checker, FILTER_VALUE, ISO_COUNTRY_CODE, NEXT_TOKEN, SENDER_ID_OR_ARN, member,
};

const FILTER_NAMES: [&str; 5] = [
    "sender-id",
    "iso-country-code",
    "message-type",
    "deletion-protection-enabled",
    "registered",
];
const INVALID_FILTER_VALUES: &str = "INVALID_FILTER_VALUES";

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Filter {
    SenderId(Vec<String>),
    Country(Vec<String>),
    MessageType(Vec<String>),
    Protection(Vec<bool>),
    Registered(Vec<bool>),
}

impl Filter {
    fn matches(&self, data: &SeedSenderId) -> bool {
        match self {
            Filter::SenderId(values) => values.contains(&data.sender_id),
            Filter::Country(values) => values.contains(&data.iso_country_code),
            Filter::MessageType(values) => data.message_types.iter().any(|t| values.contains(t)),
            Filter::Protection(values) => values.contains(&data.deletion_protection_enabled),
            Filter::Registered(values) => values.contains(&data.registered),
        }
    }
}

struct Request<'a> {
    explicit: Vec<(&'a str, &'a str)>,
    filters: Vec<Filter>,
    owner: Option<&'a str>,
    next_token: Option<&'a str>,
    max_results: usize,
}

pub(crate) fn describe_sender_ids(
    store: &Mutex<Store>,
    region: &str,
    input: &Map<String, Value>,
) -> Result<String, ApiError> {
    let request = parse(input)?;
    let mut explicit_sorted = request.explicit.clone();
    explicit_sorted.sort_unstable();
    let mut filters_sorted = request.filters.clone();
    filters_sorted.sort_unstable();
    let fingerprint = fingerprint(&(request.owner, &filters_sorted, &explicit_sorted));

    let mut store = lock(store);
    let after = match resume(&store, request.next_token, region, fingerprint)? {
        Some(After::SenderId(key)) => Some(key),
        Some(After::Pool(_)) => return Err(invalid_next_token()),
        None => None,
    };
    let candidates = if request.explicit.is_empty() {
        None
    } else {
        let mut keys: Vec<Key> = Vec::with_capacity(request.explicit.len());
        for (sender_id, country) in &request.explicit {
            let key = store
                .resolve(region, sender_id, country)
                .ok_or_else(|| sender_not_found(sender_id, country))?;
            keys.push(key);
        }
        keys.sort_unstable();
        keys.dedup();
        Some(keys)
    };
    let owner = request.owner;
    let matches = |data: &SeedSenderId| {
        let owner_ok = match owner {
            Some("SELF") => !data.is_shared(),
            Some("SHARED") => data.is_shared(),
            _ => true,
        };
        owner_ok && request.filters.iter().all(|f| f.matches(data))
    };
    let page = store.page(
        region,
        candidates.as_deref(),
        matches,
        after.as_ref(),
        request.max_results,
    );
    let next_token = page.more_after.map(|key| {
        store
            .tokens
            .issue(region, fingerprint, After::SenderId(key))
    });
    drop(store);

    let size: usize = page.items.iter().map(|item| item.len() + 1).sum();
    let mut body = String::with_capacity(size + 96);
    body.push_str("{\"SenderIds\":[");
    for (index, item) in page.items.iter().enumerate() {
        if index > 0 {
            body.push(',');
        }
        body.push_str(item);
    }
    body.push(']');
    if let Some(token) = next_token {
        body.push_str(",\"NextToken\":");
        body.push_str(&Value::String(token).to_string());
    }
    body.push('}');
    Ok(body)
}

fn parse(input: &Map<String, Value>) -> Result<Request<'_>, ApiError> {
    let mut checker = Checker::new();
    let mut explicit = Vec::new();
    for (index, entry) in checker
        .list(input, "SenderIds", "SenderIds", (0, 5), false)
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        let path = format!("SenderIds[{index}]");
        let Some(entry) = checker.object(entry, &path) else {
            continue;
        };
        let sender_id = checker.string(
            entry,
            "SenderId",
            &format!("{path}.SenderId"),
            &SENDER_ID_OR_ARN,
            true,
        );
        let country = checker.string(
            entry,
            "IsoCountryCode",
            &format!("{path}.IsoCountryCode"),
            &ISO_COUNTRY_CODE,
            true,
        );
        if let (Some(sender_id), Some(country)) = (sender_id, country) {
            explicit.push((sender_id, country));
        }
    }
    let mut filters = Vec::new();
    for (index, entry) in checker
        .list(input, "Filters", "Filters", (0, 20), false)
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        let path = format!("Filters[{index}]");
        if let Some(entry) = checker.object(entry, &path) {
            filters.extend(parse_filter(&mut checker, entry, &path));
        }
    }
    let owner =
        member(input, "Owner").and_then(|v| checker.enumeration(v, "Owner", &["SELF", "SHARED"]));
    let next_token = checker.string(input, "NextToken", "NextToken", &NEXT_TOKEN, false);
    let max_results = checker
        .integer(input, "MaxResults", 1, 100)
        .unwrap_or(DEFAULT_MAX_RESULTS);
    checker.finish()?;
    if owner.is_some() && !explicit.is_empty() {
        let mut error = ApiError::validation(
            "PARAMETERS_CANNOT_BE_USED_TOGETHER",
            "Owner",
            "Owner and SenderIds cannot be used together",
        );
        error.message = "The Owner and SenderIds parameters can't be used at the same time.".into();
        return Err(error);
    }
    let max_results = present(usize::try_from(max_results).ok(), "MaxResults")?;
    Ok(Request {
        explicit,
        filters,
        owner,
        next_token,
        max_results,
    })
}

/// One filter; `None` (with violations recorded) when it is not valid.
fn parse_filter(checker: &mut Checker, entry: &Map<String, Value>, path: &str) -> Option<Filter> {
    let name_path = format!("{path}.Name");
    let name = match member(entry, "Name") {
        Some(value) => checker.enumeration(value, &name_path, &FILTER_NAMES),
        None => {
            checker.missing(&name_path);
            None
        }
    };
    let values_path = format!("{path}.Values");
    let raw = checker.list(entry, "Values", &values_path, (1, 20), true)?;
    let before = checker.count();
    let values: Vec<&str> = raw
        .iter()
        .enumerate()
        .filter_map(|(i, v)| checker.check_str(v, &format!("{values_path}[{i}]"), &FILTER_VALUE))
        .collect();
    let name = name?;
    if checker.count() != before {
        return None;
    }
    let owned = || values.iter().map(|v| (*v).to_owned()).collect::<Vec<_>>();
    let bad = |checker: &mut Checker, expected: &str| {
        let message = format!("Values of filter {name} must be {expected}");
        checker.push(&values_path, message, INVALID_FILTER_VALUES);
        None
    };
    match name {
        "sender-id" => Some(Filter::SenderId(owned())),
        "iso-country-code" => {
            let ok = values
                .iter()
                .all(|v| v.len() == 2 && v.bytes().all(|b| b.is_ascii_uppercase()));
            if ok {
                Some(Filter::Country(owned()))
            } else {
                bad(checker, "two-letter ISO country codes such as GB")
            }
        }
        "message-type" => {
            let ok = values
                .iter()
                .all(|v| matches!(*v, "TRANSACTIONAL" | "PROMOTIONAL"));
            if ok {
                Some(Filter::MessageType(owned()))
            } else {
                bad(checker, "TRANSACTIONAL or PROMOTIONAL")
            }
        }
        _ => {
            let flags: Option<Vec<bool>> = values
                .iter()
                .map(|v| match v.to_ascii_lowercase().as_str() {
                    "true" => Some(true),
                    "false" => Some(false),
                    _ => None,
                })
                .collect();
            match (flags, name) {
                (Some(flags), "registered") => Some(Filter::Registered(flags)),
                (Some(flags), _) => Some(Filter::Protection(flags)),
                (None, _) => bad(checker, "true or false"),
            }
        }
    }
}
