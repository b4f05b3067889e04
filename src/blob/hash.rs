//! MD5 of local files, to compare with a dump's ContentMD5.
//!
//! Files are read in a stream through a fixed buffer, so memory does not grow with
//! file size; several files are hashed at once on as many threads as there are cores;
//! a one-line progress bar goes to standard error when the caller asks for it (the
//! command line asks only when standard error is a terminal).

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use md5::{Digest, Md5};

/// Size of the read buffer per thread.
pub const BUFFER_BYTES: usize = 1024 * 1024;

/// The MD5 of one file, read in a stream.
pub fn md5_file(path: &Path) -> std::io::Result<[u8; 16]> {
    md5_reader(open(path)?, &AtomicU64::new(0))
}

fn md5_reader(mut reader: impl Read, done: &AtomicU64) -> std::io::Result<[u8; 16]> {
    let mut hasher = Md5::new();
    let mut buffer = vec![0u8; BUFFER_BYTES];
    loop {
        let n = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buffer[..n]);
        done.fetch_add(n as u64, Ordering::Relaxed);
    }
    Ok(hasher.finalize().into())
}

/// Opens a local copy, refusing one that is not a regular file (a FIFO would block).
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    crate::input::open_file(path).map_err(|e| std::io::Error::other(e.message))
}

/// What hashing one file gave.
pub type Hashed = Result<[u8; 16], String>;

/// Hashes `paths` on up to one thread per core; results come back in the order given.
pub fn md5_files(paths: &[PathBuf], progress: bool) -> Vec<Hashed> {
    let total: u64 = paths
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(paths.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let done = AtomicU64::new(0);
    let finished = AtomicBool::new(false);
    let results: Mutex<Vec<Option<Hashed>>> = Mutex::new(vec![None; paths.len()]);
    std::thread::scope(|scope| {
        if progress {
            scope.spawn(|| progress_bar(total, &done, &finished));
        }
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(path) = paths.get(index) else { break };
                        let hashed = open(path)
                            .and_then(|f| md5_reader(f, &done))
                            .map_err(|e| e.to_string());
                        store(&results, index, hashed);
                    }
                })
            })
            .collect();
        for worker in workers {
            let _ = worker.join();
        }
        finished.store(true, Ordering::Relaxed);
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(String::from("not hashed"))))
        .collect()
}

fn store(results: &Mutex<Vec<Option<Hashed>>>, index: usize, hashed: Hashed) {
    if let Ok(mut results) = results.lock() {
        if let Some(slot) = results.get_mut(index) {
            *slot = Some(hashed);
        }
    }
}

/// Redraws `[#####     ] 48% 1.2 GiB of 2.5 GiB` on standard error until `finished`.
fn progress_bar(total: u64, done: &AtomicU64, finished: &AtomicBool) {
    let mut err = std::io::stderr();
    while !finished.load(Ordering::Relaxed) {
        let now = done.load(Ordering::Relaxed);
        let ratio = if total == 0 {
            1.0
        } else {
            now as f64 / total as f64
        };
        let filled = (ratio * 30.0).round() as usize;
        let line = format!(
            "\rhashing [{}{}] {:>3.0}% {:.1} of {:.1} MiB",
            "#".repeat(filled.min(30)),
            " ".repeat(30 - filled.min(30)),
            ratio * 100.0,
            now as f64 / 1_048_576.0,
            total as f64 / 1_048_576.0
        );
        let _ = err.write_all(line.as_bytes());
        std::thread::sleep(Duration::from_millis(200));
    }
    let _ = err.write_all(b"\r\x1b[2K");
}

/// Every regular file under `dir`, by its path relative to `dir` with `/` separators
/// (the way blob names write virtual directories).
pub fn files_under(dir: &Path) -> std::io::Result<BTreeMap<String, PathBuf>> {
    let mut found = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(here) = pending.pop() {
        for entry in std::fs::read_dir(&here)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            let path = entry.path();
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file() {
                if let Ok(relative) = path.strip_prefix(dir) {
                    let name: Vec<String> = relative
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect();
                    found.insert(name.join("/"), path);
                }
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::{md5_file, md5_files};
    use crate::blob::values::to_hex;

    #[test]
    fn hashes_match_known_vectors() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty");
        let abc = dir.path().join("abc");
        std::fs::write(&empty, b"").unwrap();
        std::fs::write(&abc, b"abc").unwrap();
        // RFC 1321, appendix A.5.
        assert_eq!(
            to_hex(&md5_file(&empty).unwrap()),
            "d41d8cd98f00b204e9800998ecf8427e"
        );
        let all = md5_files(&[abc.clone(), empty, dir.path().join("missing")], false);
        assert_eq!(
            to_hex(all[0].as_ref().unwrap()),
            "900150983cd24fb0d6963f7d28e17f72"
        );
        assert!(all[2].is_err());
    }
}
