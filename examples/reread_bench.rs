//! Measures how long `Api::reread` takes for N of this account's sender IDs in one region when the
//! emulator allows R requests per second per region (as `sidman emulator --rate-limit R`), through
//! `aws::connect` and the real SDK: `cargo run --release --example reread_bench [-- N R]`
//! (default 500 sender IDs at 1 request/s). Prints the time and the DescribeSenderIds calls the
//! emulator received (answered and throttled); asserts nothing.

use std::time::Instant;

use sidman::aws::{self, ConnectOptions, Reread};
use sidman::domain::Key;
use sidman::emulator::{Emulator, EmulatorConfig, Faults, Seed};

const REGION: &str = "us-east-1";

fn arg(index: usize, default: f64) -> f64 {
    std::env::args()
        .nth(index)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (count, rate) = (arg(1, 500.0) as usize, arg(2, 1.0));
    // A few more than asked for, so that N of them are this account's own.
    let seed = Seed::synthetic(&[REGION], count + count / 10 + 10);
    let keys: Vec<Key> = seed
        .sender_ids
        .iter()
        .filter(|s| !s.is_shared())
        .take(count)
        .map(|s| Key {
            region: REGION.to_owned(),
            country: s.iso_country_code.clone(),
            id: s.sender_id.clone(),
        })
        .collect();
    let emulator = Emulator::start(EmulatorConfig {
        seed,
        faults: Faults {
            rate_limit_per_region: Some(rate),
            ..Faults::default()
        },
        ..EmulatorConfig::default()
    })
    .await?;
    let (api, _) = aws::connect(&ConnectOptions {
        regions: vec![REGION.to_owned()],
        endpoint_url: Some(emulator.endpoint_url()),
        static_credentials: Some(("AKIDBENCH".into(), "secret".into())),
        ..ConnectOptions::default()
    })
    .await?;
    let started = Instant::now();
    let result = api.reread(REGION, &keys).await?;
    let elapsed = started.elapsed();
    let present = result
        .iter()
        .filter(|(_, r)| matches!(r, Reread::Present(_)))
        .count();
    let received = emulator.received();
    let throttled = received
        .requests()
        .iter()
        .filter(|r| r.error.as_deref() == Some("ThrottlingException"))
        .count();
    println!(
        "re-read {} sender IDs ({present} present) at {rate} request/s per region: {:.1} s, \
         {} DescribeSenderIds calls received ({throttled} of them throttled)",
        keys.len(),
        elapsed.as_secs_f64(),
        received.count_in("DescribeSenderIds", REGION),
    );
    Ok(())
}
