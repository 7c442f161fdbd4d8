//! The meeting scheduler: needs and experts assigned to time slots by maximum-weight matching,
//! over plain indices (no ids, no store), with the checks manual edits must pass.
