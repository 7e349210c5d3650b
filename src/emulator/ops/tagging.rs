//! ListTagsForResource, TagResource and UntagResource on sender-ID and pool ARNs. An ARN that
//! breaks the model's pattern or is not an ARN of this service is a ValidationException with reason
//! INVALID_ARN; a well-formed ARN of another resource type, or a sender ID or pool that does not
//! exist in the request's region, is ResourceNotFound; a shared resource's tags belong to its owner
//! (AccessDenied). A resource carries at most 50 tags (ServiceQuotaExceeded TAGS_PER_RESOURCE).

use std::sync::Mutex;

use serde_json::{Map, Value, json};

use super::{lock, present};
use crate::emulator::arn::{CALLER_ACCOUNT, RESOURCE_TYPES, ServiceArn};
use crate::emulator::protocol::{ApiError, ErrorKind};
use crate::emulator::shapes::tag_list;
use crate::emulator::store::Store;
use crate::emulator::validate::{Checker, RESOURCE_ARN, TAG_KEY, TAG_VALUE, member};

/// The service's limit on tags per resource.
pub(crate) const MAX_TAGS_PER_RESOURCE: usize = 50;
const INVALID_ARN: &str = "INVALID_ARN";

pub(crate) fn too_many_tags() -> ApiError {
    ApiError::new(
        ErrorKind::ServiceQuotaExceeded,
        format!("A resource can have at most {MAX_TAGS_PER_RESOURCE} tags"),
    )
    .with_reason("TAGS_PER_RESOURCE")
}

/// A `Tags` list member of `Tag {Key, Value}` entries.
pub(crate) fn parse_tags(
    checker: &mut Checker,
    input: &Map<String, Value>,
    bounds: (usize, usize),
    required: bool,
) -> Option<Vec<(String, String)>> {
    let list = checker.list(input, "Tags", "Tags", bounds, required)?;
    let mut tags = Vec::with_capacity(list.len());
    for (index, entry) in list.iter().enumerate() {
        let path = format!("Tags[{index}]");
        let Some(entry) = checker.object(entry, &path) else {
            continue;
        };
        let key = checker.string(entry, "Key", &format!("{path}.Key"), &TAG_KEY, true);
        let value = checker.string(entry, "Value", &format!("{path}.Value"), &TAG_VALUE, true);
        if key.is_some_and(|k| k.to_ascii_lowercase().starts_with("aws:")) {
            checker.invalid(
                &format!("{path}.Key"),
                "Tag keys starting with aws: are reserved",
            );
        }
        if let (Some(key), Some(value)) = (key, value) {
            tags.push((key.to_owned(), value.to_owned()));
        }
    }
    Some(tags)
}

/// The `ResourceArn` member, with every shape violation reported as INVALID_ARN.
fn resource_arn<'a>(checker: &mut Checker, input: &'a Map<String, Value>) -> Option<&'a str> {
    let Some(value) = member(input, "ResourceArn") else {
        checker.missing("ResourceArn");
        return None;
    };
    let Some(text) = value.as_str() else {
        checker.wrong_type("ResourceArn", "a string");
        return None;
    };
    let mut probe = Checker::new();
    probe.check_str(value, "ResourceArn", &RESOURCE_ARN);
    if !probe.is_clean() {
        let message = "Value must be an ARN of 20-256 characters matching arn:[A-Za-z0-9_:/-]+";
        checker.push("ResourceArn", message, INVALID_ARN);
    }
    Some(text)
}

/// The tags of the sender ID or pool an ARN names, applying the rules in the module documentation.
fn find<'s>(
    store: &'s mut Store,
    region: &str,
    arn: &str,
) -> Result<&'s mut Vec<(String, String)>, ApiError> {
    let Some(parsed) = ServiceArn::parse(arn) else {
        return Err(ApiError::validation(
            INVALID_ARN,
            "ResourceArn",
            "Value is not a valid AWS End User Messaging SMS ARN",
        ));
    };
    let resource_type = RESOURCE_TYPES
        .iter()
        .copied()
        .find(|t| *t == parsed.resource_type)
        .unwrap_or("sender-id");
    if resource_type == "sender-id" && parsed.sender_id_parts().is_none() {
        return Err(ApiError::validation(
            INVALID_ARN,
            "ResourceArn",
            "A sender ID ARN ends in sender-id/{SenderId}/{IsoCountryCode}",
        ));
    }
    let not_found = || ApiError::not_found(resource_type, arn);
    if parsed.region != region {
        return Err(not_found());
    }
    let (shared, tags) = match resource_type {
        "sender-id" => {
            let record = store.by_arn_mut(arn).ok_or_else(not_found)?;
            (record.data.is_shared(), &mut record.data.tags)
        }
        "pool" => {
            let pool = store.pools.by_arn_mut(arn).ok_or_else(not_found)?;
            (pool.data.is_shared(), &mut pool.data.tags)
        }
        _ => return Err(not_found()),
    };
    if shared {
        return Err(ApiError::new(
            ErrorKind::AccessDenied,
            format!(
                "Account {CALLER_ACCOUNT} does not own {arn}; only its owner can see or change its tags."
            ),
        ));
    }
    Ok(tags)
}

pub(crate) fn list_tags_for_resource(
    store: &Mutex<Store>,
    region: &str,
    input: &Map<String, Value>,
) -> Result<String, ApiError> {
    let mut checker = Checker::new();
    let arn = resource_arn(&mut checker, input);
    checker.finish()?;
    let arn = present(arn, "ResourceArn")?;
    let mut store = lock(store);
    let tags = find(&mut store, region, arn)?;
    Ok(json!({"ResourceArn": arn, "Tags": tag_list(tags)}).to_string())
}

pub(crate) fn tag_resource(
    store: &Mutex<Store>,
    region: &str,
    input: &Map<String, Value>,
) -> Result<String, ApiError> {
    let mut checker = Checker::new();
    let arn = resource_arn(&mut checker, input);
    let tags = parse_tags(&mut checker, input, (1, 200), true);
    checker.finish()?;
    let (arn, tags) = (present(arn, "ResourceArn")?, present(tags, "Tags")?);
    let mut store = lock(store);
    let current = find(&mut store, region, arn)?;
    let mut merged: std::collections::BTreeMap<String, String> = current.iter().cloned().collect();
    merged.extend(tags);
    if merged.len() > MAX_TAGS_PER_RESOURCE {
        return Err(too_many_tags());
    }
    *current = merged.into_iter().collect();
    Ok("{}".to_owned())
}

pub(crate) fn untag_resource(
    store: &Mutex<Store>,
    region: &str,
    input: &Map<String, Value>,
) -> Result<String, ApiError> {
    let mut checker = Checker::new();
    let arn = resource_arn(&mut checker, input);
    let list = checker
        .list(input, "TagKeys", "TagKeys", (1, 200), true)
        .unwrap_or(&[]);
    let keys: Vec<&str> = list
        .iter()
        .enumerate()
        .filter_map(|(i, v)| checker.check_str(v, &format!("TagKeys[{i}]"), &TAG_KEY))
        .collect();
    checker.finish()?;
    let arn = present(arn, "ResourceArn")?;
    let mut store = lock(store);
    let current = find(&mut store, region, arn)?;
    current.retain(|(key, _)| !keys.contains(&key.as_str()));
    Ok("{}".to_owned())
}
