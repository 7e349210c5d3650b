//! Reading which sender IDs are in a pool: DescribePools (this account's pools, every page), then
//! for each pool ListPoolOriginationIdentities (every page) and ListTagsForResource (its `Name`
//! tag). Every call is paced and retried like a listing's page, and every listing is bounded by
//! the same [`guard`](super::guard) (repeated or oversized tokens, page and item caps). A pool or
//! member the answer does not identify is an error, never left out quietly: a sender ID wrongly
//! thought to be outside any pool would be sent a release the service refuses.

use super::guard::{ListingGuard, broken};
use super::{Api, PAGE_SIZE, errors};
use crate::domain::{ApiError, Pool, PoolMember};
use crate::pacing::Op;
use crate::sanitize::clean;
use aws_sdk_pinpointsmsvoicev2::types::Owner;

impl Api {
    /// This account's pools in `region`, each with its `Name` tag and its sender IDs (matched to
    /// listed sender IDs by ARN, see [`crate::domain::PoolMembership`]). A pool deleted while it is
    /// read is left out; a pool whose tags may not be read has no name. AccessDenied on the pool
    /// reads themselves comes back as is ([`ApiError::is_access_denied`]): the caller cannot know
    /// which sender IDs are pooled.
    pub async fn pools(&self, region: &str) -> Result<Vec<Pool>, ApiError> {
        let mut pools = Vec::new();
        for (id, arn) in self.pool_ids(region).await? {
            let members = match self.pool_members(region, &id).await {
                Ok(members) => members,
                Err(e) if e.is_not_found() => continue,
                Err(e) => return Err(e),
            };
            let name = match self.pool_name(region, &arn).await {
                Ok(name) => name,
                Err(e) if e.is_access_denied() || e.is_not_found() => None,
                Err(e) => return Err(e),
            };
            pools.push(Pool {
                region: region.to_owned(),
                id,
                arn,
                name,
                members,
            });
        }
        Ok(pools)
    }

    /// (PoolId, PoolArn) of every pool of this account in `region`.
    async fn pool_ids(&self, region: &str) -> Result<Vec<(String, String)>, ApiError> {
        let client = self.reader(region)?;
        let mut guard = ListingGuard::of("pools");
        let mut token: Option<String> = None;
        let mut out = Vec::new();
        loop {
            let page = self
                .paced(region, Op::Read, || {
                    let request = client
                        .describe_pools()
                        .owner(Owner::SelfValue)
                        .set_next_token(token.clone())
                        .max_results(PAGE_SIZE);
                    async move {
                        request
                            .send()
                            .await
                            .map_err(|e| errors::from_describe_pools(&e))
                    }
                })
                .await?;
            let before = out.len();
            for pool in page.pools() {
                let (id, arn) = (clean(pool.pool_id()), clean(pool.pool_arn()));
                if id.trim().is_empty() || arn.trim().is_empty() {
                    return Err(incomplete(
                        "IncompletePools",
                        "a pool without its PoolId or PoolArn",
                    ));
                }
                out.push((id, arn));
            }
            let next = page.next_token().filter(|t| !t.is_empty());
            match guard.next(out.len() - before, 0, next.map(ToOwned::to_owned))? {
                Some(next) => token = Some(next),
                None => return Ok(out),
            }
        }
    }

    /// The sender IDs in pool `pool_id` (phone numbers and other identities are left out).
    async fn pool_members(&self, region: &str, pool_id: &str) -> Result<Vec<PoolMember>, ApiError> {
        let client = self.reader(region)?;
        let mut guard = ListingGuard::of("pool members");
        let mut token: Option<String> = None;
        let mut out = Vec::new();
        loop {
            let page = self
                .paced(region, Op::Read, || {
                    let request = client
                        .list_pool_origination_identities()
                        .pool_id(pool_id)
                        .set_next_token(token.clone())
                        .max_results(PAGE_SIZE);
                    async move {
                        request
                            .send()
                            .await
                            .map_err(|e| errors::from_list_pool_members(&e))
                    }
                })
                .await?;
            let identities = page.origination_identities();
            for identity in identities {
                let arn = clean(identity.origination_identity_arn());
                if arn.trim().is_empty() {
                    return Err(incomplete(
                        "IncompletePoolMembers",
                        "a pool member without its OriginationIdentityArn",
                    ));
                }
                if is_sender_id_arn(&arn) {
                    out.push(PoolMember {
                        sender_id: clean(identity.origination_identity()),
                        country: clean(identity.iso_country_code()),
                        arn,
                    });
                }
            }
            let next = page.next_token().filter(|t| !t.is_empty());
            match guard.next(identities.len(), 0, next.map(ToOwned::to_owned))? {
                Some(next) => token = Some(next),
                None => return Ok(out),
            }
        }
    }

    /// The value of the pool's `Name` tag, if it has one.
    async fn pool_name(&self, region: &str, arn: &str) -> Result<Option<String>, ApiError> {
        Ok(self
            .tags(region, arn)
            .await?
            .into_iter()
            .find_map(|(key, value)| (key == "Name").then_some(value)))
    }
}

/// Whether an origination identity's ARN names a sender ID (`…:sender-id/ID/CC`), not a phone
/// number, a pool or anything else a pool may hold.
fn is_sender_id_arn(arn: &str) -> bool {
    arn.splitn(6, ':')
        .nth(5)
        .is_some_and(|resource| resource.starts_with("sender-id/"))
}

fn incomplete(code: &str, what: &str) -> ApiError {
    broken(
        code,
        format!("the service's answer held {what}; which sender IDs are in a pool cannot be told"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sender_ids_are_members() {
        assert!(is_sender_id_arn(
            "arn:aws:sms-voice:us-east-1:111122223333:sender-id/ACME/GB"
        ));
        assert!(!is_sender_id_arn(
            "arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-123"
        ));
        assert!(!is_sender_id_arn("sender-id/ACME/GB"));
    }
}
