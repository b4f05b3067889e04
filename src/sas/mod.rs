//! SAS tokens: parsing into typed fields with spans, and the rules that judge them.
