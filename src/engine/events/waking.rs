//! Waking hours: whether a meeting falls inside a participant's local day, across daylight saving.
