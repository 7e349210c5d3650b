//! The keymap is the one source of keys: every binding in it is reachable (its key, pressed in
//! each of its modes where it is offered, runs its command, seen by what the command does), and
//! the footer and the help sheet show only bindings of it, the footer all it offers when there
//! is room. The states are built through the public API, as in `transitions.rs`.

use crate::common::fixtures::*;
use crate::common::screen::{draw, text};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use sidman::action::{Action, Effect, Input};
use sidman::aws::{ApiError, ErrorKind};
use sidman::state::batch::Phase;
use sidman::state::keymap::{
    BINDINGS, Binding, Command, HelpRow, Keys, Modes, Motion, NOTES, Offer, Screen, help_rows,
    offered,
};
use sidman::state::{Mode, State};
use sidman::ui::{Theme, footer_line};

/// What the state around a mode is like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    Idle,
    Filtered,
    Releasing,
    Paused,
    /// Idle, the review sheet being a protection sheet for a mixed selection (on).
    Protecting,
    /// The same sheet turned off (Tab).
    Unprotecting,
    /// A group of the price view opened in the table.
    Drilled,
    /// A region's pools could not be read: there is an error to show (`e`).
    Failed,
}

const CONTEXTS: [Context; 8] = [
    Context::Idle,
    Context::Filtered,
    Context::Releasing,
    Context::Paused,
    Context::Protecting,
    Context::Unprotecting,
    Context::Drilled,
    Context::Failed,
];

fn expired() -> sidman::action::Outcome {
    failed(ApiError {
        kind: ErrorKind::Service,
        code: "ExpiredTokenException".to_owned(),
        reason: None,
        message: "The security token included in the request is expired".to_owned(),
        request_id: None,
        resource_type: None,
        resource_id: None,
        fields: Vec::new(),
        cause: None,
    })
}

/// The loaded table with two marks, in `context`.
fn table_in(context: Context) -> State {
    let mut state = loaded();
    if matches!(context, Context::Releasing | Context::Paused) {
        let keys = [
            key("ACMEBANK", US),
            key("ACMEPROMO", US),
            key("ACMEINFO", US),
        ];
        mark(&mut state, &keys);
        let (batch, region, ks) = rereads(&confirm_release(&mut state)).remove(0);
        let sent = release_keys(&update_one(
            &mut state,
            Action::Reread {
                batch,
                region,
                result: Ok(reread_unchanged(&ks)),
                keys: ks,
            },
        ));
        if context == Context::Paused {
            update_one(
                &mut state,
                Action::Mutated {
                    batch,
                    key: sent[0].clone(),
                    outcome: expired(),
                },
            );
            assert!(state.paused());
        }
        assert!(state.releasing());
    }
    if context == Context::Failed {
        let generation = state.generation;
        update_one(
            &mut state,
            Action::PoolsRead {
                generation,
                region: EU.to_owned(),
                result: Err(access_denied()),
            },
        );
        assert!(!state.failures().is_empty());
    }
    if context == Context::Filtered {
        ch(&mut state, '/');
        type_text(&mut state, "acme");
        press(&mut state, KeyCode::Enter);
    }
    if !matches!(context, Context::Releasing | Context::Paused) {
        mark(&mut state, &[key("ACMEFR", EU), key("ACMEAU", AP)]);
    }
    if context == Context::Drilled {
        ch(&mut state, 'p');
        press(&mut state, KeyCode::Enter);
        assert!(state.drill.is_some());
    }
    state.cursor = if context == Context::Drilled { 1 } else { 3 };
    state
}

fn update_one(state: &mut State, action: Action) -> Vec<Effect> {
    sidman::state::update(state, action)
}

