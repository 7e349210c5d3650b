//! The `/` filter, parsed once per change of its text into a [`Query`]: terms separated by
//! spaces, all of which a sender ID must match. A plain word matches as a case-insensitive
//! substring of the sender ID, country, region, registration ID or message types; a field term
//! (`cc:GB`, `type:promo`, `region:eu-west`, `reg:yes`, `prot:no`, `owner:shared`, `pool:no`,
//! `status:failed`, `price>10`, `tag:env=prod`) matches one property, with `a|b` alternatives.
//! What a term needs from outside the inventory (the batch outcomes of `status:`, the pool
//! membership of `pool:`, the tags read so far for `tag:`)
//! is resolved by the state into [`Facts`] the view's basis holds, so the view stays a function
//! of its basis. An unknown field or a bad value is a problem to tell the operator, and the term
//! is left out; a field with nothing after it yet (`cc:`) is left out silently.
//!
//! Adding a field is a [`Term`] variant, its arm in [`Term::parse`] (and its name in
//! [`FIELDS`]), and its arm in [`Check::new`].

use super::inventory::Inventory;
use crate::domain::Ownership;
use rust_decimal::Decimal;
use std::str::FromStr;
use std::sync::Arc;

/// The field names, as notices and the help list them.
pub const FIELDS: [&str; 10] = [
    "cc", "type", "region", "reg", "prot", "owner", "pool", "status", "price", "tag",
];

/// The words of `status:`, each one bit of [`Facts::status`]'s sets.
pub const STATUS_WORDS: [(&str, u8); 8] = [
    ("released", status::RELEASED),
    ("failed", status::FAILED),
    ("unknown", status::UNKNOWN),
    ("not-sent", status::NOT_SENT),
    ("protected", status::PROTECTED),
    ("unprotected", status::UNPROTECTED),
    (
        "done",
        status::RELEASED | status::PROTECTED | status::UNPROTECTED,
    ),
    ("pending", status::PENDING),
];

/// Where a sender ID stands in this session's batches, as bits.
pub mod status {
    /// A release that was done.
    pub const RELEASED: u8 = 1;
    /// Refused by the service, or never sent because the journal refused it.
    pub const FAILED: u8 = 2;
    /// Neither the call nor a re-read could tell.
    pub const UNKNOWN: u8 = 4;
    /// Never sent: excluded on the review, changed since, or cancelled.
    pub const NOT_SENT: u8 = 8;
    /// Deletion protection turned on.
    pub const PROTECTED: u8 = 16;
    /// Deletion protection turned off.
    pub const UNPROTECTED: u8 = 32;
    /// Being checked, queued or sent now.
    pub const PENDING: u8 = 64;
}

/// A sender ID's pool membership in [`Facts::pools`].
pub mod pool {
    pub const NONE: u8 = 0;
    pub const POOLED: u8 = 1;
    /// Its region's pools are not known (not read yet, or could not be).
    pub const UNKNOWN: u8 = 2;
}

const YES: u8 = 1;
const NO: u8 = 2;
const YES_NO: [(&str, u8); 2] = [("yes", YES), ("no", NO)];
const OWNERS: [(&str, u8); 2] = [("self", YES), ("shared", NO)];

/// How `price` compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Less,
    AtMost,
    Equal,
    AtLeast,
    Greater,
}

impl Cmp {
    fn holds(self, a: Decimal, b: Decimal) -> bool {
        match self {
            Self::Less => a < b,
            Self::AtMost => a <= b,
            Self::Equal => a == b,
            Self::AtLeast => a >= b,
            Self::Greater => a > b,
        }
    }
}

