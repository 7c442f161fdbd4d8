//! Slot windows where the most participants of an online event are awake.