/// The state in `screen` within `context`, scrolled a little where it scrolls; `None` when that
/// screen cannot be reached there (the review while releasing, the quit question while not).
fn state_in(screen: Screen, context: Context) -> Option<State> {
    let mut state = table_in(context);
    match screen {
        Screen::Table => {}
        Screen::Detail => {
            // On a sender ID, in a terminal low enough for the pane to scroll both ways.
            state.cursor = state
                .view
                .rows
                .iter()
                .position(|r| matches!(r, sidman::state::view::Row::Item(_)))
                .expect("a row");
            press(&mut state, KeyCode::Enter);
            update_one(
                &mut state,
                Action::Resize {
                    width: 80,
                    height: 12,
                },
            );
            state.detail_scroll = 2;
        }
        Screen::Prices => {
            ch(&mut state, 'p');
            state.prices.cursor = 2;
        }
        Screen::Filter => {
            ch(&mut state, '/');
            type_text(&mut state, "ac");
        }
        Screen::Review if matches!(context, Context::Protecting | Context::Unprotecting) => {
            // Every row marked, protected and not: a mixed protection sheet.
            ch(&mut state, 'a');
            ch(&mut state, 'P');
            if context == Context::Unprotecting {
                dwell(&mut state);
                press(&mut state, KeyCode::Tab);
                type_text(&mut state, "unprotect");
            }
            dwell(&mut state);
            if let Mode::Review(sheet) = &mut state.mode {
                sheet.scroll = 2;
            }
        }
        Screen::Review => {
            // Every row marked: a list longer than the screen, to scroll both ways.
            ch(&mut state, 'a');
            ch(&mut state, 'D');
            type_text(&mut state, "release");
            dwell(&mut state);
            if let Mode::Review(sheet) = &mut state.mode {
                sheet.scroll = 2;
            }
        }
        Screen::Help => {
            ch(&mut state, '?');
            state.help_scroll = 2;
        }
        Screen::QuitQuestion => {
            ch(&mut state, 'q');
        }
        Screen::Errors => {
            // Three regions' pools unreadable, in a terminal low enough for the sheet to
            // scroll both ways.
            let generation = state.generation;
            for region in [US, AP] {
                update_one(
                    &mut state,
                    Action::PoolsRead {
                        generation,
                        region: region.to_owned(),
                        result: Err(access_denied()),
                    },
                );
            }
            update_one(
                &mut state,
                Action::Resize {
                    width: 80,
                    height: 8,
                },
            );
            ch(&mut state, 'e');
            state.errors_scroll = 2;
        }
        Screen::History => {
            ch(&mut state, 'h');
            update_one(&mut state, Action::HistoryRead(Ok(journal_changes(40))));
            state.history.cursor = 2;
        }
    }
    (Screen::of(&state.mode) == screen).then_some(state)
}

/// `n` releases as the journal tells them.
pub(crate) fn journal_changes(n: usize) -> Vec<sidman::journal::Change> {
    let entries: Vec<sidman::journal::Entry> = (0..n)
        .map(|i| {
            sidman::journal::Entry::Intent(sidman::journal::Intent {
                time: "2026-12-01T07:51:25.123Z".into(),
                id: format!("id-{i}"),
                endpoint: "AWS".into(),
                account: Some(ACCOUNT.into()),
                profile: "ops".into(),
                region: EU.into(),
                sender_id: format!("ACME{i}"),
                country: "GB".into(),
                operation: sidman::domain::Mutation::Release,
                target: format!("ACME{i}"),
                arn: format!("arn:aws:sms-voice:{EU}:{ACCOUNT}:sender-id/ACME{i}/GB"),
                monthly_leasing_price: "1.00".into(),
                registered: false,
            })
        })
        .collect();
    sidman::journal::changes(&entries)
}

/// What a command is seen to have done, from the state before and after and the work started.
struct Seen {
    screen: Screen,
    marks: usize,
    filter: String,
    sort: String,
    generation: u64,
    /// Where the screen's list is: its cursor or its scroll.
    position: usize,
    errors_scroll: usize,
    sheet: Option<(usize, String, String)>,
    prices: String,
    quit: bool,
    releasing: bool,
    phase: Option<Phase>,
    history: (usize, bool),
}

impl Seen {
    fn of(state: &State) -> Self {
        Self {
            screen: Screen::of(&state.mode),
            marks: state.marked_total().count,
            filter: state.filter.text().to_owned(),
            sort: format!("{:?}", state.sort),
            generation: state.generation,
            position: match &state.mode {
                Mode::Detail => state.detail_scroll,
                Mode::Prices => state.prices.cursor,
                Mode::Review(s) => s.scroll,
                Mode::Help => state.help_scroll,
                Mode::History => state.history.cursor,
                Mode::Errors => state.errors_scroll,
                _ => state.cursor,
            },
            errors_scroll: state.errors_scroll,
            sheet: match &state.mode {
                Mode::Review(s) => Some((
                    s.scroll,
                    s.confirm.input().text().to_owned(),
                    format!("{:?}", s.mutation),
                )),
                _ => None,
            },
            prices: format!("{:?}", state.prices),
            quit: state.quit,
            releasing: state.releasing(),
            phase: state.batch.as_ref().map(|b| b.phase()),
            history: (state.history.cursor, state.history.open),
        }
    }
}