/// One field term. Values are kept as compared: countries upper-case, the rest lower-case;
/// choices as bits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// `cc:GB|IE`: the country is one of these, exactly.
    Country(Vec<String>),
    /// `type:promo`: a message type starts with one of these.
    Type(Vec<String>),
    /// `region:eu-west`: the region contains one of these.
    Region(Vec<String>),
    /// `reg:yes|no`: has a registration ID (yes, no bits).
    Registered(u8),
    /// `prot:yes|no`: deletion protection (yes, no bits).
    Protected(u8),
    /// `owner:self|shared` (self, shared bits).
    Owner(u8),
    /// `pool:yes|no`: in a pool of its region (yes, no bits); neither when its pools are unknown.
    Pool(u8),
    /// `status:failed|unknown`: where it stands in this session's batches ([`status`] bits).
    Status(u8),
    /// `price>10`: the monthly price compares so (an unreadable price never does).
    Price(Cmp, Decimal),
    /// `tag:env=prod|staging`, `tag:env|team`: a tag with one of these keys (any value, or one
    /// of these), among the tags read so far (a sender ID whose tags are not read matches no
    /// `tag:` term).
    Tag(Vec<String>, Vec<String>),
}

impl Term {
    /// The term `name` `op` `value` (name lower-case, value lower-case and not empty); `Err` with
    /// what to tell the operator when there is no such field or the value is bad.
    fn parse(name: &str, op: Op, value: &str) -> Result<Self, String> {
        let alternatives = || -> Vec<String> {
            value
                .split('|')
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let choice = |words: &[(&str, u8)]| pick(name, value, words);
        if name != "price" && op != Op::Is && FIELDS.contains(&name) {
            return Err(format!(
                "{name}: takes a value after \":\" ({name}:…); only price compares with < > <= >="
            ));
        }
        Ok(match name {
            "cc" => Self::Country(
                alternatives()
                    .into_iter()
                    .map(|c| c.to_uppercase())
                    .collect(),
            ),
            "type" => Self::Type(alternatives()),
            "region" => Self::Region(alternatives()),
            "reg" => Self::Registered(choice(&YES_NO)?),
            "prot" => Self::Protected(choice(&YES_NO)?),
            "owner" => Self::Owner(choice(&OWNERS)?),
            "pool" => Self::Pool(choice(&YES_NO)?),
            "status" => Self::Status(choice(&STATUS_WORDS)?),
            "price" => {
                let cmp = match op {
                    Op::Is => Cmp::Equal,
                    Op::Cmp(cmp) => cmp,
                };
                let number = value.strip_prefix('$').unwrap_or(value);
                let price = Decimal::from_str(number).map_err(|_| {
                    format!("bad price \"{value}\": a number, e.g. price>10, price<5, price=40")
                })?;
                Self::Price(cmp, price)
            }
            "tag" => {
                let (keys, values) = value.split_once('=').unwrap_or((value, ""));
                let list = |text: &str| -> Vec<String> {
                    text.split('|')
                        .filter(|v| !v.is_empty())
                        .map(str::to_owned)
                        .collect()
                };
                let keys = list(keys);
                if keys.is_empty() {
                    return Err("tag: takes a key first: tag:KEY or tag:KEY=VALUE".to_owned());
                }
                Self::Tag(keys, list(values))
            }
            _ => {
                return Err(format!(
                    "no field \"{name}:\" (fields: {})",
                    FIELDS.join(" ")
                ));
            }
        })
    }

    fn uses_status(&self) -> bool {
        matches!(self, Self::Status(_))
    }

    fn uses_pool(&self) -> bool {
        matches!(self, Self::Pool(_))
    }

    fn uses_tags(&self) -> bool {
        matches!(self, Self::Tag(..))
    }
}

/// The bits of the words each alternative of `value` starts (`status:un` is unknown and
/// unprotected); an alternative that starts none is a bad value.
fn pick(name: &str, value: &str, words: &[(&str, u8)]) -> Result<u8, String> {
    let mut bits = 0;
    for alt in value.split('|').filter(|v| !v.is_empty()) {
        let found = words
            .iter()
            .filter(|(w, _)| w.starts_with(alt))
            .fold(0, |acc, (_, b)| acc | b);
        if found == 0 {
            let names: Vec<&str> = words.iter().map(|(w, _)| *w).collect();
            return Err(format!(
                "bad value \"{alt}\" for {name}: — one of {}",
                names.join(" ")
            ));
        }
        bits |= found;
    }
    Ok(bits)
}

/// The operator between a field and its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    /// `:` or `=`.
    Is,
    Cmp(Cmp),
}

