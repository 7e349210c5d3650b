//! Quitting while a listing hangs: an endpoint that accepts connections and never answers keeps
//! every region at `loading`; `q` (and Ctrl-C) cancel the listing and sidman exits, the terminal
//! restored. The elapsed time is printed, not asserted: the exit is the behaviour.

use crate::common::tmux::{Tmux, poll};
use std::net::TcpListener;
use std::time::{Duration, Instant};

/// Accepts every connection and never answers; the connections stay open until the test ends.
fn silent_endpoint() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    format!("http://{addr}")
}

fn quits_while_loading(key: &str) {
    let url = silent_endpoint();
    let mut tmux = Tmux::new(&[
        ("AWS_ACCESS_KEY_ID", "AKIDTEST"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
    ]);
    let s = tmux.start_held(
        80,
        24,
        &format!("--region us-east-1,eu-west-1 --endpoint-url {url}"),
    );
    tmux.wait_screen(&s, "the listing hanging", |x| {
        x.contains("loading sender IDs") && x.contains("us-east-1 loading")
    });
    let asked = Instant::now();
    tmux.keys(&s, &[key]);
    let exit = tmux.wait_exit(&s);
    eprintln!("{key} while loading: exited after {:?}", asked.elapsed());
    assert_eq!(exit, "EXIT=0");
    // Well before the 15 s the calls would take to time out: the exit is generous-bounded here
    // only to tell "cancelled" from "waited for the timeout", never to measure.
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "sidman waited for the hung calls"
    );
    let restored = poll("the terminal restored", || {
        let screen = tmux.screen(&s);
        (screen.contains("sidman exited") && !tmux.alternate_screen(&s)).then_some(())
    });
    assert!(
        restored.is_some(),
        "the terminal was not restored:\n{}",
        tmux.screen(&s)
    );
}

#[test]
fn q_during_a_hung_listing_exits_and_restores_the_terminal() {
    quits_while_loading("q");
}

#[test]
fn ctrl_c_during_a_hung_listing_exits_and_restores_the_terminal() {
    quits_while_loading("C-c");
}
