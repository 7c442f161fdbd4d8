//! Collects every bad field of one input so a request is answered with all of them at once.

use crate::error::{Error, FieldError};

/// The bad fields found so far while turning one input into domain values.
#[derive(Debug, Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    /// No problems yet.
    pub fn new() -> Self {
        Problems(Vec::new())
    }

    /// Records one bad field.
    pub fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    /// Records a prepared field error (with suggestions, say).
    pub fn push_error(&mut self, error: FieldError) {
        self.0.push(error);
    }

    /// Keeps the parsed value, or records why it failed under `field`.
    pub fn check<T>(&mut self, field: impl Into<String>, parsed: Result<T, String>) -> Option<T> {
        match parsed {
            Ok(v) => Some(v),
            Err(message) => {
                self.push(field, message);
                None
            }
        }
    }

    /// Checks a list's length against its limits; false when the list is too long, so that its
    /// entries are not examined one by one (a list over its limit is one problem, not thousands).
    pub fn check_len<T>(&mut self, field: &str, list: &[T], min: usize, max: usize) -> bool {
        if list.len() < min {
            self.push(field, format!("needs at least {min} entries"));
        } else if list.len() > max {
            self.push(field, format!("at most {max} entries allowed, got {}", list.len()));
            return false;
        }
        true
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value when nothing was recorded, else every problem as one error.
    pub fn finish<T>(self, build: impl FnOnce() -> Option<T>) -> Result<T, Error> {
        if !self.0.is_empty() {
            return Err(Error::Invalid(self.0));
        }
        build().ok_or_else(|| Error::Internal("a checked value was missing".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finish_reports_every_recorded_problem() {
        let mut p = Problems::new();
        p.push("a", "bad");
        let _ = p.check::<u8>("b", Err("worse".into()));
        match p.finish(|| Some(1)) {
            Err(Error::Invalid(list)) => assert_eq!(list.len(), 2),
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    #[test]
    fn finish_builds_the_value_when_all_fields_are_good() {
        let p = Problems::new();
        assert_eq!(p.finish(|| Some(7)).unwrap(), 7);
    }

    #[test]
    fn check_len_flags_too_long_lists() {
        let mut p = Problems::new();
        assert!(!p.check_len("skills", &[0; 51], 1, 50));
        assert!(!p.is_empty());
    }
}
