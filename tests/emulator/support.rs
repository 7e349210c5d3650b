//! Helpers shared by the `emulator_*` tests (included with `#[path]`): an SDK client pointed at an
//! emulator on loopback with static test credentials and retries off, and a page walker.
#![allow(dead_code)]

use aws_sdk_pinpointsmsvoicev2 as sms;
use sidman::emulator::{Emulator, Seed};
use sms::config::retry::RetryConfig;
use sms::config::{BehaviorVersion, Credentials, Region};
use sms::types::{
    SenderIdAndCountry, SenderIdFilter, SenderIdFilterName, SenderIdInformation, Tag,
};

/// A client for `region` that talks to `endpoint` (always http://127.0.0.1:PORT here).
pub fn client(endpoint: &str, region: &str) -> sms::Client {
    assert!(
        endpoint.starts_with("http://127.0.0.1:"),
        "tests only talk to loopback: {endpoint}"
    );
    let config = sms::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_owned()))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new(
            "AKIDEMULATORTEST",
            "secret",
            None,
            None,
            "static",
        ))
        .retry_config(RetryConfig::disabled())
        .build();
    sms::Client::from_conf(config)
}

pub fn own_arn(region: &str, sender_id: &str, country: &str) -> String {
    format!("arn:aws:sms-voice:{region}:111122223333:sender-id/{sender_id}/{country}")
}

pub fn filter(name: &str, values: &[&str]) -> SenderIdFilter {
    let mut builder = SenderIdFilter::builder().name(SenderIdFilterName::from(name));
    for value in values {
        builder = builder.values(*value);
    }
    builder.build().expect("filter has a name and values")
}

/// Every page of DescribeSenderIds with these filters: the items and the tokens issued.
pub async fn walk(
    client: &sms::Client,
    page_size: Option<i32>,
    filters: &[SenderIdFilter],
) -> (Vec<SenderIdInformation>, Vec<String>) {
    let mut items = Vec::new();
    let mut tokens = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let mut call = client
            .describe_sender_ids()
            .set_next_token(next.clone())
            .set_max_results(page_size);
        for f in filters {
            call = call.filters(f.clone());
        }
        let page = call.send().await.expect("page");
        let served = page.sender_ids().len();
        if let Some(size) = page_size {
            assert!(
                served <= size as usize,
                "a page holds at most MaxResults items"
            );
        }
        items.extend(page.sender_ids().iter().cloned());
        match page.next_token() {
            Some(token) => {
                let full = page_size.unwrap_or(100) as usize;
                assert_eq!(served, full, "a token comes only with a full page");
                tokens.push(token.to_owned());
                next = Some(token.to_owned());
            }
            None => return (items, tokens),
        }
    }
}

/// The demo seed's GLOBEX in GB, shared with the caller by account 444455556666.
pub const SHARED_GLOBEX_GB: &str = "arn:aws:sms-voice:us-east-1:444455556666:sender-id/GLOBEX/GB";

/// An emulator with the demo seed and a us-east-1 client for it.
pub async fn demo() -> (Emulator, sms::Client) {
    let emulator = Emulator::start_local(Seed::demo())
        .await
        .expect("emulator starts");
    let client = client(&emulator.endpoint_url(), "us-east-1");
    (emulator, client)
}

pub fn pair(sender_id: &str, country: &str) -> SenderIdAndCountry {
    SenderIdAndCountry::builder()
        .sender_id(sender_id)
        .iso_country_code(country)
        .build()
        .expect("pair")
}

pub fn tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build().expect("tag")
}
