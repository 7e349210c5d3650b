//! The keymap: every key of every mode, in one table ([`BINDINGS`]). A binding names the modes it
//! works in, its keys, the [`Command`] it runs, when it is offered (a predicate of the state: `R`
//! only while a release is paused), a footer hint with a priority (narrow terminals keep the most
//! useful) and a line for the help sheet. Dispatch ([`resolve`]), the footer ([`offered`]) and
//! the help sheet ([`help_rows`]) all read this table, so a key cannot work unlisted nor be listed
//! without working. The text inputs (the `/` filter, the review's prompt) take "every other key"
//! as typing through one binding each; their special keys (Enter, Esc, scrolling) are bindings.

use super::{Mode, State};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;

/// What has the keyboard, as far as keys go: the review sheet without its contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Table,
    Detail,
    Prices,
    Filter,
    Review,
    Help,
    QuitQuestion,
    History,
    Errors,
}

impl Screen {
    pub const ALL: [Screen; 9] = [
        Self::Table,
        Self::Detail,
        Self::Prices,
        Self::Filter,
        Self::Review,
        Self::Help,
        Self::QuitQuestion,
        Self::History,
        Self::Errors,
    ];

    pub fn of(mode: &Mode) -> Self {
        match mode {
            Mode::Table => Self::Table,
            Mode::Filter => Self::Filter,
            Mode::Detail => Self::Detail,
            Mode::Review(_) => Self::Review,
            Mode::Prices => Self::Prices,
            Mode::Help => Self::Help,
            Mode::ConfirmQuit => Self::QuitQuestion,
            Mode::History => Self::History,
            Mode::Errors => Self::Errors,
        }
    }

    /// The heading of its section of the help sheet.
    pub fn title(self) -> &'static str {
        match self {
            Self::Table => "the table",
            Self::Detail => "the detail pane (Enter)",
            Self::Prices => "the price view (p)",
            Self::Filter => "the filter (/)",
            Self::Review => "the review sheet (D release, P protection)",
            Self::Help => "this help (?)",
            Self::QuitQuestion => "the question before quitting while releasing",
            Self::History => "the release history (h)",
            Self::Errors => "the errors (e)",
        }
    }

    const fn bit(self) -> u16 {
        1 << self as u16
    }
}

/// The screens a binding works in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Modes(u16);

impl Modes {
    pub const EVERYWHERE: Modes = Modes(ALL);
    /// The screens that are lists moved with j/k, PgUp/PgDn, g/G (the review sheet's prompt
    /// takes letters, so it scrolls with the other keys only).
    pub const LISTS: Modes = Modes(LISTS);

    pub fn contains(self, screen: Screen) -> bool {
        self.0 & screen.bit() != 0
    }
}

const T: u16 = Screen::Table.bit();
const D: u16 = Screen::Detail.bit();
const P: u16 = Screen::Prices.bit();
const F: u16 = Screen::Filter.bit();
const R: u16 = Screen::Review.bit();
const H: u16 = Screen::Help.bit();
const Q: u16 = Screen::QuitQuestion.bit();
const Y: u16 = Screen::History.bit();
const E: u16 = Screen::Errors.bit();
const ALL: u16 = T | D | P | F | R | H | Q | Y | E;
const LISTS: u16 = T | D | P | H | Y | E;

/// One key as bound. A letter matches only with the same Control (Shift aside, so `D` is `D`
/// whatever the terminal reports; Alt never), so a control chord is never read as its letter;
/// other keys (arrows, Enter, Esc…) match whatever the modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chord {
    pub code: KeyCode,
    pub ctrl: bool,
}

impl Chord {
    pub fn takes(&self, key: &KeyEvent) -> bool {
        if key.code != self.code {
            return false;
        }
        let wanted = if self.ctrl {
            KeyModifiers::CONTROL
        } else {
            KeyModifiers::NONE
        };
        !matches!(self.code, KeyCode::Char(_))
            || key.modifiers.difference(KeyModifiers::SHIFT) == wanted
    }

