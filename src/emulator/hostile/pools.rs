//! The pool answers of hostile mode: DescribePools and ListPoolOriginationIdentities whose strings
//! carry escape sequences (`Escapes`, over two pages with an escaped token), whose pools or members
//! lack what identifies them (`MissingMembers`), or whose page tokens loop (`RepeatingToken`) or
//! grow past any real one (`HugeToken`). The other modes leave pools to the store.

use serde_json::{Value, json};

use super::Hostile;
use super::items::PAYLOADS;
use crate::emulator::arn::CALLER_ACCOUNT;

/// The page token of the second page of pools in `Escapes` mode.
const ESCAPED_TOKEN: &str = "pools-2\u{1b}]0;token\u{7}";

/// A pool with this ID (in `Escapes` mode, one carrying escape sequences).
fn pool(region: &str, id: &str) -> Value {
    json!({
        "PoolArn": format!("arn:aws:sms-voice:{region}:{CALLER_ACCOUNT}:pool/{id}"),
        "PoolId": id,
        "Status": "ACTIVE",
        "MessageType": "TRANSACTIONAL",
        "TwoWayEnabled": false,
        "SelfManagedOptOutsEnabled": false,
        "OptOutListName": "Default\u{1b}[2J",
        "SharedRoutesEnabled": false,
        "DeletionProtectionEnabled": false,
        "CreatedTimestamp": 1_700_000_000,
    })
}

/// A member whose identity and country carry escapes.
fn member(region: &str, id: &str, country: &str) -> Value {
    json!({
        "OriginationIdentityArn":
            format!("arn:aws:sms-voice:{region}:{CALLER_ACCOUNT}:sender-id/{id}/{country}"),
        "OriginationIdentity": id,
        "IsoCountryCode": country,
        "NumberCapabilities": ["SMS"],
    })
}

/// The DescribePools body, or `None` to leave the call to the store.
pub(super) fn describe(mode: &Hostile, region: &str, token: Option<&str>) -> Option<String> {
    let (pools, next): (Vec<Value>, Option<String>) = match mode {
        Hostile::Escapes if token == Some(ESCAPED_TOKEN) => {
            (vec![pool(region, &format!("pool-{}", PAYLOADS[2]))], None)
        }
        Hostile::Escapes => (
            vec![pool(region, &format!("pool-\u{1b}[31m{}", PAYLOADS[0]))],
            Some(ESCAPED_TOKEN.to_owned()),
        ),
        Hostile::MissingMembers => {
            let mut bare = pool(region, "pool-bare");
            if let Some(o) = bare.as_object_mut() {
                o.remove("PoolId");
                o.remove("PoolArn");
            }
            (vec![pool(region, "pool-complete"), bare], None)
        }
        Hostile::RepeatingToken => {
            let next = if token == Some("loop-a") {
                "loop-b"
            } else {
                "loop-a"
            };
            (vec![pool(region, "pool-loop")], Some(next.to_owned()))
        }
        Hostile::HugeToken { chars } => (vec![pool(region, "pool-t1")], Some("t".repeat(*chars))),
        _ => return None,
    };
    let mut body = json!({ "Pools": pools });
    if let (Some(next), Some(o)) = (next, body.as_object_mut()) {
        o.insert("NextToken".into(), Value::String(next));
    }
    Some(body.to_string())
}

/// The ListPoolOriginationIdentities body, or `None` to leave the call to the store.
pub(super) fn members(mode: &Hostile, region: &str, pool_id: &str) -> Option<String> {
    let identities = match mode {
        Hostile::Escapes => vec![
            member(region, "AC\u{1b}[31mME", "G\u{9b}B"),
            member(region, "\u{202e}OTP", "DE"),
        ],
        Hostile::MissingMembers => {
            let mut bare = member(region, "NOARN", "FR");
            if let Some(o) = bare.as_object_mut() {
                o.remove("OriginationIdentityArn");
            }
            vec![member(region, "COMPLETE", "GB"), bare]
        }
        _ => return None,
    };
    let arn = format!("arn:aws:sms-voice:{region}:{CALLER_ACCOUNT}:pool/{pool_id}");
    let body = json!({
        "PoolArn": arn,
        "PoolId": pool_id,
        "OriginationIdentities": identities,
    });
    Some(body.to_string())
}
