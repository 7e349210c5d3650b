//! The two header lines (who and where: the account, where the credentials came from, regions with their loading progress or error,
//! endpoint when not AWS, READ-ONLY badge; then counts and monthly totals of what is shown and
//! what is marked) and the release gauge. A region the service throttles says so, with its
//! current release rate, and the gauge shows the estimated time left at the regions' rates.

use super::{Theme, per_month};
use crate::state::State;
use crate::state::batch::{Batch, Phase};
use crate::state::inventory::RegionLoad;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Paragraph};

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: Theme) {
    let s = &state.session;
    let mut first = vec![Span::styled("sidman ", theme.title())];
    if s.read_only {
        first.push(Span::styled(" READ-ONLY ", theme.badge()));
        first.push(Span::raw(" "));
    }
    if s.demo {
        first.push(Span::styled(" DEMO ", theme.badge()));
        first.push(Span::raw(" "));
    }
    first.push(Span::raw(identity(state)));
    if let Some(url) = &s.endpoint {
        first.push(Span::styled(format!(" · endpoint {url}"), theme.dim()));
    }
    let regions = region_line(state, theme, usize::from(area.width));

    let width = usize::from(area.width);
    let mut second = counts_line(state, usize::MAX, theme);
    // The sort always shows: after the counts when it fits there, else after the profile, else
    // after the counts said shorter.
    let sort = Span::raw(format!(" · sort {}", state.sort.label()));
    let first_width: usize = first.iter().map(Span::width).sum();
    if second.width() + sort.width() <= width {
        second.push_span(sort);
    } else if first_width + sort.width() <= width {
        first.push(sort);
    } else {
        // Even if it is still too wide: the sort before the notes, which may be cut.
        second = counts_line(state, 0, theme);
        second.push_span(sort);
    }
    frame.render_widget(
        Paragraph::new(vec![Line::from(first), regions, second]),
        area,
    );
}

/// Counts and monthly totals of what is shown and marked, and what the marks leave out of
/// view; "IDs" for "sender IDs" when it is wider than `width`.
fn counts_line(state: &State, width: usize, theme: Theme) -> Line<'static> {
    let shown = &state.view.total;
    let marked = state.marked_total();
    let hidden = state.hidden_marks();
    let absent = state.absent_marks();
    let mut apart = Vec::new();
    if hidden > 0 {
        apart.push(format!("{hidden} hidden by filter"));
    }
    if absent > 0 {
        apart.push(if state.inventory.loading() {
            format!("{absent} not loaded yet")
        } else {
            format!("{absent} not in the inventory")
        });
    }
    let line = |ids: &str| {
        let mut spans = vec![
            Span::raw(format!(
                "{} {ids} · shown {} ",
                state.inventory.live_len(),
                shown.count
            )),
            Span::styled(per_month(shown), theme.title()),
            Span::raw(" · "),
            Span::styled(
                format!("marked {} {}", state.marks().len(), per_month(&marked)),
                theme.marked(),
            ),
        ];
        if !apart.is_empty() {
            spans.push(Span::styled(
                format!(" ({})", apart.join(", ")),
                theme.warn(),
            ));
        }
        Line::from(spans)
    };
    let full = line("sender IDs");
    if full.width() <= width {
        full
    } else {
        line("IDs")
    }
}

/// Whose account and whose credentials: `account 111122223333 · profile prod`, `account …
/// · environment` while loading, `account unknown (no sender IDs) · SSO, profile ops`.
pub(crate) fn identity(state: &State) -> String {
    let s = &state.session;
    let account = match state.inventory.own_account().or(s.account.as_deref()) {
        Some(id) => id.to_owned(),
        None if state.inventory.loading() => "…".to_owned(),
        None if state.every_region_failed() => "unknown".to_owned(),
        None => "unknown (no sender IDs)".to_owned(),
    };
    let source = if s.credentials.is_empty() {
        format!("profile {}", s.profile)
    } else {
        s.credentials.clone()
    };
    format!("account {account} · {source}")
}

/// How far `T`'s read of every sender ID's tags is, while it runs.
fn tags_note(state: &State) -> Option<String> {
    state
        .tags
        .progress()
        .filter(|p| !p.done())
        .map(|p| format!("tags {}/{}…", p.answered, p.asked))
}

