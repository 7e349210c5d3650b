//! Which sender IDs are in a pool, through `aws::connect` and the real SDK against the emulator on
//! 127.0.0.1: `Api::pools` finds every pooled sender ID of the demo with its pool's ID and name,
//! pages through large pools, leaves the name out when tags may not be read, and gives an error
//! the caller recognises as AccessDenied when the pool reads are not allowed.

use std::collections::BTreeSet;

use crate::common::harness::{ACCESS_KEY, SECRET_KEY};
use sidman::aws::{self, Api, ConnectOptions};
use sidman::domain::{Ownership, Pool, PoolMembership, SenderIdRecord};
use sidman::emulator::{Emulator, Faults, Seed};

const REGIONS: [&str; 3] = ["us-east-1", "eu-west-1", "ap-southeast-2"];

pub(crate) async fn connect(emulator: &Emulator, regions: &[&str]) -> Api {
    let endpoint = emulator.endpoint_url();
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{endpoint}");
    let (api, _) = aws::connect(&ConnectOptions {
        regions: regions.iter().map(|r| (*r).to_owned()).collect(),
        endpoint_url: Some(endpoint),
        static_credentials: Some((ACCESS_KEY.into(), SECRET_KEY.into())),
        ..ConnectOptions::default()
    })
    .await
    .expect("connect to the emulator");
    api
}

/// (ARN, sender ID, country) of the members of a pool.
fn members(pool: &Pool) -> BTreeSet<(String, String, String)> {
    pool.members
        .iter()
        .map(|m| (m.arn.clone(), m.sender_id.clone(), m.country.clone()))
        .collect()
}

/// What the seed says a region's pools are: (ID, ARN, name, members).
type Expected = Vec<(
    String,
    String,
    Option<String>,
    BTreeSet<(String, String, String)>,
)>;

fn expected(seed: &Seed, region: &str) -> Expected {
    seed.all_pools()
        .into_iter()
        .filter(|p| p.region == region)
        .map(|p| {
            let members = seed
                .sender_ids
                .iter()
                .filter(|s| s.pool.as_deref() == Some(p.pool_id.as_str()))
                .map(|s| (s.arn(), s.sender_id.clone(), s.iso_country_code.clone()))
                .collect();
            (
                p.pool_id.clone(),
                p.arn(),
                p.name().map(ToOwned::to_owned),
                members,
            )
        })
        .collect()
}

fn actual(pools: &[Pool]) -> Expected {
    pools
        .iter()
        .map(|p| (p.id.clone(), p.arn.clone(), p.name.clone(), members(p)))
        .collect()
}

#[tokio::test]
async fn pooled_demo_sender_ids_are_found_with_their_pool_id_and_name() {
    let seed = Seed::demo();
    let emulator = Emulator::start_local(seed.clone()).await.expect("emulator");
    let api = connect(&emulator, &REGIONS).await;
    let mut membership = PoolMembership::default();
    let mut listed: Vec<SenderIdRecord> = Vec::new();
    for region in REGIONS {
        let pools = api.pools(region).await.expect("pools");
        assert!(pools.iter().all(|p| p.region == region));
        assert_eq!(actual(&pools), expected(&seed, region), "{region}");
        assert!(
            pools.iter().all(|p| p.name.is_some()),
            "every demo pool is named"
        );
        membership.extend(pools);
        for ownership in [Ownership::Own, Ownership::Shared] {
            api.list_all(region, ownership, &Default::default(), |page| {
                listed.extend(page);
            })
            .await
            .expect("listing");
        }
    }

    // Matched to the listing by ARN: exactly the seed's pooled sender IDs, each in its pool.
    let pooled: BTreeSet<(String, String, String)> = listed
        .iter()
        .filter(|r| membership.is_pooled(&r.arn))
        .map(|r| (r.region.clone(), r.sender_id.clone(), r.country.clone()))
        .collect();
    let seeded: BTreeSet<(String, String, String)> = seed
        .sender_ids
        .iter()
        .filter(|s| s.pool.is_some())
        .map(|s| {
            (
                s.region.clone(),
                s.sender_id.clone(),
                s.iso_country_code.clone(),
            )
        })
        .collect();
    assert!(seeded.len() >= 5, "the demo has pooled sender IDs");
    assert_eq!(pooled, seeded);
    let pools = seed.all_pools();
    for s in seed.sender_ids.iter().filter(|s| s.pool.is_some()) {
        let record = listed
            .iter()
            .find(|r| r.arn == s.arn())
            .expect("the pooled sender ID is listed");
        let found: Vec<&Pool> = membership.pools_of(&record.arn).collect();
        assert_eq!(found.len(), 1, "{}", record.key());
        let want = pools
            .iter()
            .find(|p| Some(p.pool_id.as_str()) == s.pool.as_deref())
            .expect("declared");
        assert_eq!(found[0].id, want.pool_id);
        assert_eq!(found[0].name.as_deref(), want.name());
        assert_eq!(found[0].label(), want.name().unwrap_or_default());
    }
}

#[tokio::test]
async fn large_pools_are_read_page_by_page() {
    let seed = Seed::synthetic(&["us-east-1"], 10_000);
    let emulator = Emulator::start_local(seed.clone()).await.expect("emulator");
    let api = connect(&emulator, &["us-east-1"]).await;
    let pools = api.pools("us-east-1").await.expect("pools");
    assert_eq!(actual(&pools), expected(&seed, "us-east-1"));
    assert!(
        pools.iter().any(|p| p.members.len() > 100),
        "a pool spans pages: {:?}",
        pools.iter().map(|p| p.members.len()).collect::<Vec<_>>()
    );
    let received = emulator.received();
    let pages: usize = pools
        .iter()
        .map(|p| p.members.len().div_ceil(100).max(1))
        .sum();
    assert_eq!(received.count("ListPoolOriginationIdentities"), pages);
    assert_eq!(received.count("DescribePools"), 1);
    assert_eq!(received.count("ListTagsForResource"), pools.len());
}

#[tokio::test]
async fn denied_pool_reads_are_recognised_and_denied_tags_only_lose_the_name() {
    let seed = Seed::demo();
    let emulator = Emulator::start_local(seed.clone()).await.expect("emulator");
    let api = connect(&emulator, &["eu-west-1"]).await;
    let deny = |operations: &[&str]| {
        emulator.set_faults(Faults {
            denied_operations: operations.iter().map(|o| (*o).to_owned()).collect(),
            ..Faults::default()
        });
    };

    for denied in [
        &["DescribePools", "ListPoolOriginationIdentities"][..],
        &["DescribePools"],
        &["ListPoolOriginationIdentities"],
    ] {
        deny(denied);
        let error = api.pools("eu-west-1").await.expect_err("denied");
        assert!(error.is_access_denied(), "{denied:?}: {error:?}");
        assert!(!error.is_not_found() && !error.outcome_unknown());
        assert!(
            error.message.contains("not authorized"),
            "{}",
            error.message
        );
    }

    deny(&["ListTagsForResource"]);
    let pools = api
        .pools("eu-west-1")
        .await
        .expect("pools without their tags");
    let mut want = expected(&seed, "eu-west-1");
    for pool in &mut want {
        pool.2 = None;
    }
    assert_eq!(actual(&pools), want, "members still read, names left out");

    deny(&[]);
    let pools = api.pools("eu-west-1").await.expect("pools");
    assert_eq!(actual(&pools), expected(&seed, "eu-west-1"));
}
