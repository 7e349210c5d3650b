//! Copy over SSH and tmux: `y` and `Y` in the real binary write OSC 52, which tmux (with
//! `set-clipboard on`) turns into a paste buffer holding the sender ID, then the ARN; with
//! `SIDMAN_NO_OSC52=1` (or `--no-osc52`) the same key copies nothing and the notice says so.

use crate::common::tmux::{Session, Tmux, poll};

/// The newest tmux paste buffer, if there is one.
fn buffer(tmux: &Tmux) -> Option<String> {
    let out = tmux.run(&["show-buffer"]);
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The demo loaded, filtered to SHOPNOW, the cursor on its first row, tmux taking OSC 52.
fn on_shopnow(tmux: &mut Tmux, args: &str) -> Session {
    let s = tmux.start(120, 40, args);
    tmux.wait_loaded(&s);
    let set = tmux.run(&["set-option", "-s", "set-clipboard", "on"]);
    assert!(set.status.success(), "{set:?}");
    tmux.keys(&s, &["/"]);
    tmux.type_text(&s, "shopnow");
    tmux.keys(&s, &["Enter"]);
    tmux.wait_screen(&s, "the filtered table", |x| x.contains("filter /shopnow"));
    tmux.keys(&s, &["g", "j"]);
    s
}

#[test]
fn y_and_big_y_put_the_sender_id_and_its_arn_in_the_tmux_buffer() {
    let mut tmux = Tmux::new(&[]);
    let s = on_shopnow(&mut tmux, "--demo");
    tmux.keys(&s, &["y"]);
    tmux.wait_screen(&s, "the copy notice", |x| {
        x.contains("copied sender ID SHOPNOW")
    });
    let copied = poll("the tmux buffer", || buffer(&tmux));
    assert_eq!(copied.as_deref(), Some("SHOPNOW"));

    tmux.keys(&s, &["Y"]);
    tmux.wait_screen(&s, "the ARN copy notice", |x| x.contains("copied ARN arn:"));
    let arn = poll("the ARN in the tmux buffer", || {
        buffer(&tmux).filter(|b| b.starts_with("arn:"))
    })
    .unwrap_or_default();
    assert!(arn.starts_with("arn:aws:sms-voice:"), "{arn:?}");
    assert!(arn.contains(":sender-id/SHOPNOW/"), "{arn:?}");
    tmux.keys(&s, &["q"]);
    assert_eq!(tmux.wait_exit(&s), "EXIT=0");
}

#[test]
fn with_no_osc52_nothing_is_copied_and_the_notice_says_so() {
    // The switch as an operator's profile sets it (`--no-osc52` is the same switch).
    let mut tmux = Tmux::new(&[("SIDMAN_NO_OSC52", "1")]);
    let s = on_shopnow(&mut tmux, "--demo");
    tmux.keys(&s, &["y"]);
    tmux.wait_screen(&s, "the notice", |x| x.contains("copy is off"));
    assert_eq!(buffer(&tmux), None, "a tmux buffer was set");
    tmux.keys(&s, &["q"]);
    assert_eq!(tmux.wait_exit(&s), "EXIT=0");
}
