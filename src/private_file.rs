//! The files sidman keeps in its state directory (the journal, its lock, the log) are opened so
//! that nothing planted there is followed: the directory must be a real directory (not a
//! symlink) and is made private (0700); a file must be a regular file, is opened without
//! following a symlink (`O_NOFOLLOW`) and is made private (0600). Anything else is refused with a
//! sentence naming the path and the fix. Reading is bounded, so a file that never ends (a link
//! to a device, a runaway log) cannot exhaust memory.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// What a private file is opened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Appending (created when missing).
    Append,
    /// Reading and writing, created when missing (a lock file).
    ReadWrite,
    /// Reading only; a missing file is an error the caller may treat as empty.
    Read,
}

/// Creates `dir` (and its parents) readable by the owner only; an existing one must be a real
/// directory, and is made private when it is not.
pub fn ensure_private_dir(dir: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(dir) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(refuse(
                dir,
                "is a symbolic link, which sidman never follows",
                "remove the link (sidman creates the directory)",
            ));
        }
        Ok(meta) if !meta.is_dir() => {
            return Err(refuse(
                dir,
                "is not a directory",
                "move it away (sidman creates the directory)",
            ));
        }
        Ok(meta) => make_private(dir, &meta, 0o700)?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::DirBuilderExt;
                builder.mode(0o700);
            }
            builder.create(dir)?;
        }
        Err(e) => return Err(e),
    }
    Ok(())
}

/// Opens a private file without following a symlink; it must be a regular file and is made
/// 0600.
pub fn open(path: &Path, access: Access) -> io::Result<File> {
    let mut opts = OpenOptions::new();
    match access {
        Access::Append => opts.append(true).create(true),
        Access::ReadWrite => opts.read(true).write(true).create(true),
        Access::Read => opts.read(true),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK: a FIFO planted at the path must not block the open; it is refused below.
        opts.mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC);
    }
    let file = match opts.open(path) {
        Ok(f) => f,
        Err(e) if is_symlink_refusal(&e) || is_symlink(path) => {
            return Err(refuse(
                path,
                "is a symbolic link, which sidman never follows",
                "remove the link",
            ));
        }
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(refuse(
            path,
            "is not a regular file",
            "move it away (sidman creates the file)",
        ));
    }
    if access != Access::Read {
        make_private(path, &meta, 0o600)?;
    }
    Ok(file)
}

/// Reads a whole private file of at most `limit` bytes; a larger one is an error naming the
/// path.
pub fn read_bounded(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let file = open(path, Access::Read)?;
    let size = file.metadata()?.len();
    if size > limit {
        return Err(refuse(
            path,
            &format!(
                "is {} MiB, more than sidman reads ({} MiB)",
                size >> 20,
                limit >> 20
            ),
            "archive it (move it away) and start again",
        ));
    }
    let mut bytes = Vec::new();
    // `take` bounds the read even if the file grows while it is read.
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(refuse(
            path,
            "grew past the size sidman reads while it was read",
            "archive it (move it away) and start again",
        ));
    }
    Ok(bytes)
}

fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// `open` with `O_NOFOLLOW` on a symlink fails with `ELOOP`.
fn is_symlink_refusal(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// Corrects the mode to `mode` when group or others have any access.
#[cfg(unix)]
fn make_private(path: &Path, meta: &std::fs::Metadata, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    if meta.permissions().mode() & 0o077 != 0 {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(|e| {
            refuse(
                path,
                &format!("is readable by others and its mode cannot be corrected ({e})"),
                &format!("chmod {mode:o} it"),
            )
        })?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn make_private(_path: &Path, _meta: &std::fs::Metadata, _mode: u32) -> io::Result<()> {
    Ok(())
}

/// An error that names the path, what is wrong and the fix.
fn refuse(path: &Path, what: &str, fix: &str) -> io::Error {
    io::Error::other(format!("{} {what}: {fix}", shown(path)))
}

/// A path as the operator reads it: under the home directory, `~/…`.
pub fn shown(path: &Path) -> String {
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    match home.as_deref().and_then(|h| path.strip_prefix(h).ok()) {
        Some(rest) if !rest.as_os_str().is_empty() => format!("~/{}", rest.display()),
        _ => path.display().to_string(),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).expect("meta").permissions().mode() & 0o777
    }

    #[test]
    fn symlinks_and_special_files_are_refused_and_modes_corrected() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("target");
        std::fs::write(&target, b"keep").expect("write");
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&target, &link).expect("symlink");
        for access in [Access::Append, Access::Read, Access::ReadWrite] {
            let err = open(&link, access).expect_err("a link is refused");
            assert!(err.to_string().contains("symbolic link"), "{err}");
        }
        assert_eq!(std::fs::read(&target).expect("read"), b"keep");

        let full = dir.path().join("full");
        std::os::unix::fs::symlink("/dev/full", &full).expect("symlink");
        assert!(read_bounded(&full, 1 << 20).is_err());
        let err = open(Path::new("/dev/null"), Access::Read).expect_err("a device");
        assert!(err.to_string().contains("not a regular file"), "{err}");

        let loose = dir.path().join("loose");
        std::fs::write(&loose, b"").expect("write");
        std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        open(&loose, Access::Append).expect("open");
        assert_eq!(mode(&loose), 0o600);

        let state = dir.path().join("state");
        std::fs::create_dir(&state).expect("mkdir");
        std::fs::set_permissions(&state, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        ensure_private_dir(&state).expect("private");
        assert_eq!(mode(&state), 0o700);
        let linked_dir = dir.path().join("linked");
        std::os::unix::fs::symlink(&state, &linked_dir).expect("symlink");
        assert!(ensure_private_dir(&linked_dir).is_err());
    }

    #[test]
    fn reading_is_bounded() {
        let dir = tempfile::tempdir().expect("tempdir");
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'x'; 2048]).expect("write");
        let err = read_bounded(&big, 1024).expect_err("too big");
        assert!(err.to_string().contains("archive it"), "{err}");
        assert_eq!(read_bounded(&big, 4096).expect("read").len(), 2048);
    }
}
