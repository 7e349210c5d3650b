//! What the session knows of sender IDs' tags (ListTagsForResource, one call per sender ID):
//! read lazily for the row the operator looks at (the cursor resting on it for two ticks, or
//! the detail pane opened), or for every sender ID at once with `T` (paced, with progress in
//! the header) so the filter's `tag:` terms can see them. Each read is kept until the next
//! reload; a refusal is kept too (AccessDenied shows as "not permitted"), so nothing is asked
//! twice.

use crate::action::Effect;
use crate::domain::{ApiError, Key, SenderIdRecord};
use std::collections::{BTreeMap, HashMap};

/// How many ticks the cursor rests on a row before its tags are read.
const REST_TICKS: u8 = 2;

/// What a read of a sender ID's tags needs: its key, and the ARN the call names.
pub fn target(r: &SenderIdRecord) -> (Key, String) {
    (r.key(), r.arn.clone())
}

/// Where one sender ID's tags stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagRead {
    Reading,
    Read(Vec<(String, String)>),
    /// Could not be read (why); AccessDenied among them.
    Failed(ApiError),
}

/// A read of every sender ID's tags (`T`) under way or done.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub asked: usize,
    pub answered: usize,
    pub denied: usize,
    pub failed: usize,
}

impl Progress {
    pub fn done(&self) -> bool {
        self.answered >= self.asked
    }
}

#[derive(Debug, Default)]
pub struct Tags {
    by_key: HashMap<Key, TagRead>,
    /// The sender ID the cursor rests on, and for how many ticks.
    resting: Option<(Key, u8)>,
    /// The read of every sender ID's tags, when one was asked for since the last reload.
    all: Option<Progress>,
    /// Counts every change of what is known, so what is derived from the tags (the `tag:`
    /// filter's facts) is worked out again only when they changed.
    version: u64,
}

impl Tags {
    /// A fresh load: nothing known.
    pub fn clear(&mut self) {
        let version = self.version + 1;
        *self = Self {
            version,
            ..Self::default()
        };
    }

    /// Changes whenever a sender ID's tags are read (or the tags are cleared).
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Every sender ID whose tags were read, with its tags.
    pub fn all_read_tags(&self) -> impl Iterator<Item = (&Key, &[(String, String)])> {
        self.by_key.iter().filter_map(|(k, t)| match t {
            TagRead::Read(tags) => Some((k, tags.as_slice())),
            _ => None,
        })
    }

    /// What is known of a sender ID's tags.
    pub fn of(&self, key: &Key) -> Option<&TagRead> {
        self.by_key.get(key)
    }

    /// The tags of a sender ID, when they were read.
    pub fn read_of(&self, key: &Key) -> Option<&[(String, String)]> {
        match self.by_key.get(key) {
            Some(TagRead::Read(tags)) => Some(tags),
            _ => None,
        }
    }

    /// The read of every sender ID's tags (`T`), when one was asked for.
    pub fn progress(&self) -> Option<Progress> {
        self.all
    }

    /// True once `T` read every sender ID's tags (each answered or refused).
    pub fn all_read(&self) -> bool {
        self.all.is_some_and(|p| p.done())
    }

    /// A tick passed with the cursor on `key` (or on no sender ID): true when it has rested
    /// there long enough and its tags are not known yet.
    pub fn rest(&mut self, key: Option<&Key>) -> bool {
        let Some(key) = key else {
            self.resting = None;
            return false;
        };
        let ticks = match &self.resting {
            Some((k, n)) if k == key => n.saturating_add(1),
            _ => 1,
        };
        self.resting = Some((key.clone(), ticks));
        ticks >= REST_TICKS && !self.by_key.contains_key(key)
    }

    /// Reads the tags of `targets` (key and ARN) not known or being read yet: one effect per
    /// region, the sender IDs read one after the other on its read lane.
    pub fn request(
        &mut self,
        generation: u64,
        targets: impl IntoIterator<Item = (Key, String)>,
    ) -> Vec<Effect> {
        let mut by_region: BTreeMap<String, Vec<(Key, String)>> = BTreeMap::new();
        for (key, arn) in targets {
            if self.by_key.contains_key(&key) {
                continue;
            }
            self.by_key.insert(key.clone(), TagRead::Reading);
            by_region
                .entry(key.region.clone())
                .or_default()
                .push((key, arn));
        }
        by_region
            .into_iter()
            .map(|(region, targets)| Effect::ReadTags {
                generation,
                region,
                targets,
            })
            .collect()
    }

    /// `T`: every one of `targets` (every sender ID) is to be read; the progress counts those
    /// not answered yet, the ones already being read among them.
    pub fn request_all(
        &mut self,
        generation: u64,
        targets: impl IntoIterator<Item = (Key, String)>,
    ) -> Vec<Effect> {
        let targets: Vec<(Key, String)> = targets.into_iter().collect();
        let effects = self.request(generation, targets.iter().cloned());
        let asked = targets
            .iter()
            .filter(|(key, _)| self.by_key.get(key) == Some(&TagRead::Reading))
            .count();
        self.all = Some(Progress {
            asked,
            ..Progress::default()
        });
        effects
    }

    /// One sender ID's tags came back (or could not be read). When that ends a `T` read, the
    /// sentence that says how it went.
    pub fn read(
        &mut self,
        key: Key,
        result: Result<Vec<(String, String)>, ApiError>,
    ) -> Option<String> {
        let was_reading = self.by_key.get(&key) == Some(&TagRead::Reading);
        let mut finished = None;
        if let Some(all) = self.all.as_mut().filter(|p| !p.done() && was_reading) {
            all.answered += 1;
            match &result {
                Err(e) if e.is_access_denied() => all.denied += 1,
                Err(_) => all.failed += 1,
                Ok(_) => {}
            }
            finished = all.done().then_some(*all);
        }
        self.version += 1;
        self.by_key.insert(
            key,
            match result {
                Ok(tags) => TagRead::Read(tags),
                Err(e) => TagRead::Failed(e),
            },
        );
        finished.map(|all| {
            let mut line = format!(
                "tags read for {} sender ID(s)",
                all.answered - all.denied - all.failed
            );
            if all.denied > 0 {
                line.push_str(&format!("; {} not permitted", all.denied));
            }
            if all.failed > 0 {
                line.push_str(&format!(
                    "; {} failed (the detail pane says why)",
                    all.failed
                ));
            }
            line.push_str(" · tag:KEY=VALUE filters on them");
            line
        })
    }
}
