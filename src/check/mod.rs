//! One pre-flight check over everything collected for a transfer.