/// True when what happened is what `command` does.
fn ran(command: Command, b: &Seen, a: &Seen, effects: &[Effect]) -> bool {
    use Command::*;
    match command {
        Quit => a.quit || a.screen == Screen::QuitQuestion,
        OpenHistory => {
            a.screen == Screen::History && effects.iter().any(|e| matches!(e, Effect::ReadHistory))
        }
        HistoryRecord => a.history.1 != b.history.1,
        CloseHistory => a.screen == Screen::Table,
        Move(m) => {
            let (a, b) = (a.position, b.position);
            match m {
                Motion::Down => a == b + 1,
                Motion::Up => a + 1 == b,
                Motion::PageDown | Motion::Bottom => a > b + 1,
                Motion::PageUp => a < b,
                Motion::Top => a == 0 && b > 0,
            }
        }
        BackToPrices => a.screen == Screen::Prices,
        OpenGroup => a.screen == Screen::Table,
        ToggleMark => a.marks != b.marks,
        MarkAll => a.marks > b.marks,
        UnmarkAll => b.marks > 0 && a.marks == 0,
        Filter => a.screen == Screen::Filter,
        StopReleasing => b.releasing && matches!(a.phase, Some(Phase::Stopped | Phase::Finished)),
        ClearFilter => !b.filter.is_empty() && a.filter.is_empty() && a.screen == Screen::Table,
        CycleSort => a.sort != b.sort,
        Detail => a.screen == Screen::Detail,
        Review => a.screen == Screen::Review && a.sheet.as_ref().is_some_and(|s| s.2 == "Release"),
        Protect => a.screen == Screen::Review && a.sheet.as_ref().is_some_and(|s| s.2 != "Release"),
        FlipProtection => a.sheet.as_ref().map(|s| &s.2) != b.sheet.as_ref().map(|s| &s.2),
        Resume => b.phase == Some(Phase::Paused) && a.phase == Some(Phase::Sending),
        Reload => a.generation == b.generation + 1,
        Prices => a.screen == Screen::Prices,
        Export => effects
            .iter()
            .any(|e| matches!(e, Effect::Export { .. } | Effect::ExportSummary { .. })),
        Help => a.screen == Screen::Help,
        CloseDetail | ClosePrices | CloseHelp | CloseErrors => a.screen == Screen::Table,
        OpenErrors => a.screen == Screen::Errors && a.errors_scroll == 0,
        CopyId | CopyArn => effects.iter().any(|e| matches!(e, Effect::Copy { .. })),
        ReadAllTags => effects.iter().any(|e| matches!(e, Effect::ReadTags { .. })),
        NextGrouping | PriceSort => a.prices != b.prices,
        EditFilter => a.filter != b.filter && a.screen == Screen::Filter,
        KeepFilter => a.screen == Screen::Table && a.filter == b.filter && !a.filter.is_empty(),
        CancelFilter => a.screen == Screen::Table && a.filter.is_empty(),
        TypeWord => a.sheet.as_ref().map(|s| &s.1) != b.sheet.as_ref().map(|s| &s.1),
        Confirm => !rereads(effects).is_empty(),
        Cancel => a.screen == Screen::Table && effects.is_empty() && !a.releasing,
        QuitAnyway => a.quit,
        Stay => a.screen == Screen::Table && !a.quit,
    }
}

/// The keys a binding is pressed with: each of its chords (a capital also as the terminal may
/// report it, with Shift), or for "every other key" a letter no binding takes.
fn presses(binding: &Binding) -> Vec<KeyEvent> {
    match binding.keys {
        Keys::Chords(chords) => chords
            .iter()
            .flat_map(|c| {
                let mut events = vec![c.event()];
                if let KeyCode::Char(ch) = c.code
                    && ch.is_ascii_uppercase()
                {
                    events.push(KeyEvent::new(c.code, KeyModifiers::SHIFT));
                }
                events
            })
            .collect(),
        Keys::Other(_) => vec![KeyEvent::new(KeyCode::Char('z'), KeyModifiers::NONE)],
    }
}

#[test]
fn every_binding_is_reachable_by_dispatch_in_each_of_its_modes() {
    let mut checked = 0;
    for binding in BINDINGS {
        for screen in Screen::ALL
            .into_iter()
            .filter(|s| binding.modes.contains(*s))
        {
            // The first context where the binding is offered in this mode.
            let context = CONTEXTS
                .into_iter()
                .find(|c| state_in(screen, *c).is_some_and(|s| binding.offer(&s) == Offer::Yes));
            let Some(context) = context else {
                panic!("{binding:?} is never offered in {screen:?}");
            };
            for key in presses(binding) {
                let mut state = state_in(screen, context).expect("reached before");
                let before = Seen::of(&state);
                let effects = burst(&mut state, vec![Input::Key(key)]);
                let after = Seen::of(&state);
                assert!(
                    ran(binding.command, &before, &after, &effects),
                    "{key:?} in {screen:?} ({context:?}) did not run {:?}; notice: {:?}",
                    binding.command,
                    state.notice
                );
                checked += 1;
            }
        }
    }
    assert!(checked > BINDINGS.len(), "{checked}");
}

