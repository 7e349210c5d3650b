//! DescribePools and ListPoolOriginationIdentities through the real SDK client: the model's
//! shapes, pools holding exactly the seed's pooled sender IDs, pool tags, paging with opaque
//! tokens bound to their query, validation, ResourceNotFound, regions kept apart, and the fault
//! knobs (AccessDenied by operation, throttling, server errors).

use std::collections::BTreeSet;

use crate::support::{client, tag};
use aws_sdk_pinpointsmsvoicev2 as sms;
use sidman::emulator::{Emulator, Faults, Seed, SeedPool};
use sms::operation::describe_pools::DescribePoolsError;
use sms::operation::list_pool_origination_identities::ListPoolOriginationIdentitiesError;
use sms::types::{
    MessageType, NumberCapability, Owner, PoolFilter, PoolFilterName, PoolInformation,
    PoolOriginationIdentitiesFilter, PoolOriginationIdentitiesFilterName, PoolStatus, ResourceType,
    ValidationExceptionReason,
};

const REGIONS: [&str; 3] = ["us-east-1", "eu-west-1", "ap-southeast-2"];

fn pool_filter(name: &str, values: &[&str]) -> PoolFilter {
    let mut builder = PoolFilter::builder().name(PoolFilterName::from(name));
    for value in values {
        builder = builder.values(*value);
    }
    builder.build().expect("a pool filter")
}

fn member_filter(name: &str, values: &[&str]) -> PoolOriginationIdentitiesFilter {
    let mut builder = PoolOriginationIdentitiesFilter::builder()
        .name(PoolOriginationIdentitiesFilterName::from(name));
    for value in values {
        builder = builder.values(*value);
    }
    builder.build().expect("a member filter")
}

/// (ARN, sender ID, country) of the seed's sender IDs in a pool.
fn seeded_members(seed: &Seed, pool: &SeedPool) -> BTreeSet<(String, String, String)> {
    seed.sender_ids
        .iter()
        .filter(|s| s.pool.as_deref() == Some(pool.pool_id.as_str()))
        .map(|s| (s.arn(), s.sender_id.clone(), s.iso_country_code.clone()))
        .collect()
}

/// Every page of DescribePools (with `page_size`), and the tokens issued.
async fn all_pools(
    client: &sms::Client,
    page_size: Option<i32>,
) -> (Vec<PoolInformation>, Vec<String>) {
    let (mut pools, mut tokens) = (Vec::new(), Vec::new());
    let mut next: Option<String> = None;
    loop {
        let page = client
            .describe_pools()
            .set_max_results(page_size)
            .set_next_token(next.take())
            .send()
            .await
            .expect("a page of pools");
        if let Some(size) = page_size {
            assert!(page.pools().len() <= size as usize);
        }
        pools.extend(page.pools().iter().cloned());
        match page.next_token() {
            Some(token) => {
                tokens.push(token.to_owned());
                next = Some(token.to_owned());
            }
            None => return (pools, tokens),
        }
    }
}

/// Every member of a pool (ID or ARN) as (ARN, sender ID, country), and the tokens issued.
async fn all_members(
    client: &sms::Client,
    pool: &str,
    page_size: Option<i32>,
    filters: &[PoolOriginationIdentitiesFilter],
) -> (BTreeSet<(String, String, String)>, Vec<String>) {
    let (mut members, mut tokens) = (BTreeSet::new(), Vec::new());
    let mut next: Option<String> = None;
    loop {
        let page = client
            .list_pool_origination_identities()
            .pool_id(pool)
            .set_filters(Some(filters.to_vec()))
            .set_max_results(page_size)
            .set_next_token(next.take())
            .send()
            .await
            .expect("a page of members");
        for m in page.origination_identities() {
            assert_eq!(m.number_capabilities(), [NumberCapability::Sms]);
            assert_eq!(m.phone_number(), None);
            let fresh = members.insert((
                m.origination_identity_arn().to_owned(),
                m.origination_identity().to_owned(),
                m.iso_country_code().to_owned(),
            ));
            assert!(fresh, "a member is listed once");
        }
        match page.next_token() {
            Some(token) => {
                tokens.push(token.to_owned());
                next = Some(token.to_owned());
            }
            None => return (members, tokens),
        }
    }
}

