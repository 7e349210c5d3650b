//! The table: the loaded sender IDs and everything derived from them. [`Inventory`] is the one
//! owner of the records, their derived columns, their display orders and their marks, and bumps
//! one generation on every change; the [`View`] (groups and rows after filter and sort) and the
//! [`MarkCounts`] are memoised on what they were built from and compared against it, so nothing
//! has to remember to invalidate them. [`sort_key`] is the one definition of the display order.

mod columns;
pub mod inventory;
mod key_index;
pub mod marks;
pub mod query;
mod search;
pub mod sort;
pub mod view;

pub use inventory::{Inventory, RegionLoad};
pub use marks::{MarkCounts, Marks};
pub use query::{Facts, Parsed, Query};
pub use sort::{SortMode, label_rank, sort_key};
pub use view::{Basis, Group, Row, View};