#[test]
fn a_binding_refused_now_says_why_and_ends_the_burst() {
    let mut state = table_in(Context::Idle);
    let sort = state.sort;
    let effects = burst(&mut state, keys_of("Rs"));
    assert!(effects.is_empty());
    assert_eq!(state.sort, sort, "s after the refused R did not run");
    let notice = state.notice.clone().unwrap_or_default();
    assert!(notice.contains("nothing to resume"), "{notice}");
    assert!(
        notice.contains("1 key(s) typed after it were ignored"),
        "{notice}"
    );
}

#[test]
fn a_control_chord_is_never_read_as_its_letter() {
    let mut state = table_in(Context::Idle);
    let marks = state.marked_total().count;
    for c in ['a', 'U', 's', 'p', 'x', 'r', 'j'] {
        let cursor = state.cursor;
        assert!(ctrl(&mut state, c).is_empty(), "ctrl-{c}");
        assert_eq!(state.mode, Mode::Table, "ctrl-{c}");
        assert_eq!(
            (state.marked_total().count, state.cursor),
            (marks, cursor),
            "ctrl-{c}"
        );
    }
    // ctrl-d is bound, to the review, as D is.
    ctrl(&mut state, 'd');
    assert!(matches!(state.mode, Mode::Review(_)));
}

/// The footer's entries at this width: `keys what`, split at the two spaces between them.
fn footer(state: &State, width: u16) -> Vec<String> {
    let line = footer_line(state, Theme::plain(), width);
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    assert!(
        text.trim_end().chars().count() <= usize::from(width),
        "{text}"
    );
    text.split("  ")
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(str::to_owned)
        .collect()
}

/// True when `entry` is the footer entry of offered bindings sharing a hint (`j/k move`).
fn entry_of(entry: &str, offered: &[&Binding]) -> bool {
    offered.iter().filter_map(|b| b.hint).any(|hint| {
        let keys = if hint.what.is_empty() {
            Some(entry)
        } else {
            entry.strip_suffix(&format!(" {}", hint.what))
        };
        keys.is_some_and(|keys| {
            let labels: Vec<&str> = if keys == "/" {
                vec!["/"]
            } else {
                keys.split('/').collect()
            };
            labels.iter().all(|label| {
                offered
                    .iter()
                    .any(|b| b.hint == Some(hint) && b.key_label() == *label)
            })
        })
    })
}

/// A terminal wide enough for every footer hint.
const WIDE: u16 = 200;

#[test]
fn the_footer_shows_only_offered_bindings_all_of_them_when_wide_and_help_last() {
    for context in CONTEXTS {
        for screen in Screen::ALL {
            let Some(state) = state_in(screen, context) else {
                continue;
            };
            let offered: Vec<&Binding> = offered(&state).collect();
            // Wide enough for every hint of the busiest state (the filtered table, 19 entries
            // since `y copy`, `Y ARN` and `T tags`); at 150 the lowest priorities give way.
            for w in [80, 150, WIDE] {
                let shown = footer(&state, w);
                let at = format!("{screen:?} {context:?} {w} columns: {shown:?}");
                assert!(!shown.is_empty(), "{at}");
                for entry in &shown {
                    assert!(entry_of(entry, &offered), "{entry:?} is no binding; {at}");
                }
                if offered.iter().any(|b| b.command == Command::Help) {
                    assert_eq!(shown.last().map(String::as_str), Some("? help"), "{at}");
                }
                if w == WIDE {
                    for b in offered.iter().filter(|b| b.hint.is_some()) {
                        let label = b.key_label();
                        assert!(
                            shown.iter().any(|e| e.starts_with(&label)
                                || e.split(' ').next().is_some_and(|k| k.contains(&label))),
                            "{label} missing; {at}"
                        );
                    }
                }
            }
        }
    }
    // At 80 columns the table keeps the keys operators asked for.
    // The footer drawn is this one.
    let mut state = table_in(Context::Idle);
    let screen = text(&draw(&mut state, 80, 24));
    let shown = footer(&state, 80);
    assert_eq!(
        screen.lines().last().map(str::trim_end),
        Some(shown.join("  ").as_str())
    );
    for entry in ["U unmark", "p prices", "x export", "r reload", "? help"] {
        assert!(shown.iter().any(|e| e == entry), "{entry}: {shown:?}");
    }
}

