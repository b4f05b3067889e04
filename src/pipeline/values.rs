//! Values inside pipeline resources (`grammar/transfer-values.abnf`): resource names,
//! ARM resource IDs, storage URIs and Key Vault secret URIs.
//!
//! Each function splits a string into its parts or says it does not fit the rule; the
//! rules in `rules.rs` decide which misfit matters and how much.

use url::Url;

/// `resource-name = 5*50( ALPHA / DIGIT )`
pub fn resource_name(text: &str) -> bool {
    (5..=50).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Which pipeline a run names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// An ExportPipeline.
    Export,
    /// An ImportPipeline.
    Import,
}

/// A pipeline's ARM resource ID, split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipelineId {
    /// The registry name.
    pub registry: String,
    /// Export or import.
    pub direction: Direction,
    /// The pipeline name.
    pub name: String,
}

/// `pipeline-resource-id = "/subscriptions/" segment "/resourceGroups/" segment
/// "/providers/Microsoft.ContainerRegistry/registries/" segment "/"
/// pipeline-collection "/" segment`, names compared without case.
pub fn pipeline_resource_id(text: &str) -> Option<PipelineId> {
    let parts = arm_segments(text)?;
    let [sub, _, rg, _, prov, ns, regs, registry, coll, name] = parts.as_slice() else {
        return None;
    };
    let fixed = [
        (*sub, "subscriptions"),
        (*rg, "resourceGroups"),
        (*prov, "providers"),
        (*ns, "Microsoft.ContainerRegistry"),
        (*regs, "registries"),
    ];
    if !fixed.iter().all(|(a, b)| a.eq_ignore_ascii_case(b)) {
        return None;
    }
    let direction = if coll.eq_ignore_ascii_case("exportPipelines") {
        Direction::Export
    } else if coll.eq_ignore_ascii_case("importPipelines") {
        Direction::Import
    } else {
        return None;
    };
    Some(PipelineId {
        registry: registry.to_string(),
        direction,
        name: name.to_string(),
    })
}

/// `user-identity-id = "/subscriptions/" segment "/resourceGroups/" segment
/// "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/" segment`
pub fn user_identity_id(text: &str) -> bool {
    let Some(parts) = arm_segments(text) else {
        return false;
    };
    let [sub, _, rg, _, prov, ns, kind, _] = parts.as_slice() else {
        return false;
    };
    [
        (*sub, "subscriptions"),
        (*rg, "resourceGroups"),
        (*prov, "providers"),
        (*ns, "Microsoft.ManagedIdentity"),
        (*kind, "userAssignedIdentities"),
    ]
    .iter()
    .all(|(a, b)| a.eq_ignore_ascii_case(b))
}

/// `"/" segment *( "/" segment )` with `segment = 1*( printable except "/" )`.
fn arm_segments(text: &str) -> Option<Vec<&str>> {
    let rest = text.strip_prefix('/')?;
    let parts: Vec<&str> = rest.split('/').collect();
    let printable = |s: &&str| !s.is_empty() && s.bytes().all(|b| (0x21..=0x7E).contains(&b));
    parts.iter().all(printable).then_some(parts)
}

/// A storage URI split into the parts the rules look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageUri {
    /// The scheme, lower case.
    pub scheme: String,
    /// The host, lower case.
    pub host: String,
    /// The account, when the host is `<account>.blob.<suffix>`.
    pub account: Option<String>,
    /// The first path segment: the container.
    pub container: Option<String>,
    /// The rest of the path: a blob name.
    pub blob: Option<String>,
    /// True when the URI has a query string (e.g. a SAS).
    pub has_query: bool,
}

/// `container-uri` / `blob-uri`: the URI split at the host and the first path
/// segment; `None` when it is not an absolute URI with a host.
pub fn storage_uri(text: &str) -> Option<StorageUri> {
    let url = Url::parse(text).ok()?;
    let host = url.host_str()?.to_ascii_lowercase();
    let account = blob_host(&host).map(str::to_string);
    let path = url.path().trim_start_matches('/');
    let (container, blob) = match path.split_once('/') {
        Some((c, b)) => (c, b.trim_end_matches('/')),
        None => (path, ""),
    };
    let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
    Some(StorageUri {
        scheme: url.scheme().to_string(),
        host,
        account,
        container: some(container),
        blob: some(blob),
        has_query: url.query().is_some(),
    })
}

/// `blob-host = account-name ".blob." endpoint-suffix`: the account, if the host is one.
pub fn blob_host(host: &str) -> Option<&str> {
    let (account, rest) = host.split_once('.')?;
    let suffix = rest.strip_prefix("blob.")?;
    (account_name(account) && suffix.contains('.')).then_some(account)
}

/// `account-name = 3*24( %x61-7A / DIGIT )`
pub fn account_name(text: &str) -> bool {
    (3..=24).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// `container-name`: 3 to 63 lower-case letters, digits and hyphens, starting with a
/// letter or digit, no hyphen at the end and no two in a row.
pub fn container_name(text: &str) -> bool {
    let ok_chars = text
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    (3..=63).contains(&text.len())
        && ok_chars
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--")
}

/// `blob-name = 1*1024( VCHAR / " " )`, not ending with `.` or `/`.
pub fn blob_name(text: &str) -> bool {
    let len = text.chars().count();
    (1..=1024).contains(&len)
        && !text.ends_with('.')
        && !text.ends_with('/')
        && !text.chars().any(|c| c.is_control() || c == '\\')
}

/// A Key Vault secret URI split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretUri {
    /// The scheme, lower case.
    pub scheme: String,
    /// The host, lower case.
    pub host: String,
    /// The vault name, when the host is `<vault>.vault.<suffix>`.
    pub vault: Option<String>,
    /// The secret name, when the path is `/secrets/<name>[/<version>]`.
    pub secret_name: Option<String>,
    /// The secret version, when one is written.
    pub version: Option<String>,
}

