//! Summaries of timings: median and 95th percentile, in milliseconds.

use std::time::Duration;

use serde::Serialize;

/// Median and p95 of a set of timings.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Summary {
    /// The median, in ms.
    pub median_ms: f64,
    /// The 95th percentile (nearest rank), in ms.
    pub p95_ms: f64,
    /// How many timings.
    pub samples: usize,
}

/// Milliseconds of a duration.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Rounds to 5 decimals (10 ns when in ms) so the JSON stays readable.
pub fn round(x: f64) -> f64 {
    (x * 1e5).round() / 1e5
}

/// The median of values (0 when empty).
pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// The nearest-rank percentile `p` (0-100) of values (0 when empty).
pub fn percentile(values: &[f64], p: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    v[rank.clamp(1, v.len()) - 1]
}

/// Median and p95 of timings in ms.
pub fn summarize(ms: &[f64]) -> Summary {
    Summary {
        median_ms: round(median(ms)),
        p95_ms: round(percentile(ms, 95.0)),
        samples: ms.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(&[5.0, 1.0, 3.0]), 3.0);
    }

    #[test]
    fn the_p95_of_twenty_values_is_the_nineteenth() {
        let v: Vec<f64> = (1..=20).rev().map(f64::from).collect();
        assert_eq!(percentile(&v, 95.0), 19.0);
        assert_eq!(percentile(&[7.0], 95.0), 7.0);
    }
}