#[test]
fn the_footer_follows_the_state_paused_and_releasing() {
    let shown = footer(&table_in(Context::Paused), 80);
    for entry in ["R resume", "Esc stop releasing", "? help"] {
        assert!(shown.iter().any(|e| e == entry), "{entry}: {shown:?}");
    }
    assert!(
        !shown
            .iter()
            .any(|e| e.starts_with("D ") || e.starts_with("r ")),
        "{shown:?}"
    );
    let shown = footer(&table_in(Context::Releasing), 80);
    assert!(shown.iter().any(|e| e == "Esc stop releasing"), "{shown:?}");
    assert!(!shown.iter().any(|e| e.starts_with("R ")), "{shown:?}");
    let shown = footer(&table_in(Context::Idle), 150);
    assert!(!shown.iter().any(|e| e.starts_with("Esc")), "{shown:?}");
}

/// The help heading of the moves every list shares.
const LISTS: &str = "every list (table, detail, price view, help, history)";

/// Whether `binding` belongs under the help heading `title`.
fn under(title: &str, binding: &Binding) -> bool {
    if title == "everywhere" {
        return binding.modes == Modes::EVERYWHERE;
    }
    if title == LISTS {
        return binding.modes == Modes::LISTS;
    }
    binding.modes != Modes::EVERYWHERE
        && binding.modes != Modes::LISTS
        && Screen::ALL
            .into_iter()
            .any(|s| s.title() == title && binding.modes.contains(s))
}

#[test]
fn the_help_lists_every_binding_of_each_mode_and_nothing_else() {
    let rows = help_rows();
    // Each binding under every mode it works in, once.
    for binding in BINDINGS {
        let sections: Vec<&str> = {
            let mut current = "";
            let mut found = Vec::new();
            for row in &rows {
                match row {
                    HelpRow::Section(title) => current = title,
                    HelpRow::Binding(b) if std::ptr::eq(*b, binding) => found.push(current),
                    HelpRow::Binding(_) | HelpRow::Note(..) => {}
                }
            }
            found
        };
        let expected: Vec<&str> = if binding.modes == Modes::EVERYWHERE {
            vec!["everywhere"]
        } else if binding.modes == Modes::LISTS {
            vec![LISTS]
        } else {
            Screen::ALL
                .into_iter()
                .filter(|s| binding.modes.contains(*s))
                .map(Screen::title)
                .collect()
        };
        assert_eq!(sections, expected, "{binding:?}");
    }
    // The sheet drawn, page after page: every line inside it is a heading or a binding.
    let mut state = loaded();
    ch(&mut state, '?');
    let mut lines = vec![None; rows.len()];
    for _ in 0..rows.len() {
        let screen = text(&draw(&mut state, 150, 45));
        let status = screen
            .lines()
            .find_map(|l| l.split("rows ").nth(1))
            .expect("rows X-Y of N");
        let first: usize = status
            .split('-')
            .next()
            .and_then(|n| n.parse().ok())
            .expect("X");
        let top = screen
            .lines()
            .position(|l| l.contains("┌ keys"))
            .expect("box");
        let left = screen
            .lines()
            .nth(top)
            .and_then(|l| l.chars().position(|c| c == '┌'));
        let left = left.expect("corner");
        for (i, line) in screen.lines().skip(top + 1).enumerate() {
            let inner: String = line.chars().skip(left + 1).take(76).collect();
            if inner.starts_with("rows ") {
                break;
            }
            lines[first - 1 + i] = Some(inner.trim().to_owned());
        }
        if lines.iter().all(Option::is_some) {
            break;
        }
        press(&mut state, KeyCode::PageDown);
    }
    let titles: Vec<&str> = ["everywhere", LISTS]
        .into_iter()
        .chain(Screen::ALL.into_iter().map(Screen::title))
        .collect();
    let mut section = None;
    for line in lines {
        let line = line.expect("every row was shown");
        if let Some(title) = line.strip_suffix(':')
            && titles.contains(&title)
        {
            section = Some(title.to_owned());
            continue;
        }
        let title = section.as_deref().expect("a heading comes first");
        assert!(
            BINDINGS
                .iter()
                .any(|b| under(title, b) && line == format!("{}  {}", b.keys_label(), b.help))
                || NOTES.iter().any(|(screen, example, what)| {
                    screen.title() == title && line == format!("{example}  {what}")
                }),
            "{line:?} is no binding nor note of {title:?}"
        );
    }
}
