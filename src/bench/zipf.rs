//! A Zipf sampler: items in a random order, the one at rank `r` drawn with weight `1 / r^exponent`.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::Rng;

/// Items in a random order, drawn with probability proportional to `1 / rank^exponent`.
#[derive(Debug, Clone)]
pub struct Zipf {
    items: Vec<usize>,
    cumulative: Vec<f64>,
}

impl Zipf {
    /// The items in an order shuffled by `rng`, the first the most popular.
    pub fn new(mut items: Vec<usize>, exponent: f64, rng: &mut StdRng) -> Self {
        items.shuffle(rng);
        let mut total = 0.0;
        let cumulative = (1..=items.len())
            .map(|rank| {
                total += 1.0 / (rank as f64).powf(exponent);
                total
            })
            .collect();
        Zipf { items, cumulative }
    }

    /// One item; `None` when there are none.
    pub fn sample(&self, rng: &mut StdRng) -> Option<usize> {
        let total = *self.cumulative.last()?;
        let x = rng.random::<f64>() * total;
        let at = self.cumulative.partition_point(|c| *c <= x).min(self.items.len() - 1);
        Some(self.items[at])
    }

    /// Up to `n` distinct items (fewer when the draws keep repeating); with `other`, each draw comes
    /// from `self` with the given probability and from `other` otherwise.
    pub fn distinct(&self, rng: &mut StdRng, n: usize, other: Option<(&Zipf, f64)>) -> Vec<usize> {
        let mut out = Vec::with_capacity(n);
        for _ in 0..n * 8 {
            if out.len() == n {
                break;
            }
            let from = match other {
                Some((o, share)) if !rng.random_bool(share) => o,
                _ => self,
            };
            if let Some(x) = from.sample(rng) {
                if !out.contains(&x) {
                    out.push(x);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn the_first_item_of_the_order_is_drawn_most_often() {
        let mut rng = StdRng::seed_from_u64(1);
        let z = Zipf::new((0..50).collect(), 1.0, &mut rng);
        let mut counts = [0usize; 50];
        for _ in 0..20_000 {
            counts[z.sample(&mut rng).unwrap()] += 1;
        }
        let top = z.items[0];
        assert!(counts.iter().all(|&c| c <= counts[top]), "{counts:?}");
        // Rank 1 over H(50) ~ 4.5: about 22% of the draws.
        assert!((3_500..5_500).contains(&counts[top]), "{}", counts[top]);
    }

    #[test]
    fn distinct_draws_never_repeat_an_item() {
        let mut rng = StdRng::seed_from_u64(2);
        let z = Zipf::new((0..10).collect(), 1.0, &mut rng);
        let mut d = z.distinct(&mut rng, 8, None);
        assert_eq!(d.len(), 8);
        d.sort();
        d.dedup();
        assert_eq!(d.len(), 8);
    }
}
