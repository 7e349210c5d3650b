//! The string shapes of the service model that requests use (SenderId, SenderIdOrArn,
//! PoolIdOrArn, IsoCountryCode, FilterValue, NextToken, ClientToken, AmazonResourceName, TagKey,
//! TagValue):
//! their length bounds and anchored patterns, written as per-character tests so that checking a
//! request needs no regex engine. Values come from api.md section 2 ("Shared scalar shapes").

/// A model pattern as shown in messages, and the per-character test that implements it.
pub(crate) type Pattern = (&'static str, fn(char) -> bool);

/// A string shape: length bounds (in characters) and the model's pattern.
pub(crate) struct StrRule {
    pub(crate) min: usize,
    pub(crate) max: usize,
    pub(crate) pattern: Option<Pattern>,
}

pub(crate) fn sender_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}
fn sender_id_or_arn_char(c: char) -> bool {
    sender_id_char(c) || c == ':' || c == '/'
}
fn upper(c: char) -> bool {
    c.is_ascii_uppercase()
}
fn filter_value_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "/.:+_-".contains(c)
}
fn visible_ascii(c: char) -> bool {
    ('!'..='~').contains(&c)
}

pub(crate) const SENDER_ID: StrRule = StrRule {
    min: 1,
    max: 11,
    pattern: Some(("[A-Za-z0-9_-]+", sender_id_char)),
};
pub(crate) const SENDER_ID_OR_ARN: StrRule = StrRule {
    min: 1,
    max: 256,
    pattern: Some(("[A-Za-z0-9_:/-]+", sender_id_or_arn_char)),
};
/// The model allows an empty PoolIdOrArn (`[A-Za-z0-9_:/-]*`, 0-256): it names no pool.
pub(crate) const POOL_ID_OR_ARN: StrRule = StrRule {
    min: 0,
    max: 256,
    pattern: Some(("[A-Za-z0-9_:/-]*", sender_id_or_arn_char)),
};
pub(crate) const ISO_COUNTRY_CODE: StrRule = StrRule {
    min: 2,
    max: 2,
    pattern: Some(("[A-Z]{2}", upper)),
};
pub(crate) const FILTER_VALUE: StrRule = StrRule {
    min: 1,
    max: 128,
    pattern: Some(("[/\\.:A-Za-z0-9+_-]+", filter_value_char)),
};
pub(crate) const NEXT_TOKEN: StrRule = StrRule {
    min: 1,
    max: 1024,
    pattern: None,
};
pub(crate) const CLIENT_TOKEN: StrRule = StrRule {
    min: 1,
    max: 64,
    pattern: Some(("[!-~]+", visible_ascii)),
};
pub(crate) const RESOURCE_ARN: StrRule = StrRule {
    min: 20,
    max: 256,
    pattern: Some(("arn:[A-Za-z0-9_:/-]+", sender_id_or_arn_char)),
};
pub(crate) const TAG_KEY: StrRule = StrRule {
    min: 1,
    max: 128,
    pattern: None,
};
pub(crate) const TAG_VALUE: StrRule = StrRule {
    min: 0,
    max: 256,
    pattern: None,
};
