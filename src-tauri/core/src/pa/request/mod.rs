//! Authorization requests (being written).
