//! The journal's own tests: private lines read back, a moved file, a torn tail, one writer,
//! planted links.
use super::*;

fn intent(id: &str) -> Intent {
    Intent {
        time: now(),
        id: id.to_owned(),
        operation: Mutation::Release,
        endpoint: AWS_ENDPOINT.into(),
        account: Some("111122223333".into()),
        profile: "default".into(),
        region: "eu-west-1".into(),
        sender_id: "ACME".into(),
        country: "GB".into(),
        target: "ACME".into(),
        arn: "arn:aws:sms-voice:eu-west-1:111122223333:sender-id/ACME/GB".into(),
        monthly_leasing_price: "3.50".into(),
        registered: false,
    }
}

#[test]
fn appends_private_lines_and_reads_them_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("state/sidman").join(FILE_NAME);
    let mut j = Journal::open(&path).expect("open");
    j.append(&Entry::Intent(intent("a"))).expect("append");
    j.append(&Entry::Intent(intent("b"))).expect("append");
    j.append(&Entry::Outcome(OutcomeLine {
        time: now(),
        id: "a".into(),
        result: OutcomeKind::Done,
        request_id: Some("req-1".into()),
        response: BTreeMap::from([("SenderId".into(), "ACME".into())]),
        error: None,
        note: None,
    }))
    .expect("append");
    drop(j);
    // A torn line, as after a kill in the middle of a write.
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .and_then(|mut f| f.write_all(b"{\"kind\":\"intent\",\"ti"))
        .expect("tear");
    let (entries, bad) = read(&path).expect("read");
    assert_eq!(entries.len(), 3);
    assert_eq!(bad, 1);
    let open: Vec<String> = unsettled(&entries).into_iter().map(|i| i.id).collect();
    assert_eq!(open, vec!["b".to_owned()]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn a_moved_journal_refuses_every_later_append() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(FILE_NAME);
    let mut j = Journal::open(&path).expect("open");
    j.append(&Entry::Intent(intent("a"))).expect("append");
    std::fs::rename(&path, dir.path().join("moved")).expect("move");
    let err = j.append(&Entry::Intent(intent("b"))).expect_err("moved");
    assert!(
        err.to_string().contains("moved, replaced or removed"),
        "{err}"
    );
    // A new file at the path does not make it trustworthy again.
    std::fs::write(&path, b"").expect("recreate");
    assert!(j.append(&Entry::Intent(intent("c"))).is_err());
    assert!(j.broken().is_some());
    let (moved, _) = read(&dir.path().join("moved")).expect("read");
    assert_eq!(
        moved.len(),
        1,
        "nothing went to the lost file after the move"
    );
}

#[test]
fn a_torn_last_line_never_swallows_the_next_record() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(FILE_NAME);
    let mut whole = serde_json::to_vec(&Entry::Intent(intent("a"))).expect("json");
    // The intent was written whole but its newline was not (a full disk, a crash).
    std::fs::write(&path, &whole).expect("write");
    let mut j = Journal::open(&path).expect("open");
    j.append(&Entry::Intent(intent("b"))).expect("append");
    drop(j);
    let (entries, bad) = read(&path).expect("read");
    assert_eq!((entries.len(), bad), (2, 0), "both records readable");
    // A line torn in the middle stays unreadable and counted; the next one is intact.
    whole.truncate(20);
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .and_then(|mut f| f.write_all(&whole))
        .expect("tear");
    let mut j = Journal::open(&path).expect("open");
    j.append(&Entry::Intent(intent("c"))).expect("append");
    drop(j);
    let (entries, bad) = read(&path).expect("read");
    assert_eq!((entries.len(), bad), (3, 1));
}

#[test]
fn one_writer_at_a_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(FILE_NAME);
    let first = Journal::open(&path).expect("open");
    let err = Journal::open(&path).expect_err("held");
    let pid = std::process::id().to_string();
    assert!(
        matches!(&err, OpenError::Held { pid: p } if *p == pid),
        "{err}"
    );
    assert!(err.to_string().contains("releases are disabled here"));
    drop(first);
    Journal::open(&path).expect("free again once the first closed it");
}

#[cfg(unix)]
#[test]
fn a_planted_link_is_never_followed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(FILE_NAME);
    let elsewhere = dir.path().join("elsewhere");
    std::fs::write(&elsewhere, b"untouched\n").expect("write");
    std::os::unix::fs::symlink(&elsewhere, &path).expect("symlink");
    let err = Journal::open(&path).expect_err("a link is refused");
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert_eq!(std::fs::read(&elsewhere).expect("read"), b"untouched\n");
    std::fs::remove_file(&path).expect("unlink");
    std::os::unix::fs::symlink("/dev/full", &path).expect("symlink");
    assert!(Journal::open(&path).is_err());
    let err = read(&path).expect_err("never read through the link");
    assert!(err.to_string().contains("symbolic link"), "{err}");
}
