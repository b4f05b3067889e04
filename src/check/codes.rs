//! The stable finding codes of the cross-checks that `check` adds.

use crate::diag::{Code, Severity};

/// A file named on the command line that is none of the inputs the tool reads.
pub const UNRECOGNISED: Code = Code {
    id: "check-input-unrecognised",
    severity: Severity::Warning,
    summary: "the file is not a token, Key Vault secret, blob dump, manifest or pipeline resource",
};

/// A file named on the command line that holds nothing but white space.
pub const EMPTY: Code = Code {
    id: "check-input-empty",
    severity: Severity::Error,
    summary: "a file named on the command line is empty",
};

/// A token's SAS URL names another storage account or container than its pipeline.
pub const TOKEN_URL_MISMATCH: Code = Code {
    id: "check-token-url-mismatch",
    severity: Severity::Error,
    summary: "the token's SAS URL is for another storage account or container than the pipeline",
};

/// A Key Vault secret given with a pipeline is not the secret the pipeline reads.
pub const SECRET_MISMATCH: Code = Code {
    id: "check-secret-mismatch",
    severity: Severity::Error,
    summary: "the Key Vault secret given is not the one the pipeline's keyVaultUri names",
};

/// An import pipeline's source trigger is on and some blobs given will not fire it.
pub const TRIGGER_BLOBS: Code = Code {
    id: "check-trigger-blobs-not-ready",
    severity: Severity::Error,
    summary: "the source trigger is enabled but some blobs given will not fire it",
};

/// A token could not be matched to one of the pipelines given.
pub const TOKEN_UNPAIRED: Code = Code {
    id: "check-token-unpaired",
    severity: Severity::Advice,
    summary: "the token could not be matched to a pipeline, so it was checked for no purpose",
};

/// A token was given but every pipeline reaches storage with its managed identity.
pub const TOKEN_UNUSED: Code = Code {
    id: "check-token-unused",
    severity: Severity::Advice,
    summary: "every pipeline given uses ManagedIdentity, so no SAS token is read",
};

/// Every code of this module.
pub const ALL: &[Code] = &[
    UNRECOGNISED,
    EMPTY,
    TOKEN_URL_MISMATCH,
    SECRET_MISMATCH,
    TRIGGER_BLOBS,
    TOKEN_UNPAIRED,
    TOKEN_UNUSED,
];
