//! Reading a resource's tags (ListTagsForResource): one paced read per resource, on the region's
//! read lane like every listing. Keys and values are cleaned of control characters as they
//! arrive (they are shown, filtered on and may be copied), and kept in the service's order.

use super::{Api, errors};
use crate::domain::ApiError;
use crate::pacing::Op;
use crate::sanitize::clean;

impl Api {
    /// The tags of the resource `arn` in `region`, as (key, value) pairs.
    pub async fn tags(&self, region: &str, arn: &str) -> Result<Vec<(String, String)>, ApiError> {
        let client = self.reader(region)?;
        let out = self
            .paced(region, Op::Read, || {
                let request = client.list_tags_for_resource().resource_arn(arn);
                async move { request.send().await.map_err(|e| errors::from_list_tags(&e)) }
            })
            .await?;
        Ok(out
            .tags()
            .iter()
            .map(|t| (clean(t.key()), clean(t.value())))
            .collect())
    }
}
