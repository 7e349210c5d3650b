//! `Api::pools` against the emulator in hostile mode on 127.0.0.1, through `aws::connect` and the
//! real SDK: escaped pool IDs, ARNs, names and members come back clean; pools or members without
//! what identifies them, and page tokens that loop or grow, end in one clear error within a bound;
//! an AccessDenied full of escapes is still recognised as AccessDenied, and clean.

use crate::common::hostile::{REGION, assert_clean, assert_error_clean, bounded, hostile_api};
use sidman::aws::ErrorKind;
use sidman::emulator::Hostile;

#[tokio::test]
async fn escaped_pools_names_and_members_come_back_clean() {
    let (emulator, api) = hostile_api(Hostile::Escapes).await;
    let pools = bounded("pools", api.pools(REGION)).await.expect("pools");
    assert_eq!(pools.len(), 2, "the escaped page token was followed");
    for pool in &pools {
        let name = pool.name.as_deref().expect("the Name tag was read");
        assert!(
            name.contains('\u{fffd}'),
            "shown, with escapes made visible"
        );
        for s in [&pool.id, &pool.arn, &pool.region, &name.to_owned()] {
            assert_clean("pool", s);
        }
        assert_eq!(pool.members.len(), 2);
        for m in &pool.members {
            for s in [&m.sender_id, &m.country, &m.arn] {
                assert_clean("member", s);
            }
        }
    }
    assert_eq!(emulator.received().count("DescribePools"), 2);
}

#[tokio::test]
async fn unidentified_pools_and_broken_tokens_are_errors() {
    let cases = [
        (Hostile::MissingMembers, "IncompletePools"),
        (Hostile::RepeatingToken, "RepeatedNextToken"),
        (Hostile::HugeToken { chars: 20_000 }, "InvalidNextToken"),
    ];
    for (mode, code) in cases {
        let (_emulator, api) = hostile_api(mode.clone()).await;
        let error = bounded("pools", api.pools(REGION))
            .await
            .expect_err("not a usable answer");
        assert_eq!(error.code, code, "{mode:?}: {error:?}");
        assert_eq!(error.kind, ErrorKind::BadResponse);
        assert!(
            error.message.contains("pool"),
            "{mode:?}: {}",
            error.message
        );
        assert_error_clean("pools", &error);
    }
}

#[tokio::test]
async fn hostile_refusals_are_recognised_and_clean() {
    let (_emulator, api) = hostile_api(Hostile::ErrorBodies).await;
    let error = bounded("pools", api.pools(REGION))
        .await
        .expect_err("refused");
    assert!(error.is_access_denied(), "{error:?}");
    assert_error_clean("access denied", &error);
    let (_emulator, api) = hostile_api(Hostile::ServerFault).await;
    let error = bounded("pools", api.pools(REGION))
        .await
        .expect_err("a fault");
    assert_eq!(error.kind, ErrorKind::ServerFault);
    assert!(!error.is_access_denied());
    assert_error_clean("server fault", &error);
}
