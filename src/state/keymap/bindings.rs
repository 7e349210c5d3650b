//! The table itself: every binding, each written once. Within a mode, the order is the footer's
//! (`?` help last) and the help sheet's; the first binding that takes a key wins, so the ones that
//! depend on the state (Esc while releasing) come before those they stand in front of.

use super::{
    ALL, Binding, Chord, Command, D, E, F, H, Hint, Keys, LISTS, Modes, Motion, Offer, P, Q, R,
    Screen, T, Y,
};
use crate::state::State;
use crossterm::event::KeyCode;

/// The help sheet's lines of syntax, under their mode's bindings: an example, what it does. The
/// filter's terms (`src/state/table/query.rs`); the README's filter section says the same.
pub const NOTES: &[(Screen, &str, &str)] = &[
    (
        Screen::Filter,
        "ie us-east",
        "each word in sender ID, country, type, reg. ID or region",
    ),
    (
        Screen::Filter,
        "cc:GB|IE",
        "country, exact; a|b is either, in every field",
    ),
    (Screen::Filter, "type:promo", "a message type starting so"),
    (Screen::Filter, "region:eu-west", "the region contains it"),
    (
        Screen::Filter,
        "reg:yes",
        "has a registration ID (reg:no: has none)",
    ),
    (
        Screen::Filter,
        "prot:yes",
        "deletion protection on (prot:no: off)",
    ),
    (
        Screen::Filter,
        "owner:shared",
        "shared from another account (owner:self: own)",
    ),
    (
        Screen::Filter,
        "pool:no",
        "in no pool; where pools are unknown: neither yes nor no",
    ),
    (
        Screen::Filter,
        "status:failed",
        "in this session: released failed unknown not-sent",
    ),
    (
        Screen::Filter,
        "status:done",
        "protected unprotected done (either) pending",
    ),
    (
        Screen::Filter,
        "price>10",
        "monthly price; also price<5 price=40 <= >=",
    ),
    (
        Screen::Filter,
        "tag:env=prod",
        "a tag (tag:env: any value) among tags read; T reads all",
    ),
];

const fn c(ch: char) -> Chord {
    Chord {
        code: KeyCode::Char(ch),
        ctrl: false,
    }
}

const fn ctrl(ch: char) -> Chord {
    Chord {
        code: KeyCode::Char(ch),
        ctrl: true,
    }
}

const fn k(code: KeyCode) -> Chord {
    Chord { code, ctrl: false }
}

const fn on(modes: u16, keys: &'static [Chord], command: Command, help: &'static str) -> Binding {
    Binding {
        modes: Modes(modes),
        keys: Keys::Chords(keys),
        command,
        when: None,
        hint: None,
        help,
    }
}

/// The binding of every key the mode's other bindings do not take.
const fn other(modes: u16, label: &'static str, command: Command, help: &'static str) -> Binding {
    Binding {
        keys: Keys::Other(label),
        ..on(modes, &[], command, help)
    }
}

impl Binding {
    const fn footer(self, what: &'static str, priority: u8) -> Self {
        Self {
            hint: Some(Hint { what, priority }),
            ..self
        }
    }

    const fn only(self, when: fn(&State) -> Offer) -> Self {
        Self {
            when: Some(when),
            ..self
        }
    }
}

fn releasing(state: &State) -> Offer {
    if state.releasing() {
        Offer::Yes
    } else {
        Offer::No
    }
}

fn filtered(state: &State) -> Offer {
    if state.filter.is_empty() {
        Offer::No
    } else {
        Offer::Yes
    }
}

fn paused(state: &State) -> Offer {
    if state.paused() {
        Offer::Yes
    } else {
        Offer::Refused("nothing to resume")
    }
}

fn reviewable(state: &State) -> Offer {
    if !state.releasing() {
        Offer::Yes
    } else if state.paused() {
        Offer::Refused("a batch (release or protection) is paused: R resumes it, Esc stops it")
    } else {
        Offer::Refused("a batch (release or protection) is running; wait for it (Esc stops it)")
    }
}

fn protectable(state: &State) -> Offer {
    if state.session.read_only {
        Offer::Refused("read-only: deletion protection cannot be changed here")
    } else {
        reviewable(state)
    }
}

/// The sheet under review, if any.
fn sheet(state: &State) -> Option<&crate::state::review::ReviewSheet> {
    match &state.mode {
        crate::state::Mode::Review(sheet) => Some(sheet),
        _ => None,
    }
}

fn asks_word(word: &'static str) -> impl Fn(&State) -> Offer {
    move |state| match sheet(state).and_then(|s| s.confirm.word()) {
        Some(w) if w == word => Offer::Yes,
        _ => Offer::No,
    }
}

fn asks_release(state: &State) -> Offer {
    asks_word(crate::state::review::CONFIRM_WORD)(state)
}

