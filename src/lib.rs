//! Offline pre-flight checks for Azure Container Registry (ACR) Transfer.
//!
//! ACR Transfer moves images between registries in separate clouds through Azure
//! Storage blobs. This crate answers, without any network access, whether the pieces a
//! transfer depends on will work: the SAS token ([`sas`]), the properties of the blobs
//! an import pipeline's source trigger looks at ([`blob`]), image manifests
//! ([`manifest`]) and pipeline resources ([`pipeline`]); [`check`] runs all of them over
//! whatever a user has collected.
//!
//! Every check reads its input into a typed model with byte spans, then rules turn the
//! model into [`diag::Finding`]s; [`diag::render`] prints them. Time comes only from a
//! [`context::Context`], and secrets are masked before any text is rendered
//! ([`secret`]).

pub mod blob;
pub mod check;
pub mod cli;
pub mod context;
pub mod diag;
pub mod input;
#[doc(hidden)]
pub mod invariants;
pub mod json;
pub mod manifest;
pub mod pipeline;
pub mod sas;
pub mod secret;
pub mod text;