#[tokio::test]
async fn the_demo_pools_have_the_model_shape_and_hold_exactly_the_pooled_sender_ids() {
    let seed = Seed::demo();
    let emulator = Emulator::start_local(seed.clone()).await.expect("emulator");
    let mut pooled_seen = 0;
    for region in REGIONS {
        let client = client(&emulator.endpoint_url(), region);
        let (pools, tokens) = all_pools(&client, None).await;
        assert!(tokens.is_empty());
        let expected: Vec<SeedPool> = seed
            .all_pools()
            .into_iter()
            .filter(|p| p.region == region)
            .collect();
        assert!(!expected.is_empty(), "the demo has a pool in {region}");
        assert_eq!(
            pools.len(),
            expected.len(),
            "{region}: regions are kept apart"
        );
        for (pool, seeded) in pools.iter().zip(&expected) {
            assert_eq!(pool.pool_id(), seeded.pool_id);
            assert!(pool.pool_id().starts_with("pool-") && pool.pool_id().len() == 37);
            assert_eq!(
                pool.pool_arn(),
                format!(
                    "arn:aws:sms-voice:{region}:111122223333:pool/{}",
                    seeded.pool_id
                )
            );
            assert_eq!(pool.status(), &PoolStatus::Active);
            assert_eq!(
                pool.message_type(),
                &MessageType::from(seeded.message_type.as_str())
            );
            assert_eq!(
                pool.deletion_protection_enabled(),
                seeded.deletion_protection_enabled
            );
            assert!(!pool.two_way_enabled() && !pool.self_managed_opt_outs_enabled());
            assert!(!pool.shared_routes_enabled());
            assert_eq!(pool.opt_out_list_name(), "Default");
            assert_eq!(pool.created_timestamp().secs(), seeded.created_timestamp);

            let want = seeded_members(&seed, seeded);
            assert!(!want.is_empty());
            pooled_seen += want.len();
            let (by_id, _) = all_members(&client, pool.pool_id(), None, &[]).await;
            assert_eq!(by_id, want, "{region} {}", pool.pool_id());
            let (by_arn, _) = all_members(&client, pool.pool_arn(), Some(1), &[]).await;
            assert_eq!(by_arn, want, "the pool named by its ARN, one member a page");
            let page = client
                .list_pool_origination_identities()
                .pool_id(pool.pool_arn())
                .send()
                .await
                .expect("members");
            assert_eq!(
                (page.pool_id(), page.pool_arn()),
                (Some(pool.pool_id()), Some(pool.pool_arn()))
            );

            let tags = client
                .list_tags_for_resource()
                .resource_arn(pool.pool_arn())
                .send()
                .await
                .expect("a pool's tags");
            let name = tags.tags().iter().find(|t| t.key() == "Name");
            assert_eq!(name.map(|t| t.value()), seeded.name(), "the Name tag");
        }
    }
    let pooled = seed.sender_ids.iter().filter(|s| s.pool.is_some()).count();
    assert_eq!(pooled_seen, pooled, "every pooled sender ID is in its pool");
}

#[tokio::test]
async fn pool_tags_can_be_changed_like_a_sender_ids() {
    let emulator = Emulator::start_local(Seed::demo()).await.expect("emulator");
    let client = client(&emulator.endpoint_url(), "eu-west-1");
    let pool = &emulator.pools("eu-west-1")[0];
    let arn = pool.arn();
    client
        .tag_resource()
        .resource_arn(&arn)
        .tags(tag("Name", "renamed"))
        .tags(tag("owner", "ops"))
        .send()
        .await
        .expect("tagged");
    let tags = emulator.tags(&arn).expect("the pool has tags");
    assert!(tags.contains(&("Name".to_owned(), "renamed".to_owned())));
    assert_eq!(emulator.pools("eu-west-1")[0].name(), Some("renamed"));
    client
        .untag_resource()
        .resource_arn(&arn)
        .tag_keys("Name")
        .send()
        .await
        .expect("untagged");
    assert_eq!(emulator.pools("eu-west-1")[0].name(), None);

    let elsewhere = crate::support::client(&emulator.endpoint_url(), "us-east-1");
    let error = elsewhere
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .expect_err("another region's pool")
        .into_service_error();
    assert!(error.is_resource_not_found_exception(), "{error:?}");
    let unknown = arn.replace(&pool.pool_id, "pool-00000000000000000000000000000000");
    let error = client
        .list_tags_for_resource()
        .resource_arn(unknown)
        .send()
        .await
        .expect_err("no such pool")
        .into_service_error();
    assert!(error.is_resource_not_found_exception(), "{error:?}");
}

