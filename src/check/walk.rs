//! Turning the paths a user names into the list of inputs to check.
//!
//! Directories are walked in name order, without following links to directories (a
//! link loop cannot trap the walk), skipping hidden entries (`.git`, editor files).
//! A directory holding an `oci-layout` file is an OCI image layout: it is one input,
//! not walked further. The walk stops at [`MAX_FILES`] files and [`MAX_DEPTH`] levels.
//! FIFOs, sockets and devices found in a walk are named as passed over, never opened.

use std::path::{Path, PathBuf};

use crate::input::{Origin, ReadError};

/// Most files one `check` reads.
pub const MAX_FILES: usize = 10_000;
/// Deepest directory level walked below a named directory.
pub const MAX_DEPTH: usize = 32;

/// One input to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A file, and whether the user named it (rather than it being found in a walk).
    File { path: PathBuf, named: bool },
    /// An OCI image layout directory.
    Layout(PathBuf),
    /// Standard input.
    Stdin,
}

/// What the walk found, and what it passed over.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Walk {
    /// Inputs, in the order named and then by name within each directory.
    pub entries: Vec<Entry>,
    /// Why parts of the tree were not walked (limits reached, unreadable folders).
    pub passed_over: Vec<String>,
}

/// Expands the named paths into inputs.
pub fn collect(paths: &[String]) -> Result<Walk, ReadError> {
    let mut walk = Walk::default();
    for name in paths {
        if name == "-" {
            walk.entries.push(Entry::Stdin);
            continue;
        }
        let path = Path::new(name);
        let meta = std::fs::metadata(path).map_err(|e| ReadError {
            origin: Origin::File(name.clone()),
            message: e.to_string(),
        })?;
        if meta.is_dir() {
            directory(path, 0, &mut walk);
        } else {
            walk.entries.push(Entry::File {
                path: path.to_path_buf(),
                named: true,
            });
        }
    }
    Ok(walk)
}

fn directory(dir: &Path, depth: usize, walk: &mut Walk) {
    if dir.join("oci-layout").is_file() {
        walk.entries.push(Entry::Layout(dir.to_path_buf()));
        return;
    }
    if depth > MAX_DEPTH {
        walk.passed_over
            .push(format!("{}: deeper than {MAX_DEPTH} levels", dir.display()));
        return;
    }
    let mut children: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(read) => read.filter_map(Result::ok).map(|e| e.path()).collect(),
        Err(e) => {
            walk.passed_over.push(format!("{}: {e}", dir.display()));
            return;
        }
    };
    children.sort();
    for child in children {
        let hidden = child
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        let Ok(meta) = std::fs::symlink_metadata(&child) else {
            continue;
        };
        if hidden {
            continue;
        }
        if meta.is_dir() {
            directory(&child, depth + 1, walk);
        } else if meta.is_file() || (meta.file_type().is_symlink() && child.is_file()) {
            if file_count(walk) >= MAX_FILES {
                walk.passed_over.push(format!(
                    "more than {MAX_FILES} files; the rest were not read"
                ));
                return;
            }
            walk.entries.push(Entry::File {
                path: child,
                named: false,
            });
        } else if let Some(what) =
            crate::input::not_regular(&meta.file_type()).filter(|_| !meta.file_type().is_symlink())
        {
            walk.passed_over
                .push(format!("{}: {what}, not read", child.display()));
        }
    }
}

fn file_count(walk: &Walk) -> usize {
    walk.entries
        .iter()
        .filter(|e| matches!(e, Entry::File { .. }))
        .count()
}

#[cfg(test)]
mod tests {
    use super::{Entry, collect};

    #[test]
    fn walks_in_name_order_skipping_hidden_and_taking_layouts_whole() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("b.sas"), "x").unwrap();
        std::fs::write(root.join("a.json"), "x").unwrap();
        std::fs::create_dir(root.join(".git")).unwrap();
        std::fs::write(root.join(".git").join("config"), "x").unwrap();
        std::fs::create_dir(root.join("layout")).unwrap();
        std::fs::write(root.join("layout").join("oci-layout"), "{}").unwrap();
        std::fs::write(root.join("layout").join("index.json"), "{}").unwrap();
        let walk = collect(&[root.display().to_string()]).unwrap();
        assert_eq!(
            walk.entries,
            vec![
                Entry::File {
                    path: root.join("a.json"),
                    named: false
                },
                Entry::File {
                    path: root.join("b.sas"),
                    named: false
                },
                Entry::Layout(root.join("layout")),
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_loop_does_not_trap_the_walk() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
        std::fs::write(dir.path().join("t.sas"), "x").unwrap();
        let walk = collect(&[dir.path().display().to_string()]).unwrap();
        assert_eq!(walk.entries.len(), 1);
    }

    #[test]
    fn a_missing_path_cannot_be_read() {
        assert!(collect(&[String::from("/nonexistent/acr-preflight")]).is_err());
    }
}
