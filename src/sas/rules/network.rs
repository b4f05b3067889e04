//! Network restrictions: `spr` and `sip`.
//!
//! Sources: the SAS pages (`spr` is `https` or `https,http`; `http` alone is not
//! permitted; `sip` is one IPv4 address or an inclusive range), the reply that IPv6
//! is not supported, the CLI refusing CIDR, and SDK round-trips that rewrite
//! non-canonical addresses (which breaks the signature).

use super::{Scope, at};
use crate::diag::Finding;
use crate::sas::codes;
use crate::sas::fields::ProblemKind;
use crate::sas::model::Protocol;

pub(super) fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    protocol(scope, out);
    ip(scope, out);
}

fn protocol(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let Some(spr) = &scope.token.protocol else {
        return;
    };
    let finding = match &spr.value {
        Ok(Protocol::Http) => at(codes::PROTOCOL, "spr", spr)
            .message("`spr=http` is not permitted; a SAS cannot be limited to plain HTTP")
            .help("use `spr=https`"),
        Ok(Protocol::HttpHttps) => at(codes::PROTOCOL_REVERSED, "spr", spr)
            .message("`spr=http,https` is the reverse of the documented `https,http`")
            .help(
                "write `spr=https` (or `https,http`); Java and older .NET clients \
                refuse the reversed form",
            ),
        Ok(_) => return,
        Err(m) if m.kind == ProblemKind::Empty => return,
        Err(m) if m.kind == ProblemKind::ProtocolCase => at(codes::PROTOCOL, "spr", spr)
            .message(format!("`spr={}` is not in lower case", spr.text))
            .help("write `spr=https`"),
        Err(_) => at(codes::PROTOCOL, "spr", spr)
            .message(format!("`spr={}` is not a permitted value", spr.text))
            .help("use `spr=https` (or `https,http`)"),
    };
    out.push(finding);
}

fn ip(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let Some(sip) = &scope.token.ip else {
        return;
    };
    let Err(malformed) = &sip.value else {
        return;
    };
    let message = match malformed.kind {
        ProblemKind::Empty => return,
        ProblemKind::IpCidr => "CIDR notation is not supported in `sip`",
        ProblemKind::IpList => "`sip` takes one address or one range, not a list",
        ProblemKind::IpV6 => "IPv6 addresses are not supported in `sip`",
        ProblemKind::IpLeadingZero => {
            "an address in `sip` has a leading zero; SDKs rewrite it and break the signature"
        }
        ProblemKind::IpReversed => "the range in `sip` starts above its end",
        _ => "`sip` is not an IPv4 address or range",
    };
    out.push(
        Finding::new(codes::IP, "sip", malformed.span.clone())
            .message(message)
            .help(
                "write one IPv4 address (`168.1.5.65`) or an inclusive range \
                (`168.1.5.60-168.1.5.70`) in canonical form",
            ),
    );
}
