//! How every list moves and what part of it is on screen, written once: the table, the detail
//! pane, the review sheet, the price view, the help sheet and the release history all take the
//! same [`Motion`]s (j/k and arrows, PgUp/PgDn, g/G and Home/End) and show a [`Window`] of their
//! lines with the same position line (`12-20 of 101`) when they do not fit. A list with a cursor
//! moves the cursor and the window follows it; a list without one moves its top line, which
//! never passes the point where its last line is at the bottom, so every line can be reached
//! and none is ever out of reach.

/// A move in a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Motion {
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
}

impl Motion {
    fn delta(self, page: usize) -> isize {
        let page = isize::try_from(page.max(1)).unwrap_or(isize::MAX);
        match self {
            Self::Down => 1,
            Self::Up => -1,
            Self::PageDown => page,
            Self::PageUp => -page,
            Self::Top => isize::MIN,
            Self::Bottom => isize::MAX,
        }
    }

    /// A cursor over `len` rows, moved; a page is `page` rows.
    pub fn cursor(self, at: usize, len: usize, page: usize) -> usize {
        let last = len.saturating_sub(1);
        at.min(last)
            .saturating_add_signed(self.delta(page))
            .min(last)
    }

    /// The top line of a window `page` lines high over `len` lines, moved: never further than
    /// the last line at the bottom of the window.
    pub fn scroll(self, top: usize, len: usize, page: usize) -> usize {
        let last = len.saturating_sub(page.max(1));
        top.min(last)
            .saturating_add_signed(self.delta(page))
            .min(last)
    }
}

/// The lines `first..end` of a list of `len` on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub first: usize,
    pub end: usize,
    pub len: usize,
}

impl Window {
    /// The window `page` lines high from line `top` (kept within the list).
    pub fn at(top: usize, len: usize, page: usize) -> Self {
        let page = page.max(1);
        let first = top.min(len.saturating_sub(page));
        Self {
            first,
            end: (first + page).min(len),
            len,
        }
    }

    /// The window `page` lines high that shows `cursor`, moved as little as possible from
    /// `offset` (where it was).
    pub fn following(cursor: usize, offset: usize, len: usize, page: usize) -> Self {
        let page = page.max(1);
        let mut first = offset;
        if cursor < first {
            first = cursor;
        } else if cursor >= first + page {
            first = cursor + 1 - page;
        }
        Self::at(first, len, page)
    }

    /// True when every line is shown.
    pub fn fits(&self) -> bool {
        self.first == 0 && self.end >= self.len
    }

    /// `12-20 of 101`; `all 7` when everything is shown.
    pub fn position(&self) -> String {
        if self.fits() {
            format!("all {}", self.len)
        } else {
            format!("{}-{} of {}", self.first + 1, self.end, self.len)
        }
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.first..self.end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_stays_within_the_list() {
        assert_eq!(Motion::Down.cursor(0, 3, 10), 1);
        assert_eq!(Motion::Down.cursor(2, 3, 10), 2);
        assert_eq!(Motion::Up.cursor(0, 3, 10), 0);
        assert_eq!(Motion::PageDown.cursor(0, 101, 10), 10);
        assert_eq!(Motion::Bottom.cursor(0, 101, 10), 100);
        assert_eq!(Motion::Top.cursor(50, 101, 10), 0);
        assert_eq!(Motion::Down.cursor(0, 0, 10), 0);
    }

    #[test]
    fn a_scroll_stops_with_the_last_line_at_the_bottom() {
        assert_eq!(Motion::Bottom.scroll(0, 101, 10), 91);
        assert_eq!(Motion::Down.scroll(91, 101, 10), 91);
        assert_eq!(Motion::Up.scroll(91, 101, 10), 90);
        assert_eq!(Motion::PageUp.scroll(5, 101, 10), 0);
        assert_eq!(
            Motion::Down.scroll(0, 5, 10),
            0,
            "a list that fits never scrolls"
        );
        // A window that was further down (the terminal grew) comes back at once.
        assert_eq!(Motion::Up.scroll(500, 101, 10), 90);
    }

    #[test]
    fn a_window_says_where_it_is() {
        let w = Window::following(19, 0, 101, 9);
        assert_eq!((w.first, w.end), (11, 20));
        assert_eq!(w.position(), "12-20 of 101");
        assert_eq!(Window::at(0, 7, 10).position(), "all 7");
        assert_eq!(Window::at(200, 101, 10).range(), 91..101);
        assert_eq!(Window::following(3, 11, 101, 9).first, 3);
    }
}