    /// The key event this chord stands for.
    pub fn event(&self) -> KeyEvent {
        let mods = if self.ctrl {
            KeyModifiers::CONTROL
        } else {
            KeyModifiers::NONE
        };
        KeyEvent::new(self.code, mods)
    }

    /// How the footer and the help sheet write it: `space`, `ctrl-d`, `↓`, `PgDn`.
    pub fn label(&self) -> String {
        let name = match self.code {
            KeyCode::Char(' ') => "space".to_owned(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Down => "↓".to_owned(),
            KeyCode::Up => "↑".to_owned(),
            KeyCode::PageDown => "PgDn".to_owned(),
            KeyCode::PageUp => "PgUp".to_owned(),
            KeyCode::Enter => "Enter".to_owned(),
            KeyCode::Backspace => "Backspace".to_owned(),
            other => other.to_string(),
        };
        if self.ctrl {
            format!("ctrl-{name}")
        } else {
            name
        }
    }
}

/// The keys of a binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keys {
    /// These keys; the first is the one the footer shows.
    Chords(&'static [Chord]),
    /// Every key no other binding of the mode takes (typing, "any other key"), written so.
    Other(&'static str),
}

/// Whether a binding is offered now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offer {
    Yes,
    /// Not now, and silently: the key goes to the next binding that takes it, or does nothing.
    No,
    /// Not now, and the operator is told why (which ends the input burst).
    Refused(&'static str),
}

/// A footer entry: what the key does in a word or two, and how much it matters when the footer
/// must leave keys out (the highest are kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    pub what: &'static str,
    pub priority: u8,
}

/// One line of the keymap.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub modes: Modes,
    pub keys: Keys,
    pub command: Command,
    /// When it is offered; always when `None`.
    pub when: Option<fn(&State) -> Offer>,
    /// Its footer entry; help-only when `None`.
    pub hint: Option<Hint>,
    /// Its line on the help sheet.
    pub help: &'static str,
}

impl Binding {
    pub fn offer(&self, state: &State) -> Offer {
        self.when.map_or(Offer::Yes, |when| when(state))
    }

    pub fn chords(&self) -> &'static [Chord] {
        match self.keys {
            Keys::Chords(chords) => chords,
            Keys::Other(_) => &[],
        }
    }

    /// Every key of it, as the help sheet lists them: `j, ↓`.
    pub fn keys_label(&self) -> String {
        match self.keys {
            Keys::Chords(chords) => {
                let labels: Vec<String> = chords.iter().map(Chord::label).collect();
                labels.join(", ")
            }
            Keys::Other(label) => label.to_owned(),
        }
    }

    /// Its first key, as the footer shows it.
    pub fn key_label(&self) -> String {
        match self.keys {
            Keys::Chords(chords) => chords.first().map(Chord::label).unwrap_or_default(),
            Keys::Other(label) => label.to_owned(),
        }
    }
}

/// What `key` does in the state's mode: the first binding of the mode that takes the key and is
/// not silently off ([`Offer::No`]), else the mode's first binding for every other key that is
/// not silently off (the review's prompt takes `release` or `unprotect` as the sheet asks).
pub fn resolve(state: &State, key: &KeyEvent) -> Option<(&'static Binding, Offer)> {
    let screen = Screen::of(&state.mode);
    let in_mode = || BINDINGS.iter().filter(move |b| b.modes.contains(screen));
    in_mode()
        .filter(|b| b.chords().iter().any(|c| c.takes(key)))
        .map(|b| (b, b.offer(state)))
        .find(|(_, offer)| *offer != Offer::No)
        .or_else(|| {
            in_mode()
                .filter(|b| matches!(b.keys, Keys::Other(_)))
                .map(|b| (b, b.offer(state)))
                .find(|(_, offer)| *offer != Offer::No)
        })
}