/// Splits `name<op>value` at its first operator; `None` for a plain word (no operator, or one
/// with nothing before it).
fn split(word: &str) -> Option<(&str, Op, &str)> {
    let at = word.find([':', '<', '>', '='])?;
    if at == 0 {
        return None;
    }
    let (name, rest) = word.split_at(at);
    let (op, len) = if rest.starts_with("<=") {
        (Op::Cmp(Cmp::AtMost), 2)
    } else if rest.starts_with(">=") {
        (Op::Cmp(Cmp::AtLeast), 2)
    } else if rest.starts_with('<') {
        (Op::Cmp(Cmp::Less), 1)
    } else if rest.starts_with('>') {
        (Op::Cmp(Cmp::Greater), 1)
    } else if rest.starts_with('=') && name == "price" {
        (Op::Cmp(Cmp::Equal), 1)
    } else {
        (Op::Is, 1)
    };
    Some((name, op, &rest[len..]))
}

/// The filter as parsed: plain words (lower-case) and field terms, all of which must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    words: Vec<String>,
    terms: Vec<Term>,
}

/// A query and what is wrong with the text it was parsed from (one sentence per bad term).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub query: Query,
    pub problems: Vec<String>,
}

impl Query {
    /// Parses the filter's text: terms apart by spaces; a bad term is left out and said why.
    pub fn parse(text: &str) -> Parsed {
        let mut parsed = Parsed::default();
        for word in text.to_lowercase().split_whitespace() {
            match split(word) {
                None => parsed.query.words.push(word.to_owned()),
                // Nothing typed after the field yet (`cc:`, `cc:|`): left out silently.
                Some((_, _, value)) if value.split('|').all(str::is_empty) => {}
                Some((name, op, value)) => match Term::parse(name, op, value) {
                    Ok(term) => parsed.query.terms.push(term),
                    Err(problem) => parsed.problems.push(problem),
                },
            }
        }
        parsed
    }

    /// No term: everything is shown.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.terms.is_empty()
    }

    pub fn words(&self) -> &[String] {
        &self.words
    }

    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// True when a term needs the batches' outcomes ([`Facts::status`]).
    pub fn uses_status(&self) -> bool {
        self.terms.iter().any(Term::uses_status)
    }

    /// True when a term needs the pool membership ([`Facts::pools`]).
    pub fn uses_pool(&self) -> bool {
        self.terms.iter().any(Term::uses_pool)
    }

    /// True when a term needs the tags read so far ([`Facts::tags`]).
    pub fn uses_tags(&self) -> bool {
        self.terms.iter().any(Term::uses_tags)
    }

    /// True when this query shows only sender IDs `old` shows too (given the same facts): each
    /// of `old`'s words is part of one of these words, and each of its field terms is here.
    pub fn narrows(&self, old: &Query) -> bool {
        old.words
            .iter()
            .all(|w| self.words.iter().any(|n| n.contains(w.as_str())))
            && old.terms.iter().all(|t| self.terms.contains(t))
    }
}

/// What a query's terms need from outside the inventory, resolved per record by the state only
/// when a term uses it. Compared with the basis, so an outcome or pools arriving rebuild the view.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// Each sender ID of this session's batches: (record index, [`status`] bits), by index.
    pub status: Option<Arc<Vec<(u32, u8)>>>,
    /// Every record's [`pool`] membership, by index.
    pub pools: Option<Arc<Vec<u8>>>,
    /// The tags read so far, lower-case: (record index, its tags), by index.
    pub tags: Option<TagFacts>,
}

/// The tags read so far, lower-case: (record index, its tags), by index.
pub type RecordTags = Vec<(u32, Vec<(String, String)>)>;

/// The tags read so far, shared with the basis (what `tag:` terms test).
pub type TagFacts = Arc<RecordTags>;

/// A field term made ready to test a record by index: per distinct value where it can be.
enum Check {
    /// By group (country and message-type set).
    Group(Vec<bool>),
    Region(Vec<bool>),
    Price(Vec<bool>),
    /// By record.
    Record(Vec<bool>),
    Registered(u8),
    Protected(u8),
    Owner(u8),
}

