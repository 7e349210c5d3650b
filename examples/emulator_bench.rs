//! Measures how many DescribeSenderIds pages of 100 the emulator serves per second through the real
//! SDK client: `cargo run --release --example emulator_bench [-- SECONDS TASKS PER_REGION]`.
//! Prints figures; asserts nothing.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use aws_sdk_pinpointsmsvoicev2 as sms;
use sidman::emulator::{Emulator, Seed};
use sms::config::retry::RetryConfig;
use sms::config::{BehaviorVersion, Credentials, Region};

fn arg(index: usize, default: u64) -> u64 {
    std::env::args()
        .nth(index)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (seconds, tasks, per_region) = (arg(1, 3), arg(2, 4), arg(3, 10_000));
    let per_region = usize::try_from(per_region)?;
    let started = Instant::now();
    let emulator = Emulator::start_local(Seed::synthetic(&["us-east-1"], per_region)).await?;
    println!(
        "seeded {per_region} synthetic sender IDs in {:?}",
        started.elapsed()
    );
    let config = sms::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(emulator.endpoint_url())
        .credentials_provider(Credentials::new(
            "AKIDBENCH",
            "secret",
            None,
            None,
            "static",
        ))
        .retry_config(RetryConfig::disabled())
        .build();
    let client = sms::Client::from_conf(config);
    client.describe_sender_ids().max_results(1).send().await?;

    let pages = Arc::new(AtomicU64::new(0));
    let items = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut handles = Vec::new();
    for _ in 0..tasks {
        let (client, pages, items) = (client.clone(), Arc::clone(&pages), Arc::clone(&items));
        handles.push(tokio::spawn(async move {
            let mut token: Option<String> = None;
            while Instant::now() < deadline {
                let page = client
                    .describe_sender_ids()
                    .max_results(100)
                    .set_next_token(token.take())
                    .send()
                    .await?;
                pages.fetch_add(1, Ordering::Relaxed);
                items.fetch_add(page.sender_ids().len() as u64, Ordering::Relaxed);
                token = page.next_token().map(str::to_owned);
            }
            Ok::<(), sms::Error>(())
        }));
    }
    let begun = Instant::now();
    for handle in handles {
        handle.await??;
    }
    let elapsed = begun.elapsed().as_secs_f64();
    let (pages, items) = (pages.load(Ordering::Relaxed), items.load(Ordering::Relaxed));
    println!(
        "{tasks} tasks, {elapsed:.2} s: {pages} pages ({items} sender IDs) = {:.0} pages/s, {:.0} sender IDs/s",
        pages as f64 / elapsed,
        items as f64 / elapsed
    );
    println!(
        "emulator counted {} DescribeSenderIds requests",
        emulator.received().count("DescribeSenderIds")
    );
    Ok(())
}