#[tokio::test]
async fn pages_resume_after_their_cursor_and_tokens_are_bound_to_their_query() {
    let seed = Seed::synthetic(&["us-east-1", "eu-west-1"], 2_000);
    let emulator = Emulator::start_local(seed.clone()).await.expect("emulator");
    let client = client(&emulator.endpoint_url(), "us-east-1");
    let (pools, tokens) = all_pools(&client, Some(1)).await;
    assert_eq!(pools.len(), 4);
    assert_eq!(tokens.len(), 3, "a token only while more remain");
    assert_eq!(
        tokens.iter().collect::<BTreeSet<_>>().len(),
        3,
        "never repeated"
    );
    let ids: Vec<&str> = pools.iter().map(PoolInformation::pool_id).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted, "pools come in a stable order");

    let expected: Vec<SeedPool> = seed
        .all_pools()
        .into_iter()
        .filter(|p| p.region == "us-east-1")
        .collect();
    let (whole, _) = all_members(&client, &expected[0].pool_id, None, &[]).await;
    assert_eq!(whole, seeded_members(&seed, &expected[0]));
    assert!(whole.len() > 7, "enough members to page: {}", whole.len());
    let (paged, member_tokens) = all_members(&client, &expected[0].pool_id, Some(3), &[]).await;
    assert_eq!(paged, whole);
    assert_eq!(member_tokens.len(), (whole.len() - 1) / 3);

    let country = whole.iter().next().map(|m| m.2.clone()).expect("a member");
    let filters = [member_filter("iso-country-code", &[&country])];
    let (in_country, _) = all_members(&client, &expected[0].pool_id, Some(2), &filters).await;
    let want: BTreeSet<_> = whole.iter().filter(|m| m.2 == country).cloned().collect();
    assert_eq!(in_country, want);
    let voice_only = [member_filter("number-capability", &["VOICE"])];
    let (none, _) = all_members(&client, &expected[0].pool_id, None, &voice_only).await;
    assert!(none.is_empty(), "sender IDs send SMS only");

    // A token is good only for the query, operation and region that issued it.
    let first = client
        .list_pool_origination_identities()
        .pool_id(&expected[0].pool_id)
        .max_results(1)
        .send()
        .await
        .expect("page");
    let member_token = first.next_token().expect("more members").to_owned();
    let misuses = [
        client
            .list_pool_origination_identities()
            .pool_id(&expected[1].pool_id)
            .next_token(&member_token)
            .max_results(1)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| format!("{:?}", e.into_service_error())),
        client
            .describe_pools()
            .next_token(&member_token)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| format!("{:?}", e.into_service_error())),
        client
            .list_pool_origination_identities()
            .pool_id(&expected[0].pool_id)
            .next_token(&tokens[0])
            .send()
            .await
            .map(|_| ())
            .map_err(|e| format!("{:?}", e.into_service_error())),
        crate::support::client(&emulator.endpoint_url(), "eu-west-1")
            .describe_pools()
            .max_results(1)
            .next_token(&tokens[0])
            .send()
            .await
            .map(|_| ())
            .map_err(|e| format!("{:?}", e.into_service_error())),
    ];
    for (n, outcome) in misuses.into_iter().enumerate() {
        let error = outcome.expect_err("refused");
        assert!(
            error.contains("ValidationException") && error.contains("InvalidNextToken"),
            "misuse {n}: {error}"
        );
    }
}

