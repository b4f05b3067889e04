//! Blob property dumps: reading every format users have and the source-trigger rules.
