//! Generates large, plausible inventories for load tests and benchmarks (`--synthetic N`): brand-like
//! sender IDs in the countries that support them, each with its country's price, a realistic mix of
//! message types, registrations, deletion protection, pools, sharing, limits and tags. Each region
//! gets four named pools of this account, and only this account's sender IDs are put in them.
//! Generation is deterministic from a seed number and the region name, so a test can rely on what
//! it gets.

use std::collections::HashSet;

use serde_json::json;

use super::arn::{CALLER_ACCOUNT, SHARING_ACCOUNT, sender_id_arn};
use super::pool::SeedPool;
use super::prices::{COUNTRIES, Support};
use super::sender::SeedSenderId;

const STEMS: &[&str] = &[
    "ACME", "GLOBEX", "INITECH", "UMBRELA", "HOOLI", "STARK", "WAYNE", "WONKA", "TYRELL",
    "SOYLENT", "VANDLAY", "NAKATMI", "DUNDER", "OSCORP", "BLUTH", "PIXEL", "NIMBUS", "ORBIT",
    "VERTEX", "ZENITH", "NOVA", "APEX", "LUMEN", "QUANTA", "SWIFT", "BRIGHT", "METRO", "URBAN",
    "FRESH", "HALO", "CEDAR", "MAPLE", "RIVER", "SUMMIT", "HARBOR", "ATLAS", "POLAR", "SOLAR",
    "CORAL", "EMBER", "FALCON", "KITE", "LOTUS", "MOSAIC", "OPAL", "PRISM", "RADIUS", "SAGE",
    "TIDAL", "VELA",
];
const SUFFIXES: &[&str] = &[
    "", "BANK", "PAY", "OTP", "-OTP", "INFO", "SHOP", "CARE", "TAXI", "FOOD", "CLUB", "MED", "GO",
    "-ID", "AUTH", "NEWS", "HOME", "BET", "FLY", "_TX",
];

/// `count` new sender IDs in `region`, none of whose ARNs is in `taken` (which is updated), and
/// the region's pools.
pub(crate) fn generate(
    region: &str,
    count: usize,
    seed: u64,
    taken: &mut HashSet<String>,
) -> (Vec<SeedSenderId>, Vec<SeedPool>) {
    let region_hash = region.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let mut rng = fastrand::Rng::with_seed(seed ^ region_hash);
    let countries: Vec<(&str, Support, &str)> = COUNTRIES
        .iter()
        .copied()
        .filter(|(_, s, _)| *s != Support::Unsupported)
        .collect();
    let pools: Vec<String> = (0..4)
        .map(|_| format!("pool-{}", hex32(&mut rng)))
        .collect();
    let declared = pools
        .iter()
        .enumerate()
        .map(|(n, id)| {
            let mut pool = SeedPool::implicit(region, CALLER_ACCOUNT, id);
            pool.tags = vec![("Name".to_owned(), format!("synthetic-{region}-{}", n + 1))];
            pool
        })
        .collect();
    let mut fallback = 0_u64;
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let (country, support, price) = countries[rng.usize(..countries.len())];
        let shared = rng.u8(..100) < 1;
        let account = if shared {
            SHARING_ACCOUNT
        } else {
            CALLER_ACCOUNT
        };
        let mut name = None;
        for attempt in 0..6 {
            let stem = STEMS[rng.usize(..STEMS.len())];
            let candidate = if attempt < 3 {
                format!("{stem}{}", SUFFIXES[rng.usize(..SUFFIXES.len())])
            } else {
                let short: String = stem.chars().take(6).collect();
                format!("{short}{}", rng.u32(..100_000))
            };
            let arn = sender_id_arn(region, account, &candidate, country);
            if candidate.len() <= 11 && !taken.contains(&arn) {
                name = Some((candidate, arn));
                break;
            }
        }
        let (sender_id, arn) = match name {
            Some(found) => found,
            None => loop {
                fallback += 1;
                let candidate = format!("SID{fallback:08}");
                let arn = sender_id_arn(region, account, &candidate, country);
                if !taken.contains(&arn) {
                    break (candidate, arn);
                }
            },
        };
        taken.insert(arn);
        out.push(record(
            &mut rng,
            region,
            account,
            sender_id,
            (country, support, price),
            &pools,
        ));
    }
    (out, declared)
}

fn record(
    rng: &mut fastrand::Rng,
    region: &str,
    account: &str,
    sender_id: String,
    (country, support, price): (&str, Support, &str),
    pools: &[String],
) -> SeedSenderId {
    let message_types = match rng.u8(..10) {
        0..=4 => vec!["TRANSACTIONAL".to_owned()],
        5..=6 => vec!["PROMOTIONAL".to_owned()],
        _ => vec!["TRANSACTIONAL".to_owned(), "PROMOTIONAL".to_owned()],
    };
    let registered = support == Support::Registration || rng.u8(..100) < 15;
    let registration_id = registered.then(|| format!("registration-{}", hex32(rng)));
    let messaging_limits = (rng.u8(..100) < 20).then(|| {
        let rate = [1, 5, 10, 20, 50][rng.usize(..5)];
        json!({"RateLimits": {"SMS": rate}})
    });
    let mut tags = Vec::new();
    if rng.u8(..100) < 10 {
        let env = if rng.bool() { "prod" } else { "staging" };
        tags.push(("env".to_owned(), env.to_owned()));
        let team = ["payments", "growth", "security", "support"][rng.usize(..4)];
        tags.push(("team".to_owned(), team.to_owned()));
    }
    SeedSenderId {
        region: region.to_owned(),
        account: account.to_owned(),
        sender_id,
        iso_country_code: country.to_owned(),
        message_types,
        monthly_leasing_price: price.to_owned(),
        deletion_protection_enabled: rng.u8(..100) < 10,
        registered,
        registration_id,
        // A pool holds only its own account's sender IDs.
        pool: (rng.u8(..100) < 5)
            .then(|| pools[rng.usize(..pools.len())].clone())
            .filter(|_| account == CALLER_ACCOUNT),
        messaging_limits,
        pricing_tier: None,
        tags,
    }
}

fn hex32(rng: &mut fastrand::Rng) -> String {
    format!("{:032x}", rng.u128(..))
}