#[tokio::test]
async fn filters_owner_and_named_pools() {
    let emulator = Emulator::start_local(Seed::demo()).await.expect("emulator");
    let client = client(&emulator.endpoint_url(), "us-east-1");
    let own = emulator.pools("us-east-1");
    let count = |filters: Vec<PoolFilter>, owner: Option<Owner>| {
        let call = client
            .describe_pools()
            .set_filters(Some(filters))
            .set_owner(owner);
        async move { call.send().await.expect("pools").pools().len() }
    };
    assert_eq!(
        count(vec![pool_filter("status", &["ACTIVE"])], None).await,
        own.len()
    );
    assert_eq!(
        count(vec![pool_filter("status", &["DELETING"])], None).await,
        0
    );
    assert_eq!(
        count(vec![pool_filter("message-type", &["PROMOTIONAL"])], None).await,
        own.iter()
            .filter(|p| p.message_type == "PROMOTIONAL")
            .count()
    );
    assert_eq!(
        count(
            vec![pool_filter("deletion-protection-enabled", &["TRUE"])],
            None
        )
        .await,
        own.iter().filter(|p| p.deletion_protection_enabled).count()
    );
    assert_eq!(
        count(
            vec![
                pool_filter("status", &["ACTIVE"]),
                pool_filter("two-way-enabled", &["true"])
            ],
            None
        )
        .await,
        0,
        "filters AND together"
    );
    assert_eq!(
        count(vec![pool_filter("opt-out-list-name", &["Default"])], None).await,
        own.len()
    );
    assert_eq!(count(vec![], Some(Owner::SelfValue)).await, own.len());
    assert_eq!(count(vec![], Some(Owner::Shared)).await, 0);

    let named = client
        .describe_pools()
        .pool_ids(&own[0].pool_id)
        .pool_ids(own[0].arn())
        .send()
        .await
        .expect("named pools");
    assert_eq!(
        named.pools().len(),
        1,
        "the same pool named twice is listed once"
    );

    let unknown = "pool-00000000000000000000000000000000";
    let error = client
        .describe_pools()
        .pool_ids(&own[0].pool_id)
        .pool_ids(unknown)
        .send()
        .await
        .expect_err("an unknown pool")
        .into_service_error();
    let DescribePoolsError::ResourceNotFoundException(e) = &error else {
        panic!("ResourceNotFound, got {error:?}");
    };
    assert_eq!(e.resource_type(), Some(&ResourceType::Pool));
    assert_eq!(e.resource_id(), Some(unknown));
    let other_region = &emulator.pools("eu-west-1")[0];
    for id in [
        other_region.pool_id.clone(),
        other_region.arn(),
        unknown.to_owned(),
        String::new(),
    ] {
        let error = client
            .list_pool_origination_identities()
            .pool_id(&id)
            .send()
            .await
            .expect_err("not a pool of this region")
            .into_service_error();
        assert!(
            matches!(
                error,
                ListPoolOriginationIdentitiesError::ResourceNotFoundException(_)
            ),
            "{id:?}: {error:?}"
        );
    }
}

