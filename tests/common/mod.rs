//! Helpers shared by more than one integration test file.

use std::process::Command;

/// How to run a command with no network here: `unshare -n` (root), else `unshare -rn`
/// (an unprivileged user namespace); `None` when neither is permitted.
pub(crate) fn no_network_prefix() -> Option<Vec<&'static str>> {
    [vec!["unshare", "-n"], vec!["unshare", "-rn"]]
        .into_iter()
        .find(|prefix| {
            Command::new(prefix[0])
                .args(&prefix[1..])
                .arg("true")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}