impl Check {
    fn new(term: &Term, inv: &Inventory, facts: &Facts) -> Self {
        let columns = &inv.columns;
        let n = inv.len();
        match term {
            Term::Country(ccs) => Self::Group(
                columns
                    .group_names()
                    .map(|(country, _)| ccs.iter().any(|c| country.eq_ignore_ascii_case(c)))
                    .collect(),
            ),
            Term::Type(types) => Self::Group(
                columns
                    .group_names()
                    .map(|(_, label)| {
                        label.split('+').any(|t| {
                            let t = t.to_lowercase();
                            types.iter().any(|p| t.starts_with(p.as_str()))
                        })
                    })
                    .collect(),
            ),
            Term::Region(regions) => Self::Region(
                columns
                    .region_names()
                    .iter()
                    .map(|r| {
                        let r = r.to_lowercase();
                        regions.iter().any(|p| r.contains(p.as_str()))
                    })
                    .collect(),
            ),
            Term::Price(cmp, than) => Self::Price(
                (0..columns.price_count())
                    .map(|p| columns.price_value(p).is_some_and(|v| cmp.holds(v, *than)))
                    .collect(),
            ),
            Term::Registered(bits) => Self::Registered(*bits),
            Term::Protected(bits) => Self::Protected(*bits),
            Term::Owner(bits) => Self::Owner(*bits),
            Term::Status(bits) => {
                let mut hit = vec![false; n];
                for &(i, s) in facts.status.iter().flat_map(|s| s.iter()) {
                    if let Some(h) = hit.get_mut(i as usize) {
                        *h = s & bits != 0;
                    }
                }
                Self::Record(hit)
            }
            Term::Tag(keys, values) => {
                let mut hit = vec![false; n];
                for (i, tags) in facts.tags.iter().flat_map(|t| t.iter()) {
                    if let Some(h) = hit.get_mut(*i as usize) {
                        *h = tags.iter().any(|(k, v)| {
                            keys.contains(k) && (values.is_empty() || values.contains(v))
                        });
                    }
                }
                Self::Record(hit)
            }
            Term::Pool(bits) => Self::Record(
                facts
                    .pools
                    .as_deref()
                    .map(|p| {
                        p.iter()
                            .map(|&m| match m {
                                pool::POOLED => bits & YES != 0,
                                pool::NONE => bits & NO != 0,
                                _ => false,
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
        }
    }

    fn holds(&self, inv: &Inventory, i: usize) -> bool {
        let at = |v: &[bool], k: usize| v.get(k).copied().unwrap_or(false);
        let yes_no = |bits: u8, yes: bool| bits & if yes { YES } else { NO } != 0;
        match self {
            Self::Group(v) => at(v, inv.columns.group_of(i) as usize),
            Self::Region(v) => at(v, inv.columns.region_of(i)),
            Self::Price(v) => at(v, inv.columns.price_id(i)),
            Self::Record(v) => at(v, i),
            Self::Registered(bits) => inv
                .records()
                .get(i)
                .is_some_and(|r| yes_no(*bits, r.registration_id.is_some())),
            Self::Protected(bits) => inv
                .records()
                .get(i)
                .is_some_and(|r| yes_no(*bits, r.deletion_protection)),
            Self::Owner(bits) => inv
                .records()
                .get(i)
                .is_some_and(|r| yes_no(*bits, r.ownership == Ownership::Own)),
        }
    }
}

/// Which records the query shows (the inventory settled): every word found as the `/` filter
/// finds one, and every field term holding. `among`, when given, limits the search to those
/// records (the query only narrowed since they were found); outside it the answer means nothing.
/// One word costs what the filter always cost: the first word's search is the answer, each
/// further word searches only the records left, and field terms are tested on those only.
pub(super) fn matching(
    inv: &Inventory,
    query: &Query,
    facts: &Facts,
    among: Option<&[usize]>,
) -> Vec<bool> {
    let n = inv.len();
    // The records left in the running after the words so far (all of `among`, or all).
    let left = |hit: &[bool]| -> Vec<usize> {
        match among {
            Some(some) => some.iter().copied().filter(|&i| hit[i]).collect(),
            None => (0..n).filter(|&i| hit[i]).collect(),
        }
    };
    let mut hit: Option<Vec<bool>> = None;
    for word in &query.words {
        match &mut hit {
            None => hit = Some(inv.matching(word, among)),
            Some(h) => {
                let some = left(h);
                let more = inv.matching(word, Some(&some));
                for i in some {
                    h[i] = more[i];
                }
            }
        }
    }
    if query.terms.is_empty() {
        return hit.unwrap_or_else(|| vec![true; n]);
    }
    let checks: Vec<Check> = query
        .terms
        .iter()
        .map(|t| Check::new(t, inv, facts))
        .collect();
    let holds = |i: usize| checks.iter().all(|c| c.holds(inv, i));
    match hit {
        Some(mut h) => {
            for i in left(&h) {
                h[i] = holds(i);
            }
            h
        }
        None => {
            let mut h = vec![false; n];
            match among {
                Some(some) => some.iter().for_each(|&i| h[i] = holds(i)),
                None => h.iter_mut().enumerate().for_each(|(i, h)| *h = holds(i)),
            }
            h
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Parsed {
        Query::parse(text)
    }

    #[test]
    fn words_and_fields_are_told_apart() {
        let p = parse("  IE us-east cc:gb|ie type:promo price>=10.5 ");
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.query.words(), ["ie", "us-east"]);
        assert_eq!(
            p.query.terms(),
            [
                Term::Country(vec!["GB".into(), "IE".into()]),
                Term::Type(vec!["promo".into()]),
                Term::Price(Cmp::AtLeast, Decimal::new(105, 1)),
            ]
        );
    }

    #[test]
    fn choices_take_prefixes_and_alternatives() {
        let p = parse("reg:y prot:no|yes owner:sh status:un|fail pool:n");
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(
            p.query.terms(),
            [
                Term::Registered(YES),
                Term::Protected(YES | NO),
                Term::Owner(NO),
                Term::Status(status::UNKNOWN | status::UNPROTECTED | status::FAILED),
                Term::Pool(NO),
            ]
        );
        assert!(p.query.uses_status() && p.query.uses_pool());
    }

    #[test]
    fn empty_values_are_left_out_silently() {
        let p = parse("cc: price> status:| bank");
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert!(p.query.terms().is_empty());
        assert_eq!(p.query.words(), ["bank"]);
    }

    #[test]
    fn bad_terms_are_problems_and_left_out() {
        let p = parse("foo:bar cc:gb reg:maybe price>abc cc>3 tag:=x");
        assert_eq!(p.query.terms(), [Term::Country(vec!["GB".into()])]);
        assert_eq!(
            p.problems[0],
            "no field \"foo:\" (fields: cc type region reg prot owner pool status price tag)"
        );
        assert!(
            p.problems[1].contains("bad value \"maybe\" for reg:"),
            "{p:?}"
        );
        assert!(p.problems[2].contains("bad price \"abc\""), "{p:?}");
        assert!(p.problems[3].contains("only price compares"), "{p:?}");
        assert!(p.problems[4].contains("tag: takes a key first"), "{p:?}");
    }

    #[test]
    fn a_tag_term_is_a_key_with_any_value_or_one_of_these() {
        let p = parse("tag:Env=Prod|staging tag:owner tag:env|team");
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(
            p.query.terms(),
            [
                Term::Tag(vec!["env".into()], vec!["prod".into(), "staging".into()]),
                Term::Tag(vec!["owner".into()], Vec::new()),
                Term::Tag(vec!["env".into(), "team".into()], Vec::new()),
            ]
        );
        assert!(p.query.uses_tags());
    }

    #[test]
    fn narrowing_needs_each_old_word_in_a_new_one_and_the_old_terms() {
        let q = |t: &str| parse(t).query;
        assert!(q("ie us").narrows(&q("ie")));
        assert!(q("ieb").narrows(&q("ie")));
        assert!(q("cc:gb bank").narrows(&q("cc:gb ban")));
        assert!(q("cc:gb bank").narrows(&q("")));
        assert!(!q("cc:gb").narrows(&q("cc:g")));
        assert!(!q("ie").narrows(&q("ie us")));
        assert!(!q("bank").narrows(&q("cc:gb bank")));
    }

    #[test]
    fn a_word_starting_with_an_operator_is_plain() {
        assert_eq!(parse(":x").query.words(), [":x"]);
        assert_eq!(parse("+p").query.words(), ["+p"]);
    }
}