#[tokio::test]
async fn invalid_requests_are_validation_errors() {
    let emulator = Emulator::start_local(Seed::demo()).await.expect("emulator");
    let client = client(&emulator.endpoint_url(), "us-east-1");
    let pool = emulator.pools("us-east-1")[0].pool_id.clone();
    let reason = |error: DescribePoolsError| match error {
        DescribePoolsError::ValidationException(v) => v.reason().cloned(),
        other => panic!("a ValidationException, got {other:?}"),
    };
    let describe =
        |max: Option<i32>, ids: usize, filters: Vec<PoolFilter>, owner: Option<Owner>| {
            let call = client
                .describe_pools()
                .set_max_results(max)
                .set_pool_ids(Some(vec![pool.clone(); ids]).filter(|v| !v.is_empty()))
                .set_filters(Some(filters).filter(|f| !f.is_empty()))
                .set_owner(owner);
            async move { call.send().await.expect_err("invalid").into_service_error() }
        };
    let field = Some(ValidationExceptionReason::FieldValidationFailed);
    for max in [0, 101, -1] {
        assert_eq!(
            reason(describe(Some(max), 0, vec![], None).await),
            field,
            "{max}"
        );
    }
    assert_eq!(
        reason(describe(None, 6, vec![], None).await),
        field,
        "PoolIds 0-5"
    );
    assert_eq!(
        reason(describe(None, 1, vec![], Some(Owner::SelfValue)).await),
        Some(ValidationExceptionReason::ParametersCannotBeUsedTogether)
    );
    assert_eq!(
        reason(describe(None, 0, vec![pool_filter("colour", &["red"])], None).await),
        field
    );
    let many: Vec<String> = (0..21).map(|n| format!("v{n}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    assert_eq!(
        reason(describe(None, 0, vec![pool_filter("opt-out-list-name", &many)], None).await),
        field,
        "at most 20 values"
    );
    assert_eq!(
        reason(
            describe(
                None,
                0,
                vec![pool_filter("opt-out-list-name", &["has space"])],
                None
            )
            .await
        ),
        field,
        "the FilterValue pattern"
    );
    let filters = vec![pool_filter("status", &["ACTIVE"]); 21];
    assert_eq!(
        reason(describe(None, 0, filters, None).await),
        field,
        "at most 20 filters"
    );
    for (name, value) in [
        ("status", "BOGUS"),
        ("message-type", "SPAM"),
        ("two-way-enabled", "yes"),
    ] {
        assert_eq!(
            reason(describe(None, 0, vec![pool_filter(name, &[value])], None).await),
            Some(ValidationExceptionReason::InvalidFilterValues),
            "{name}={value}"
        );
    }
    let error = client
        .describe_pools()
        .pool_ids("has space")
        .send()
        .await
        .expect_err("the PoolIdOrArn pattern")
        .into_service_error();
    assert_eq!(reason(error), field);

    let list_reason = |error: ListPoolOriginationIdentitiesError| match error {
        ListPoolOriginationIdentitiesError::ValidationException(v) => v.reason().cloned(),
        other => panic!("a ValidationException, got {other:?}"),
    };
    let error = client
        .list_pool_origination_identities()
        .send()
        .await
        .expect_err("PoolId is required")
        .into_service_error();
    assert_eq!(
        list_reason(error),
        Some(ValidationExceptionReason::MissingParameter)
    );
    for filter in [
        member_filter("number-capability", &["FAX"]),
        member_filter("iso-country-code", &["gb"]),
    ] {
        let error = client
            .list_pool_origination_identities()
            .pool_id(&pool)
            .filters(filter)
            .send()
            .await
            .expect_err("invalid values")
            .into_service_error();
        assert_eq!(
            list_reason(error),
            Some(ValidationExceptionReason::InvalidFilterValues)
        );
    }
    let error = client
        .list_pool_origination_identities()
        .pool_id(&pool)
        .max_results(101)
        .send()
        .await
        .expect_err("MaxResults 1-100")
        .into_service_error();
    assert_eq!(list_reason(error), field);
}

#[tokio::test]
async fn fault_knobs_apply_to_pool_reads() {
    let emulator = Emulator::start_local(Seed::demo()).await.expect("emulator");
    let client = client(&emulator.endpoint_url(), "us-east-1");
    let pool = emulator.pools("us-east-1")[0].pool_id.clone();
    emulator.set_faults(Faults {
        denied_operations: vec![
            "DescribePools".to_owned(),
            "ListPoolOriginationIdentities".to_owned(),
        ],
        ..Faults::default()
    });
    let error = client
        .describe_pools()
        .send()
        .await
        .expect_err("denied")
        .into_service_error();
    assert!(error.is_access_denied_exception(), "{error:?}");
    assert!(
        error.to_string().contains("sms-voice:DescribePools"),
        "{error}"
    );
    let error = client
        .list_pool_origination_identities()
        .pool_id(&pool)
        .send()
        .await
        .expect_err("denied")
        .into_service_error();
    assert!(error.is_access_denied_exception(), "{error:?}");
    client
        .describe_sender_ids()
        .send()
        .await
        .expect("other operations are still allowed");
    let tags = client
        .list_tags_for_resource()
        .resource_arn(emulator.pools("us-east-1")[0].arn())
        .send()
        .await
        .expect("tags are still allowed");
    assert!(!tags.tags().is_empty());

    emulator.set_faults(Faults {
        throttle_probability: 1.0,
        ..Faults::default()
    });
    let error = client.describe_pools().send().await.expect_err("throttled");
    assert!(error.into_service_error().is_throttling_exception());
    emulator.set_faults(Faults {
        internal_error_probability: 1.0,
        ..Faults::default()
    });
    let error = client
        .list_pool_origination_identities()
        .pool_id(&pool)
        .send()
        .await
        .expect_err("a server fault");
    assert!(error.into_service_error().is_internal_server_exception());
    emulator.set_faults(Faults::default());
    client.describe_pools().send().await.expect("served again");
    let received = emulator.received();
    assert_eq!(received.count_in("DescribePools", "us-east-1"), 3);
    assert_eq!(
        received.count_in("ListPoolOriginationIdentities", "us-east-1"),
        2
    );
}