/// Each region with its loading progress or error; when they do not all fit, a summary that
/// still names every failed region.
fn region_line(state: &State, theme: Theme, width: usize) -> Line<'static> {
    let mut spans = vec![Span::raw("regions ")];
    for (i, (region, load)) in state.inventory.regions.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(", "));
        }
        let (text, style) = match load {
            RegionLoad::Loading { items, .. } => {
                (format!("{region} loading {items}…"), theme.warn())
            }
            RegionLoad::Loaded { items } => (format!("{region} ✓{items}"), theme.ok()),
            RegionLoad::Failed { error, .. } => {
                (format!("{region} ✗ {}", error.short()), theme.bad())
            }
        };
        spans.push(Span::styled(text, style));
        if let Some(p) = state.pacing.get(region).filter(|p| p.throttled > 0) {
            spans.push(Span::styled(
                format!(
                    " throttled {}× ({:.1}/s)",
                    p.throttled,
                    p.rate(changing_lane(state))
                ),
                theme.warn(),
            ));
        }
    }
    if state.pools.pending() {
        spans.push(Span::styled(" · reading pools…", theme.warn()));
    }
    if let Some(note) = tags_note(state) {
        spans.push(Span::styled(format!(" · {note}"), theme.warn()));
    }
    let line = Line::from(spans);
    if line.width() <= width {
        return line;
    }
    let regions = &state.inventory.regions;
    let loaded = regions
        .values()
        .filter(|l| matches!(l, RegionLoad::Loaded { .. }))
        .count();
    let loading = regions.values().filter(|l| l.is_loading()).count();
    let failed: Vec<String> = regions
        .iter()
        .filter_map(|(r, l)| match l {
            RegionLoad::Failed { error, .. } => Some(format!("{r} {}", error.short())),
            _ => None,
        })
        .collect();
    let mut spans = vec![
        Span::raw(format!("{} regions: ", regions.len())),
        Span::styled(format!("{loaded} ✓ loaded"), theme.ok()),
    ];
    let throttled: u64 = state.pacing.values().map(|p| p.throttled).sum();
    if throttled > 0 {
        spans.push(Span::styled(
            format!(", throttled {throttled}×"),
            theme.warn(),
        ));
    }
    if loading > 0 {
        spans.push(Span::styled(format!(", {loading} loading…"), theme.warn()));
    } else if state.pools.pending() {
        spans.push(Span::styled(", reading pools…", theme.warn()));
    }
    if let Some(note) = tags_note(state) {
        spans.push(Span::styled(format!(", {note}"), theme.warn()));
    }
    if !failed.is_empty() {
        spans.push(Span::styled(
            format!(", {} ✗ failed: {}", failed.len(), failed.join(", ")),
            theme.bad(),
        ));
    }
    Line::from(spans)
}

pub fn render_gauge(frame: &mut Frame, area: Rect, state: &State, batch: &Batch, theme: Theme) {
    let t = batch.tally();
    let phase = match batch.phase() {
        Phase::Verifying => "checking",
        Phase::Sending => batch.mutation.doing(),
        Phase::Paused => "PAUSED",
        Phase::Stopped => "stopped",
        Phase::Finished => "finished",
    };
    let pace = pacing_note(state, batch);
    let done = batch.mutation.done();
    // What has happened so far; counts of nothing are left out, except what was done.
    let mut parts = vec![format!("{} {done}", t.done)];
    for (n, what) in [
        (t.failed, "failed"),
        (t.unknown, "unknown"),
        (t.confirmed_not_sent(), "not sent"),
        (t.sending, "in flight"),
        (t.queued, "queued"),
        (t.verifying, "checking"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    let head = format!("{phase} {}/{}: ", t.settled(), t.confirmed());
    let mut label = format!("{head}{}{pace}", parts.join(", "));
    while label.chars().count() > usize::from(area.width) && parts.len() > 1 {
        parts.pop();
        label = format!("{head}{}{pace}", parts.join(", "));
    }
    let gauge = Gauge::default()
        .gauge_style(if t.failed + t.unknown > 0 {
            theme.warn()
        } else {
            theme.ok()
        })
        .ratio(t.progress())
        .label(label)
        .use_unicode(true);
    frame.render_widget(gauge, area);
}

/// ` · throttled N× · ETA 1:05`: what pacing says about the batch, empty when nothing is known.
fn pacing_note(state: &State, batch: &Batch) -> String {
    let mut note = String::new();
    let regions: std::collections::BTreeSet<&str> =
        batch.rows().map(|(k, _)| k.region.as_str()).collect();
    let throttled: u64 = regions
        .into_iter()
        .filter_map(|r| state.pacing.get(r))
        .map(|p| p.throttled)
        .sum();
    if throttled > 0 {
        note.push_str(&format!(" · throttled {throttled}×"));
    }
    let lane = batch.mutation.lane();
    if let Some(eta) = batch.eta_secs(|r| state.pacing.get(r).map(|p| p.rate(lane))) {
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "seconds, rounded up, small"
        )]
        let secs = eta.ceil().min(f64::from(u32::MAX)) as u64;
        note.push_str(&format!(" · ETA {}:{:02}", secs / 60, secs % 60));
    }
    note
}

/// The lane whose rate the header shows for a throttled region: the running batch's change
/// (release or protection), releases otherwise.
fn changing_lane(state: &State) -> crate::pacing::Op {
    state
        .batch
        .as_ref()
        .map_or(crate::pacing::Op::Release, |b| b.mutation.lane())
}