/// `secret-uri = "https://" vault-host "/secrets/" secret-name [ "/" secret-version ]`:
/// the URI split; `None` when it is not an absolute URI with a host.
pub fn secret_uri(text: &str) -> Option<SecretUri> {
    let url = Url::parse(text).ok()?;
    let host = url.host_str()?.to_ascii_lowercase();
    let vault = vault_host(&host).map(str::to_string);
    let path = url.path().trim_matches('/');
    let mut segments = path.split('/');
    let (secret_name, version) = match (
        segments.next(),
        segments.next(),
        segments.next(),
        segments.next(),
    ) {
        (Some(s), Some(name), version, None) if s.eq_ignore_ascii_case("secrets") => {
            (Some(name.to_string()), version.map(str::to_string))
        }
        _ => (None, None),
    };
    Some(SecretUri {
        scheme: url.scheme().to_string(),
        host,
        vault,
        secret_name,
        version,
    })
}

/// `vault-host = vault-name ".vault." endpoint-suffix`: the vault name, if it is one.
pub fn vault_host(host: &str) -> Option<&str> {
    let (vault, rest) = host.split_once('.')?;
    let suffix = rest.strip_prefix("vault.")?;
    (vault_name(vault) && suffix.contains('.')).then_some(vault)
}

/// `vault-name = ALPHA 2*23( ALPHA / DIGIT / "-" )`
pub fn vault_name(text: &str) -> bool {
    let starts = text.bytes().next().is_some_and(|b| b.is_ascii_alphabetic());
    starts
        && (3..=24).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// `secret-name = 1*127( ALPHA / DIGIT / "-" )`
pub fn secret_name(text: &str) -> bool {
    (1..=127).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// True for an ARM template expression (`[...]`, but not the `[[` escape): its value
/// is known only when the template is deployed.
pub fn is_expression(text: &str) -> bool {
    text.starts_with('[') && !text.starts_with("[[") && text.ends_with(']')
}

#[cfg(test)]
mod tests {
    use super::{
        Direction, blob_host, container_name, pipeline_resource_id, resource_name, secret_uri,
        storage_uri, user_identity_id,
    };

    #[test]
    fn names_are_5_to_50_letters_and_digits() {
        assert!(resource_name("exportToLowside"));
        assert!(!resource_name("exp"));
        assert!(!resource_name("export-pipeline"));
        assert!(!resource_name(&"a".repeat(51)));
    }

    #[test]
    fn pipeline_ids_name_the_direction() {
        let id = "/subscriptions/1/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/reg/exportPipelines/exp1x";
        let parsed = pipeline_resource_id(id).unwrap();
        assert_eq!(parsed.direction, Direction::Export);
        assert_eq!(parsed.name, "exp1x");
        let lower = id
            .to_ascii_lowercase()
            .replace("exportpipelines", "importpipelines");
        assert_eq!(
            pipeline_resource_id(&lower).unwrap().direction,
            Direction::Import
        );
        assert!(pipeline_resource_id("/subscriptions/1/resourceGroups/rg").is_none());
        assert!(pipeline_resource_id(&id.replace("exportPipelines", "tasks")).is_none());
    }

    #[test]
    fn user_identity_ids_are_managed_identity_resources() {
        assert!(user_identity_id(
            "/subscriptions/6/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-acr"
        ));
        assert!(!user_identity_id("id-acr"));
    }

    #[test]
    fn storage_uris_of_any_cloud() {
        let u =
            storage_uri("https://fabrikamxferdst.blob.core.usgovcloudapi.net/transfer").unwrap();
        assert_eq!(u.account.as_deref(), Some("fabrikamxferdst"));
        assert_eq!(u.container.as_deref(), Some("transfer"));
        assert_eq!(u.blob, None);
        let b = storage_uri("https://a1b.blob.core.chinacloudapi.cn/c1c/x/y.tar.gz?sv=1").unwrap();
        assert_eq!(b.blob.as_deref(), Some("x/y.tar.gz"));
        assert!(b.has_query);
        assert_eq!(blob_host("acct.file.core.windows.net"), None);
        assert!(container_name("transfer"));
        assert!(!container_name("Transfer"));
        assert!(!container_name("a--b"));
    }

    #[test]
    fn secret_uris_name_the_secret() {
        let s = secret_uri("https://contoso-kv-xfer.vault.azure.net/secrets/acrexportsas").unwrap();
        assert_eq!(s.vault.as_deref(), Some("contoso-kv-xfer"));
        assert_eq!(s.secret_name.as_deref(), Some("acrexportsas"));
        let v =
            secret_uri("https://kvx.vault.azure.cn/secrets/sas/0123456789abcdef0123456789abcdef")
                .unwrap();
        assert_eq!(
            v.version.as_deref(),
            Some("0123456789abcdef0123456789abcdef")
        );
        assert_eq!(
            secret_uri("https://kvx.vault.azure.net/keys/k")
                .unwrap()
                .secret_name,
            None
        );
    }
}
