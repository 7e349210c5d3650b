//! Pools in the domain's words: a [`Pool`] of one region with its ID, ARN, the name its `Name` tag
//! gives it (when the tags could be read) and its members, each a sender ID named by the ARN that
//! DescribeSenderIds also reports; and [`PoolMembership`], which answers "which pools hold this
//! sender ID?" by ARN, the only identifier both APIs share. A sender ID in a pool cannot be
//! released (the service refuses with SENDER_ID_ASSOCIATED_TO_POOL), so the review lists it apart.

use std::collections::HashMap;

/// A sender ID in a pool, as ListPoolOriginationIdentities reports it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PoolMember {
    pub sender_id: String,
    pub country: String,
    /// The sender ID's ARN (`OriginationIdentityArn`): what matches it to a listed sender ID.
    pub arn: String,
}

/// One pool of one region and the sender IDs in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pool {
    pub region: String,
    pub id: String,
    pub arn: String,
    /// The `Name` tag; `None` when the pool has none or its tags could not be read.
    pub name: Option<String>,
    /// Its sender IDs (phone numbers and other origination identities are left out).
    pub members: Vec<PoolMember>,
}

impl Pool {
    /// Its name, else its ID: how to refer to it in one word.
    pub fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }

    /// Whether the sender ID with this ARN is in the pool.
    pub fn contains(&self, arn: &str) -> bool {
        self.members.iter().any(|m| m.arn == arn)
    }
}

/// Pools indexed by the ARNs of their sender IDs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PoolMembership {
    pools: Vec<Pool>,
    by_arn: HashMap<String, Vec<usize>>,
}

impl PoolMembership {
    pub fn new(pools: Vec<Pool>) -> Self {
        let mut by_arn: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, pool) in pools.iter().enumerate() {
            for member in &pool.members {
                let holders = by_arn.entry(member.arn.clone()).or_default();
                if !holders.contains(&index) {
                    holders.push(index);
                }
            }
        }
        Self { pools, by_arn }
    }

    /// Adds the pools of another region (or another read).
    pub fn extend(&mut self, pools: Vec<Pool>) {
        let mut all = std::mem::take(&mut self.pools);
        all.extend(pools);
        *self = Self::new(all);
    }

    pub fn pools(&self) -> &[Pool] {
        &self.pools
    }

    /// The pools that hold the sender ID with this ARN (a sender ID may be in several).
    pub fn pools_of(&self, arn: &str) -> impl Iterator<Item = &Pool> {
        self.by_arn
            .get(arn)
            .into_iter()
            .flatten()
            .filter_map(|&index| self.pools.get(index))
    }

    /// Whether any pool holds the sender ID with this ARN.
    pub fn is_pooled(&self, arn: &str) -> bool {
        self.by_arn.contains_key(arn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(id: &str, name: Option<&str>, arns: &[&str]) -> Pool {
        Pool {
            region: "us-east-1".into(),
            id: id.into(),
            arn: format!("arn:aws:sms-voice:us-east-1:111122223333:pool/{id}"),
            name: name.map(Into::into),
            members: arns
                .iter()
                .map(|arn| PoolMember {
                    sender_id: "ACME".into(),
                    country: "GB".into(),
                    arn: (*arn).into(),
                })
                .collect(),
        }
    }

    #[test]
    fn sender_ids_are_found_by_arn_in_every_pool_that_holds_them() {
        let mut membership = PoolMembership::new(vec![pool("pool-a", Some("otp"), &["x", "y"])]);
        membership.extend(vec![pool("pool-b", None, &["y", "y"])]);
        let of = |arn| {
            membership
                .pools_of(arn)
                .map(Pool::label)
                .collect::<Vec<_>>()
        };
        assert_eq!(of("x"), ["otp"]);
        assert_eq!(of("y"), ["otp", "pool-b"]);
        assert!(of("z").is_empty());
        assert!(membership.is_pooled("y") && !membership.is_pooled("z"));
        assert!(membership.pools()[0].contains("x"));
    }
}
