//! Identifiers as small integers.
//!
//! An export holds a million act ids and as many references to persons.
//! Keeping each as its own `String` (and again as a hash-map key) cost more
//! memory than the file itself, so ids are stored once, end to end in one
//! buffer, and rows refer to them by their index in order of first sight.

use std::hash::BuildHasher;

use foldhash::fast::FixedState;
use hashbrown::HashTable;

/// A set of strings numbered `0, 1, 2…` in order of first insertion.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    /// Every string, end to end.
    text: String,
    /// Where string `k` ends in `text` (it starts where `k − 1` ends).
    ends: Vec<usize>,
    /// Indices into `ends`, hashed by their string.
    table: HashTable<u32>,
}

impl Interner {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The string numbered `index`.
    pub fn get(&self, index: u32) -> &str {
        slice(&self.text, &self.ends, index)
    }

    /// The number of `value`, if it was inserted.
    pub fn find(&self, value: &str) -> Option<u32> {
        let hash = FixedState::default().hash_one(value);
        self.table.find(hash, |&k| self.get(k) == value).copied()
    }

    /// `Ok(number)` for a string seen for the first time, `Err(number)` of
    /// the earlier one otherwise.
    pub fn insert(&mut self, value: &str) -> Result<u32, u32> {
        let hash = FixedState::default().hash_one(value);
        if let Some(&index) = self.table.find(hash, |&k| self.get(k) == value) {
            return Err(index);
        }
        // More than 4 billion distinct ids would need over 40 GB for `ends`
        // alone, so memory runs out first; saturating only avoids a panic
        // path that cannot be reached.
        let index = u32::try_from(self.ends.len()).unwrap_or(u32::MAX);
        self.text.push_str(value);
        self.ends.push(self.text.len());
        // The table may grow and rehash: `self` is borrowed by it, so the
        // strings are read through their fields.
        let (text, ends) = (&self.text, &self.ends);
        self.table.insert_unique(hash, index, |&k| {
            FixedState::default().hash_one(slice(text, ends, k))
        });
        Ok(index)
    }

    /// Every string, in order of number.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.ends.len()).map(|k| self.get(k as u32))
    }
}

/// String number `index` of `text`, cut where `ends` says.
fn slice<'a>(text: &'a str, ends: &[usize], index: u32) -> &'a str {
    let index = index as usize;
    let start = if index == 0 { 0 } else { ends[index - 1] };
    &text[start..ends[index]]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn numbers_strings_in_order_of_first_sight() {
        let mut ids = Interner::default();
        assert_eq!(ids.insert("U1"), Ok(0));
        assert_eq!(ids.insert(""), Ok(1));
        assert_eq!(ids.insert("U2"), Ok(2));
        assert_eq!(ids.insert("U1"), Err(0));
        assert_eq!(ids.insert(""), Err(1));
        assert_eq!(ids.find("U2"), Some(2));
        assert_eq!(ids.find("U3"), None);
        assert_eq!(ids.get(2), "U2");
        assert_eq!(ids.iter().collect::<Vec<_>>(), ["U1", "", "U2"]);
    }

    proptest! {
        /// The interner agrees with a plain list of distinct strings, across
        /// the table's growth.
        #[test]
        fn agrees_with_a_list(values in proptest::collection::vec("[a-c]{0,3}|é+", 0..300)) {
            let mut ids = Interner::default();
            let mut distinct: Vec<String> = Vec::new();
            for value in &values {
                let expected = distinct.iter().position(|d| d == value);
                match expected {
                    Some(k) => prop_assert_eq!(ids.insert(value), Err(k as u32)),
                    None => {
                        prop_assert_eq!(ids.insert(value), Ok(distinct.len() as u32));
                        distinct.push(value.clone());
                    }
                }
            }
            prop_assert_eq!(ids.len(), distinct.len());
            for (k, value) in distinct.iter().enumerate() {
                prop_assert_eq!(ids.get(k as u32), value.as_str());
                prop_assert_eq!(ids.find(value), Some(k as u32));
            }
        }
    }
}
