//! The rules that judge a decoded [`Token`]: one file per family.
//!
//! Every rule reads the typed model (never the text) and the [`Context`], and pushes
//! [`Finding`]s. Sources of truth are the Azure Storage REST reference pages cited in
//! each file and `grammar/sas-token.abnf`.

mod network;
pub(crate) mod permissions;
mod purpose;
mod scope;
mod signature;
mod structure;
mod time;
pub(crate) mod version;

use std::ops::Range;

use super::model::{Field, Token};
use super::{Purpose, SasOptions};
use crate::context::Context;
use crate::diag::{Code, Finding};

/// What every rule gets: the token, the options and the clock.
pub(crate) struct Scope<'a> {
    pub(crate) token: &'a Token,
    pub(crate) options: &'a SasOptions,
    pub(crate) ctx: &'a Context,
}

impl Scope<'_> {
    /// True when the token is checked for an ACR Transfer pipeline.
    pub(crate) fn for_pipeline(&self) -> bool {
        self.options.purpose != Purpose::Any
    }

    /// The span of the whole token, for findings about something missing.
    pub(crate) fn token_span(&self) -> Range<usize> {
        let span = self.token.envelope.token.clone();
        if span.is_empty() {
            self.token
                .envelope
                .url
                .as_ref()
                .map_or(span, |u| u.span.clone())
        } else {
            span
        }
    }
}

/// Starts a finding about a field's value.
pub(crate) fn at<T>(code: Code, key: &str, field: &Field<T>) -> Finding {
    Finding::new(code, key, field.span.clone())
}

/// Runs every rule over the token.
pub(crate) fn run(token: &Token, options: &SasOptions, ctx: &Context) -> Vec<Finding> {
    let scope = Scope {
        token,
        options,
        ctx,
    };
    let mut findings = Vec::new();
    structure::check(&scope, &mut findings);
    signature::check(&scope, &mut findings);
    time::check(&scope, &mut findings);
    permissions::check(&scope, &mut findings);
    scope::check(&scope, &mut findings);
    version::check(&scope, &mut findings);
    network::check(&scope, &mut findings);
    if scope.for_pipeline() {
        purpose::check(&scope, &mut findings);
    }
    findings.sort_by_key(|f| (f.span.start, std::cmp::Reverse(f.severity)));
    findings
}