fn asks_unprotect(state: &State) -> Offer {
    asks_word(crate::state::review::UNPROTECT_WORD)(state)
}

fn mixed(state: &State) -> Offer {
    if sheet(state).is_some_and(|s| s.mixed) {
        Offer::Yes
    } else {
        Offer::No
    }
}

fn tags_to_read(state: &State) -> Offer {
    if state.tags.all_read() {
        Offer::Refused("every sender ID's tags are read already (r reloads them)")
    } else if state.tags.progress().is_some() {
        Offer::Refused("the tags are being read: the header shows how far")
    } else if state.inventory.loading() {
        Offer::Refused("tags are read once every region has loaded")
    } else {
        Offer::Yes
    }
}

fn failed(state: &State) -> Offer {
    if state.failures().is_empty() {
        Offer::No
    } else {
        Offer::Yes
    }
}

fn reloadable(state: &State) -> Offer {
    if state.releasing() {
        Offer::Refused("reload waits until the running batch ends")
    } else {
        Offer::Yes
    }
}

fn drilled(state: &State) -> Offer {
    if state.drill.is_some() {
        Offer::Yes
    } else {
        Offer::No
    }
}

fn confirmable(state: &State) -> Offer {
    if state.too_small().is_some() {
        Offer::Refused(
            "the terminal is too small to show the whole sheet: nothing is confirmed until it is at least 80x24",
        )
    } else {
        Offer::Yes
    }
}

use Command::*;
use KeyCode as K;
use Motion::{Bottom, Down, PageDown as PgDn, PageUp as PgUp, Top, Up};