/// The bindings of the state's mode that work now, in table order: offered, and the one
/// [`resolve`] picks for their first key. The footer shows these.
pub fn offered(state: &State) -> impl Iterator<Item = &'static Binding> + '_ {
    let screen = Screen::of(&state.mode);
    BINDINGS.iter().filter(move |b| {
        b.modes.contains(screen)
            && b.offer(state) == Offer::Yes
            && b.chords().first().is_none_or(|c| {
                resolve(state, &c.event()).is_some_and(|(r, _)| std::ptr::eq(r, *b))
            })
    })
}

/// A line of the help sheet.
#[derive(Debug, Clone, Copy)]
pub enum HelpRow {
    Section(&'static str),
    Binding(&'static Binding),
    /// A line of a mode's syntax under its bindings ([`NOTES`]): an example, what it does.
    Note(&'static str, &'static str),
}

/// The help sheet: the bindings that work everywhere, then each mode's, under its heading, with
/// the mode's lines of syntax ([`NOTES`]) after them.
pub fn help_rows() -> Vec<HelpRow> {
    let mut rows = Vec::new();
    let mut section =
        |title: &'static str, pick: &dyn Fn(&Binding) -> bool, screen: Option<Screen>| {
            let mut members = BINDINGS.iter().filter(|b| pick(b)).peekable();
            if members.peek().is_some() {
                rows.push(HelpRow::Section(title));
                rows.extend(members.map(HelpRow::Binding));
                rows.extend(
                    NOTES
                        .iter()
                        .filter(|(s, _, _)| Some(*s) == screen)
                        .map(|&(_, example, what)| HelpRow::Note(example, what)),
                );
            }
        };
    section("everywhere", &|b| b.modes == Modes::EVERYWHERE, None);
    section(
        "every list (table, detail, price view, help, history)",
        &|b| b.modes == Modes::LISTS,
        None,
    );
    for screen in Screen::ALL {
        section(
            screen.title(),
            &|b| {
                b.modes != Modes::EVERYWHERE && b.modes != Modes::LISTS && b.modes.contains(screen)
            },
            Some(screen),
        );
    }
    rows
}

/// The width of the help sheet's key column: the longest keys of any binding.
pub fn help_key_width() -> usize {
    BINDINGS
        .iter()
        .map(|b| b.keys_label().width())
        .chain(NOTES.iter().map(|(_, example, _)| example.width()))
        .max()
        .unwrap_or(0)
}

/// Rows of a terminal `height` high the help sheet does not list bindings in: a row above and two
/// below it (the footer stays visible), its border, its "rows X-Y of N" line.
pub const HELP_CHROME: u16 = 6;

/// How many rows of the help sheet a terminal `height` high shows at once.
pub fn help_window(height: u16) -> usize {
    usize::from(height.saturating_sub(HELP_CHROME)).max(1)
}

/// The bindable intents. What each does is in `commands.rs`; which keys run it, here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Quit,
    /// A move in the list of the screen (the table's cursor, the detail pane, the price view,
    /// the review sheet's list, the help, the history): one [`Motion`] for all.
    Move(Motion),
    // The table.
    ToggleMark,
    MarkAll,
    UnmarkAll,
    Filter,
    StopReleasing,
    ClearFilter,
    CycleSort,
    Detail,
    Review,
    Protect,
    Resume,
    Reload,
    Prices,
    Export,
    Help,
    /// Back from a price view group opened in the table (Enter there): the price view again,
    /// with the filter as it was.
    BackToPrices,
    // The detail pane.
    CloseDetail,
    // The price view.
    NextGrouping,
    PriceSort,
    OpenGroup,
    ClosePrices,
    // The filter.
    EditFilter,
    KeepFilter,
    CancelFilter,
    // The review sheet.
    TypeWord,
    Confirm,
    Cancel,
    FlipProtection,
    // The release history.
    OpenHistory,
    HistoryRecord,
    CloseHistory,
    // Copy to the clipboard, tags.
    CopyId,
    CopyArn,
    ReadAllTags,
    // The errors sheet.
    OpenErrors,
    CloseErrors,
    // The help sheet.
    CloseHelp,
    // The question before quitting.
    QuitAnyway,
    Stay,
}

pub use super::scroll::Motion;

mod bindings;
pub use bindings::{BINDINGS, NOTES};
