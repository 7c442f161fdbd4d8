//! Cursor pages over records in id order.

/// The largest page a caller may ask for.
pub const MAX_PAGE: usize = 200;

/// One page of records and the id to continue after, if more may follow.
#[derive(Debug, Clone)]
pub struct Page<T, Id> {
    /// The records of this page.
    pub items: Vec<T>,
    /// The last id of this page when another page follows.
    pub next_after: Option<Id>,
}

/// Takes up to `limit` items that pass `keep` from `source`; `id` gives the cursor of an item.
pub fn collect_page<T, Id>(
    source: impl Iterator<Item = crate::Result<T>>,
    limit: usize,
    keep: impl Fn(&T) -> bool,
    id: impl Fn(&T) -> Id,
) -> crate::Result<Page<T, Id>> {
    let limit = limit.clamp(1, MAX_PAGE);
    let mut items = Vec::with_capacity(limit);
    for item in source {
        let item = item?;
        if !keep(&item) {
            continue;
        }
        if items.len() == limit {
            let next_after = items.last().map(&id);
            return Ok(Page { items, next_after });
        }
        items.push(item);
    }
    Ok(Page {
        items,
        next_after: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_page_points_at_its_last_item() {
        let page = collect_page((1..=5).map(Ok), 2, |_| true, |x| *x).unwrap();
        assert_eq!(page.items, vec![1, 2]);
        assert_eq!(page.next_after, Some(2));
    }

    #[test]
    fn the_last_page_has_no_cursor() {
        let page = collect_page((1..=4).map(Ok), 2, |x| x % 2 == 0, |x| *x).unwrap();
        assert_eq!(page.items, vec![2, 4]);
        assert_eq!(page.next_after, None);
    }
}