/// Every binding of sidman.
pub static BINDINGS: &[Binding] = &[
    on(
        ALL,
        &[ctrl('c')],
        Quit,
        "quit (asks first while releases run)",
    ),
    // Every list moves alike.
    on(LISTS, &[c('j'), k(K::Down)], Move(Down), "down a line").footer("move", 90),
    on(LISTS, &[c('k'), k(K::Up)], Move(Up), "up a line").footer("move", 90),
    on(LISTS, &[k(K::PageDown)], Move(PgDn), "down a page"),
    on(LISTS, &[k(K::PageUp)], Move(PgUp), "up a page"),
    on(LISTS, &[c('g'), k(K::Home)], Move(Top), "to the first line"),
    on(
        LISTS,
        &[c('G'), k(K::End)],
        Move(Bottom),
        "to the last line",
    ),
    // The table.
    on(
        T,
        &[c(' ')],
        ToggleMark,
        "mark or unmark the row; on a group header: all visible",
    )
    .footer("mark", 200),
    on(T, &[c('a')], MarkAll, "mark every visible row").footer("all", 100),
    on(T, &[c('U')], UnmarkAll, "unmark all, hidden ones too").footer("unmark", 170),
    on(
        T,
        &[c('/')],
        Filter,
        "filter: type to narrow; Enter keeps it, Esc clears it",
    )
    .footer("filter", 180),
    on(
        T,
        &[k(K::Esc)],
        StopReleasing,
        "while releasing: stop sending (calls in flight finish)",
    )
    .only(releasing)
    .footer("stop releasing", 250),
    on(
        T,
        &[k(K::Esc)],
        BackToPrices,
        "back to the price view (the filter as it was)",
    )
    .only(drilled)
    .footer("prices", 175),
    on(
        T,
        &[k(K::Esc)],
        ClearFilter,
        "clear the filter (marks stay)",
    )
    .only(filtered)
    .footer("clear", 105),
    on(
        T,
        &[c('s')],
        CycleSort,
        "sort: country, sender ID, price (high first), region",
    )
    .footer("sort", 120),
    on(
        T,
        &[k(K::Enter)],
        Detail,
        "focus the detail pane (Esc returns)",
    )
    .footer("detail", 110),
    // The detail pane.
    on(
        D,
        &[k(K::Esc), k(K::Enter), k(K::Tab)],
        CloseDetail,
        "back to the table",
    )
    .footer("back", 200),
    // The price view.
    on(
        P,
        &[k(K::Enter)],
        OpenGroup,
        "open the group in the table (Esc comes back here)",
    )
    .footer("open", 160),
    on(
        P,
        &[k(K::Tab)],
        NextGrouping,
        "group by country, country x type, region or message type",
    )
    .footer("group", 150),
    on(P, &[c('s')], PriceSort, "sort by subtotal or by name").footer("sort", 140),
    on(P, &[k(K::Esc), c('p')], ClosePrices, "back to the table").footer("back", 200),
    // The release history.
    on(
        T | D | P,
        &[c('h')],
        OpenHistory,
        "history: the journal's changes (release, protection)",
    )
    .footer("history", 60),
    on(
        Y,
        &[k(K::Enter)],
        HistoryRecord,
        "open or close the whole record",
    )
    .footer("record", 150),
    on(Y, &[k(K::Esc), c('h')], CloseHistory, "back to the table").footer("back", 200),
    // Shared by the table, the detail pane and the price view.
    on(
        T | D,
        &[c('D'), ctrl('d')],
        Review,
        "review the release of the marks (or of the row)",
    )
    .only(reviewable)
    .footer("release", 190),
    on(
        T | D,
        &[c('P')],
        Protect,
        "protect the marks (or the row); off when all are protected",
    )
    .only(protectable)
    .footer("protect", 135),
    on(
        T | D,
        &[c('y')],
        CopyId,
        "copy the sender ID, or the marked ones' (OSC 52)",
    )
    .footer("copy", 50),
    on(
        T | D,
        &[c('Y')],
        CopyArn,
        "copy the ARN, or the marked ones' (OSC 52)",
    )
    .footer("ARN", 45),
    on(
        T | D,
        &[c('T')],
        ReadAllTags,
        "read every sender ID's tags (one paced call each)",
    )
    .only(tags_to_read)
    .footer("tags", 40),
    on(T, &[c('R')], Resume, "resume a paused release")
        .only(paused)
        .footer("resume", 250),
    on(
        T,
        &[c('p')],
        Prices,
        "price view: totals by country, type, region",
    )
    .footer("prices", 150),
    on(
        T | P,
        &[c('x')],
        Export,
        "export to CSV: what the table shows, or the price summary",
    )
    .footer("export", 140),
    on(T | E, &[c('r')], Reload, "reload (marks are kept)")
        .only(reloadable)
        .footer("reload", 160),
    on(
        T | D | P,
        &[c('q')],
        Quit,
        "quit (asks first while releases run)",
    )
    .footer("quit", 130),
    on(
        T | D | P,
        &[c('e')],
        OpenErrors,
        "errors: each failed region's whole error, with the fix",
    )
    .only(failed)
    .footer("errors", 245),
    on(T | D | P, &[c('?')], Help, "this help").footer("help", 255),
    // The filter: typing edits it.
    other(
        F,
        "type",
        EditFilter,
        "narrow: words and the fields below; every term must match",
    )
    .footer("narrow", 200),
    on(
        F,
        &[k(K::Enter)],
        KeepFilter,
        "keep the filter, back to the table",
    )
    .footer("keep", 190),
    on(
        F,
        &[k(K::Esc)],
        CancelFilter,
        "clear the filter, back to the table",
    )
    .footer("clear", 180),
    on(
        F,
        &[k(K::Backspace)],
        EditFilter,
        "erase; ctrl-w a word, ctrl-u the line, ←/→ move",
    )
    .footer("erase", 100),
    // The review sheet: typing goes to its prompt.
    other(
        R,
        "type release",
        TypeWord,
        "then Enter to confirm; no single key releases",
    )
    .only(asks_release)
    .footer("", 200),
    other(
        R,
        "type unprotect",
        TypeWord,
        "then Enter to turn protection off; no single key does",
    )
    .only(asks_unprotect)
    .footer("", 200),
    on(
        R,
        &[k(K::Enter)],
        Confirm,
        "confirm, once the sheet has been on screen for 1 s",
    )
    .only(confirmable)
    .footer("confirm", 190),
    on(R, &[k(K::Esc)], Cancel, "cancel: nothing is sent").footer("cancel", 180),
    on(
        R,
        &[k(K::Tab)],
        FlipProtection,
        "mixed protection sheet: turn off instead of on, or back",
    )
    .only(mixed)
    .footer("on/off", 170),
    on(R, &[k(K::Down)], Move(Down), "scroll the list down").footer("scroll", 100),
    on(R, &[k(K::Up)], Move(Up), "scroll the list up").footer("scroll", 100),
    // Ctrl-A/Ctrl-E and ←/→ edit the prompt, as in a shell; Home/End move the list, as in
    // every other list, so its first and last lines are one key away.
    on(
        R,
        &[k(K::PageDown)],
        Move(PgDn),
        "down a page (to the end of the list, line by line)",
    ),
    on(R, &[k(K::PageUp)], Move(PgUp), "up a page"),
    on(R, &[k(K::Home)], Move(Top), "to the first line of the list"),
    on(
        R,
        &[k(K::End)],
        Move(Bottom),
        "to the last line of the list",
    ),
    // This help.
    other(H, "any other key", CloseHelp, "closes this help").footer("close", 200),
    // The errors sheet.
    other(E, "any other key", CloseErrors, "closes the errors").footer("close", 200),
    // The question asked before quitting while releases run.
    on(
        Q,
        &[c('y'), c('Y')],
        QuitAnyway,
        "quit: calls in flight finish, queued ones are not sent",
    )
    .footer("quit", 200),
    other(Q, "any other key", Stay, "stay; the release goes on").footer("stay", 190),
];
