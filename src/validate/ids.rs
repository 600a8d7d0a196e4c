//! Identifiers as small integers.
//!
//! An export holds a million act ids and as many references to persons.
//! Keeping each as its own `String` (and again as a hash-map key) cost more
//! memory than the file itself, so ids are stored once, end to end in one
//! buffer, and rows refer to them by their index in order of first sight.
//!
//! Exports usually list a table's rows by increasing id (`I0000001`,
//! `I0000002`…). While every string inserted is greater than the one
//! before (shorter first, then byte by byte), none can be a repeat and no
//! hash table is needed: a million act ids are checked without one cache
//! miss each. The table is built, once, when a string breaks that order;
//! if every string so far had one shape, a prefix then digits (`U000123`),
//! an array indexed by the digits' value takes its place for the strings of
//! that shape. The array grows with the values, within a room of a few
//! entries a string or, given [`Interner::with_room`], of what the caller
//! expects: ids of a file listed in another order than theirs (grouped by
//! person) are numbered by the array too.

use std::cmp::Ordering;
use std::hash::BuildHasher;

use foldhash::fast::FixedState;
use hashbrown::HashTable;

/// A set of strings numbered `0, 1, 2…` in order of first insertion.
///
/// Its table's slots keep each string's number and hash, and a [`Key`]:
/// [`Keyed`] (the default: a lookup that finds the string never reads
/// `text`, for the person ids that a million acts look up) or [`Compact`]
/// (nothing more, a third of the size, for a file's own ids, which are only
/// looked up to find the repeated ones: almost every lookup misses, and a
/// miss reads no text either way).
#[derive(Debug, Clone)]
pub struct Interner<K = Keyed> {
    /// Every string, end to end.
    text: String,
    /// Where string `k` ends in `text` (it starts where `k − 1` ends).
    ends: Narrow,
    /// The strings' numbers, hashed by their string, with what tells the
    /// strings apart without reading `text` (a cache miss per id on a
    /// million ids): growing the table never reads it. Empty while
    /// `increasing`.
    table: HashTable<Slot<K>>,
    /// Whether each string was greater than the one before ([`ascending`]):
    /// then `text` is sorted, and searched by halves instead of a table.
    increasing: bool,
    /// Once the increasing run ends, the strings of one shape, if every
    /// string so far had it; the others go to `table`.
    digits: Option<Digits>,
    /// How many entries the array of `digits` may have whatever the number
    /// of strings (see [`Interner::with_room`]).
    room: usize,
}

/// Strings of one shape, a prefix then digits, all of one length
/// (`U000123`), numbered by the value of their digits: a lookup reads one
/// entry of an array of 4 bytes a value, rather than a slot of a hash table
/// six times larger (the person ids that a million acts look up, decision
/// 90).
#[derive(Debug, Clone)]
struct Digits {
    prefix: Box<str>,
    len: usize,
    /// How many values the array holds.
    slots: usize,
    /// By the value of the digits, a bit each: whether a string has it. A
    /// file's own ids are nearly all fresh, and grouped by person they
    /// come in no order: an array of their numbers (4 MB for a million
    /// ids) is read and written at random, a cache miss an id, where these
    /// bits (128 KB) stay in the core's cache (decision 200).
    taken: Vec<u64>,
    /// By the value of the digits: the string's number + 1, or 0. Kept
    /// from the start when lookups need the numbers ([`Key::NUMBERED`]),
    /// otherwise made only once a string comes again.
    numbers: Option<Vec<u32>>,
    /// Whether a string of this shape went to the table, its value being
    /// beyond the array then: the array no longer grows, so that no value
    /// is in both.
    overflowed: bool,
}

impl Digits {
    /// The most digits a value is read from (it fits in a `usize`).
    const MOST: usize = 9;

    /// The index of `strings` (every string so far, in order) if they all
    /// have the first one's shape and their values fit in `room` entries.
    fn of<'a>(
        mut strings: impl Iterator<Item = &'a str>,
        count: usize,
        room: usize,
        numbered: bool,
    ) -> Option<Self> {
        let first = strings.next()?;
        let digits = first.bytes().rev().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > Self::MOST {
            return None;
        }
        let mut index = Self {
            prefix: first[..first.len() - digits].into(),
            len: first.len(),
            slots: 0,
            taken: Vec::new(),
            numbers: numbered.then(Vec::new),
            overflowed: false,
        };
        let mut values = Vec::with_capacity(count);
        for value in std::iter::once(first).chain(strings) {
            values.push(index.value(value)?);
        }
        let most = values.iter().copied().max()?;
        // Values spread thinner than this keep the hash table.
        if most >= room {
            return None;
        }
        index.grow(Self::grown(most, room));
        for (number, value) in (0u32..).zip(values) {
            index.take(value, number);
        }
        Some(index)
    }

    /// The value of a string of this shape.
    fn value(&self, value: &str) -> Option<usize> {
        let bytes = value.as_bytes();
        if bytes.len() != self.len || !bytes.starts_with(self.prefix.as_bytes()) {
            return None;
        }
        bytes[self.prefix.len()..]
            .iter()
            .try_fold(0usize, |total, &b| {
                b.is_ascii_digit()
                    .then(|| total * 10 + usize::from(b - b'0'))
            })
    }

    /// The slot of a string of this shape whose value the array holds.
    fn slot(&self, value: &str) -> Option<usize> {
        self.value(value).filter(|&v| v < self.slots)
    }

    /// The slot of a string of this shape that is to be inserted: the array
    /// grows to hold its value if `room` allows and no value went to the
    /// table before.
    fn slot_for(&mut self, value: &str, room: usize) -> Option<usize> {
        let value = self.value(value)?;
        if value >= self.slots && !self.overflowed {
            if value < room {
                self.grow(Self::grown(value, room));
            } else {
                self.overflowed = true;
            }
        }
        (value < self.slots).then_some(value)
    }

    /// Makes the array `len` entries long.
    fn grow(&mut self, len: usize) {
        self.slots = len;
        self.taken.resize(len.div_ceil(64), 0);
        if let Some(numbers) = &mut self.numbers {
            numbers.resize(len, 0);
        }
    }

    /// Whether slot `slot` holds a string.
    fn is_taken(&self, slot: usize) -> bool {
        self.taken[slot / 64] & (1 << (slot % 64)) != 0
    }

    /// Slot `slot` holds string number `number`.
    fn take(&mut self, slot: usize, number: u32) {
        self.taken[slot / 64] |= 1 << (slot % 64);
        if let Some(numbers) = &mut self.numbers {
            numbers[slot] = number.saturating_add(1);
        }
    }

    /// The number of the string in slot `slot`, which holds one; `strings`
    /// are every string so far, in order, for the numbers to be made from
    /// if they are not kept yet.
    fn number<'a>(&mut self, slot: usize, strings: impl Iterator<Item = &'a str>) -> u32 {
        if self.numbers.is_none() {
            let mut numbers = vec![0; self.slots];
            for (number, string) in (1u32..).zip(strings) {
                if let Some(at) = self.slot(string) {
                    numbers[at] = number;
                }
            }
            self.numbers = Some(numbers);
        }
        self.numbers
            .as_ref()
            .map_or(0, |numbers| numbers[slot].saturating_sub(1))
    }

    /// The length of an array that holds `value`, with room to grow.
    fn grown(value: usize, room: usize) -> usize {
        (value + 1 + value / 2 + 1024).min(room).max(value + 1)
    }
}

impl<K> Default for Interner<K> {
    fn default() -> Self {
        Self {
            text: String::new(),
            ends: Narrow::default(),
            table: HashTable::new(),
            increasing: true,
            digits: None,
            room: 0,
        }
    }
}

/// The order of an increasing run of ids: shorter first (`U9` before
/// `U10`), then byte by byte (`U01` before `U02`).
fn ascending(a: &str, b: &str) -> Ordering {
    a.len()
        .cmp(&b.len())
        .then_with(|| a.as_bytes().cmp(b.as_bytes()))
}

/// A string's number, its hash folded to 32 bits, and its key.
#[derive(Debug, Clone, Copy)]
struct Slot<K> {
    index: u32,
    hash: u32,
    key: K,
}

/// What a slot keeps of its string besides its hash.
pub trait Key: Copy + PartialEq {
    /// Whether the strings found are mostly found again (person ids, looked
    /// up by their number) rather than new (a file's own ids): then the
    /// numbers of an array of one shape are kept as strings come.
    const NUMBERED: bool;

    fn of(value: &str) -> Self;
    /// Whether equal keys (and hashes) make equal strings, without reading
    /// the text of `value`'s slot.
    fn settles(value: &str) -> bool;
}

/// A string's first 15 bytes (zero-padded), then its length, or `0xFF`
/// when it is longer: equal keys are equal strings up to 15 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keyed([u64; 2]);

/// Nothing but the hash: equal hashes are compared by their text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compact;

/// Strings of up to this many bytes are compared by their key alone.
const INLINE: usize = 15;

impl Key for Keyed {
    const NUMBERED: bool = true;

    fn of(value: &str) -> Self {
        let bytes = value.as_bytes();
        let head = bytes.len().min(INLINE);
        let last = if bytes.len() <= INLINE {
            bytes.len() as u8
        } else {
            0xFF
        };
        Self(packed(&bytes[..head], last))
    }

    fn settles(value: &str) -> bool {
        value.len() <= INLINE
    }
}

impl Key for Compact {
    const NUMBERED: bool = false;

    fn of(_: &str) -> Self {
        Compact
    }

    fn settles(_: &str) -> bool {
        false
    }
}

/// `bytes` zero-padded into `W` little-endian words (at most four), their
/// very last byte `last`: a text's key compared and hashed as integers
/// ([`Keyed`], and the texts of `usagers.csv`).
pub(super) fn packed<const W: usize>(bytes: &[u8], last: u8) -> [u64; W] {
    const { assert!(W >= 1 && W <= 4) };
    let mut key = [0u8; 32];
    let len = bytes.len().min(8 * W - 1);
    key[..len].copy_from_slice(&bytes[..len]);
    key[8 * W - 1] = last;
    std::array::from_fn(|k| {
        let mut word = [0u8; 8];
        word.copy_from_slice(&key[8 * k..8 * k + 8]);
        u64::from_le_bytes(word)
    })
}

/// The hash a table places a slot by: hashbrown takes the bucket from the
/// low bits and the control tag from the top seven, so the 32 bits stand in
/// both halves.
fn table_hash(hash: u32) -> u64 {
    (u64::from(hash) << 32) | u64::from(hash)
}

/// Adds string number `index`, which `probe` was made of, to a table that
/// does not hold it yet.
fn add_slot<K: Key>(table: &mut HashTable<Slot<K>>, index: u32, probe: &Probe<'_, K>) {
    let slot = Slot {
        index,
        hash: probe.hash,
        key: probe.key,
    };
    table.insert_unique(table_hash(slot.hash), slot, |slot| table_hash(slot.hash));
}

/// What a lookup of `value` compares slots with.
struct Probe<'v, K> {
    value: &'v str,
    hash: u32,
    key: K,
}

impl<'v, K: Key> Probe<'v, K> {
    fn new(value: &'v str) -> Self {
        let hash = FixedState::default().hash_one(value);
        Self {
            value,
            hash: (hash ^ (hash >> 32)) as u32,
            key: K::of(value),
        }
    }

    /// Whether `slot` holds this string (`get` reads its text if need be).
    fn matches(&self, slot: &Slot<K>, get: impl FnOnce(u32) -> &'v str) -> bool {
        slot.hash == self.hash
            && slot.key == self.key
            && (K::settles(self.value) || get(slot.index) == self.value)
    }
}

impl<K> Interner<K> {
    /// An interner whose strings of one shape may be numbered by an array
    /// of up to `room` entries (4 bytes each), however few they are: for a
    /// file's ids, a quarter of its size, so that the array never takes
    /// more memory than the file (a hash table takes 10 to 18 bytes an id).
    pub fn with_room(room: usize) -> Self {
        Self {
            room,
            ..Self::default()
        }
    }
}

impl<K: Key> Interner<K> {
    /// How many entries the array may have now: four a string and 1024
    /// more, or the room given.
    fn room(&self) -> usize {
        self.len()
            .saturating_mul(4)
            .saturating_add(1025)
            .max(self.room)
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether every string so far was greater than the one before
    /// (shorter first, then byte by byte): no table or array is needed yet.
    pub fn in_order(&self) -> bool {
        self.increasing
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
        if self.increasing {
            let (mut low, mut high) = (0, self.len());
            while low < high {
                let middle = low + (high - low) / 2;
                match ascending(self.get(middle as u32), value) {
                    Ordering::Less => low = middle + 1,
                    Ordering::Greater => high = middle,
                    Ordering::Equal => return Some(middle as u32),
                }
            }
            return None;
        }
        if let Some(digits) = &self.digits {
            if let Some(slot) = digits.slot(value) {
                if !digits.is_taken(slot) {
                    return None;
                }
                return match &digits.numbers {
                    Some(numbers) => Some(numbers[slot].saturating_sub(1)),
                    // Not kept: looked for (only the tests ask).
                    None => (0u32..)
                        .zip(self.iter())
                        .find(|(_, s)| *s == value)
                        .map(|(k, _)| k),
                };
            }
        }
        let probe = Probe::<K>::new(value);
        self.table
            .find(table_hash(probe.hash), |slot| {
                probe.matches(slot, |k| slice(&self.text, &self.ends, k))
            })
            .map(|slot| slot.index)
    }

    /// Whether `value` was inserted.
    pub fn contains(&self, value: &str) -> bool {
        if let Some(digits) = &self.digits {
            if let Some(slot) = digits.slot(value) {
                return digits.is_taken(slot);
            }
        }
        self.find(value).is_some()
    }

    /// `Ok(number)` for a string seen for the first time, `Err(number)` of
    /// the earlier one otherwise.
    pub fn insert(&mut self, value: &str) -> Result<u32, u32> {
        if self.increasing {
            let last = self.len().checked_sub(1).map(|k| self.get(k as u32));
            if last.is_none_or(|last| ascending(last, value) == Ordering::Less) {
                return Ok(self.push(value));
            }
            self.build_table();
        }
        let room = self.room();
        if let Some(digits) = &mut self.digits {
            if let Some(slot) = digits.slot_for(value, room) {
                if digits.is_taken(slot) {
                    return Err(digits.number(slot, strings(&self.text, &self.ends)));
                }
                let number = self.push(value);
                if let Some(digits) = &mut self.digits {
                    digits.take(slot, number);
                }
                return Ok(number);
            }
        }
        let probe = Probe::<K>::new(value);
        let (text, ends) = (&self.text, &self.ends);
        if let Some(slot) = self.table.find(table_hash(probe.hash), |slot| {
            probe.matches(slot, |k| slice(text, ends, k))
        }) {
            return Err(slot.index);
        }
        let index = self.push(value);
        add_slot(&mut self.table, index, &probe);
        Ok(index)
    }

    /// Adds a string to `text` and returns its number.
    fn push(&mut self, value: &str) -> u32 {
        // More than 4 billion distinct ids would need over 20 GB for `ends`
        // alone, so memory runs out first; saturating only avoids a panic
        // path that cannot be reached.
        let index = u32::try_from(self.ends.len()).unwrap_or(u32::MAX);
        self.text.push_str(value);
        self.ends.push(self.text.len() as u64);
        index
    }

    /// Ends the increasing run: the table of every string so far.
    fn build_table(&mut self) {
        self.increasing = false;
        self.digits = Digits::of(self.iter(), self.len(), self.room(), K::NUMBERED);
        if self.digits.is_some() {
            return;
        }
        let mut table = HashTable::with_capacity(self.len());
        for index in 0..self.len() as u32 {
            add_slot(&mut table, index, &Probe::new(self.get(index)));
        }
        self.table = table;
    }

    /// Every string, in order of number.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        strings(&self.text, &self.ends)
    }
}

/// Every string of `text`, cut where `ends` says, in order of number: an
/// interner's strings, borrowed apart from its other fields.
fn strings<'a>(text: &'a str, ends: &'a Narrow) -> impl Iterator<Item = &'a str> {
    (0..ends.len() as u32).map(move |k| slice(text, ends, k))
}

/// String number `index` of `text`, cut where `ends` says.
fn slice<'a>(text: &'a str, ends: &Narrow, index: u32) -> &'a str {
    let index = index as usize;
    let start = if index == 0 { 0 } else { ends.get(index - 1) };
    &text[start as usize..ends.get(index) as usize]
}

/// Numbers that nearly always fit in 32 bits (where each id's text ends,
/// the line each id was first seen on), kept in 32 bits until one does
/// not, then all in 64: half the memory of a `Vec<u64>` for the million
/// ids of an act file (decision 187).
#[derive(Debug, Clone, Default)]
pub struct Narrow {
    narrow: Vec<u32>,
    wide: Option<Vec<u64>>,
}

impl Narrow {
    pub fn push(&mut self, value: u64) {
        if let Some(wide) = &mut self.wide {
            wide.push(value);
            return;
        }
        match u32::try_from(value) {
            Ok(value) => self.narrow.push(value),
            Err(_) => {
                let mut wide: Vec<u64> = self.narrow.iter().copied().map(u64::from).collect();
                wide.push(value);
                self.narrow = Vec::new();
                self.wide = Some(wide);
            }
        }
    }

    /// The number at `index`, which must have been pushed.
    pub fn get(&self, index: usize) -> u64 {
        match &self.wide {
            Some(wide) => wide[index],
            None => u64::from(self.narrow[index]),
        }
    }

    pub fn len(&self) -> usize {
        self.wide.as_ref().map_or(self.narrow.len(), Vec::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn narrow_numbers_widen_when_one_does_not_fit_in_32_bits() {
        let mut numbers = Narrow::default();
        assert!(numbers.is_empty());
        numbers.push(7);
        numbers.push(u64::from(u32::MAX));
        assert!(numbers.wide.is_none());
        numbers.push(u64::from(u32::MAX) + 1);
        numbers.push(3);
        assert!(numbers.wide.is_some());
        let all: Vec<u64> = (0..numbers.len()).map(|k| numbers.get(k)).collect();
        assert_eq!(all, [7, u64::from(u32::MAX), u64::from(u32::MAX) + 1, 3]);
    }

    #[test]
    fn numbers_strings_in_order_of_first_sight() {
        let mut ids = Interner::<Keyed>::default();
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

    #[test]
    fn keys_tell_apart_padding_and_long_strings() {
        let mut ids = Interner::<Keyed>::default();
        let long = "ABCDEFGHIJKLMNO-1";
        let other = "ABCDEFGHIJKLMNO-2";
        assert_eq!(ids.insert("U1"), Ok(0));
        assert_eq!(ids.insert("U1\0"), Ok(1));
        assert_eq!(ids.insert("ABCDEFGHIJKLMNO"), Ok(2));
        assert_eq!(ids.insert(long), Ok(3));
        assert_eq!(ids.insert(other), Ok(4));
        assert_eq!(ids.insert(long), Err(3));
        assert_eq!(ids.insert("U1\0"), Err(1));
        assert_eq!(ids.find(other), Some(4));
        assert_eq!(ids.find("ABCDEFGHIJKLMNO-3"), None);
    }

    #[test]
    fn slots_are_as_small_as_decisions_68_says() {
        assert_eq!(std::mem::size_of::<Slot<Compact>>(), 8);
        assert_eq!(std::mem::size_of::<Slot<Keyed>>(), 24);
    }

    /// Checks an interner against a plain list of distinct strings.
    fn agrees<K: Key>(values: &[String]) -> Result<(), TestCaseError> {
        agrees_in(Interner::<K>::default(), values)
    }

    /// The same, from an interner made otherwise.
    fn agrees_in<K: Key>(mut ids: Interner<K>, values: &[String]) -> Result<(), TestCaseError> {
        let mut distinct: Vec<String> = Vec::new();
        for value in values {
            match distinct.iter().position(|d| d == value) {
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
            prop_assert!(ids.contains(value));
        }
        for value in values {
            let absent = format!("{value}0");
            prop_assert_eq!(ids.contains(&absent), distinct.contains(&absent));
        }
        Ok(())
    }

    #[test]
    fn an_increasing_run_needs_no_table_until_it_ends() {
        let mut ids = Interner::<Compact>::default();
        for (k, id) in ["U9", "U10", "U11", "V11", "U100"].into_iter().enumerate() {
            assert_eq!(ids.insert(id), Ok(k as u32));
        }
        assert!(ids.table.is_empty());
        assert_eq!(ids.find("V11"), Some(3));
        assert_eq!(ids.find("U12"), None);
        assert_eq!(ids.insert("U10"), Err(1));
        assert_eq!(ids.table.len(), 5);
        assert_eq!(ids.insert("U101"), Ok(5));
        assert_eq!(ids.find("U9"), Some(0));
    }

    proptest! {
        /// Both kinds of slot agree with a plain list of distinct strings,
        /// across the table's growth, short and long strings alike.
        #[test]
        fn agrees_with_a_list(values in proptest::collection::vec("[a-c]{0,3}|é+|[a-b]{14,18}", 0..300)) {
            agrees::<Keyed>(&values)?;
            agrees::<Compact>(&values)?;
        }

        /// The same with an increasing run first (ids as exports list
        /// them), then anything, repeats of the run included.
        #[test]
        fn agrees_with_a_list_after_an_increasing_run(
            run in proptest::collection::btree_set(0u32..5000, 0..200),
            rest in proptest::collection::vec("U[0-9]{1,4}|[a-b]{14,18}", 0..100),
        ) {
            let values: Vec<String> = run.iter().map(|n| format!("U{n}")).chain(rest).collect();
            agrees::<Keyed>(&values)?;
            agrees::<Compact>(&values)?;
        }

        /// The same with a run of one shape (`U00042`), whose values are
        /// then numbered by an array, and anything after: the same shape
        /// inside and beyond the array, other shapes, repeats.
        #[test]
        fn agrees_with_a_list_after_a_run_of_one_shape(
            run in proptest::collection::btree_set(0u32..3000, 1..200),
            rest in proptest::collection::vec("U[0-9]{5}|U0[0-2][0-9]{3}|U[0-9]{1,4}|X[0-9]{5}|U[0-9]{4}a|é", 0..150),
        ) {
            let values: Vec<String> = run.iter().map(|n| format!("U{n:05}")).chain(rest).collect();
            agrees::<Keyed>(&values)?;
            agrees::<Compact>(&values)?;
        }

        /// The same when the array may grow within a room given beforehand:
        /// ids of one shape in any order (as a file grouped by person lists
        /// its acts), values inside and beyond the room, other shapes,
        /// repeats.
        #[test]
        fn agrees_with_a_list_with_room_for_an_array(
            room in 0usize..12_000,
            values in proptest::collection::vec("I[0-9]{4}|I0[0-2][0-9]{2}|I[0-9]{1,3}|X[0-9]{4}|é", 0..300),
        ) {
            agrees_in(Interner::<Keyed>::with_room(room), &values)?;
            agrees_in(Interner::<Compact>::with_room(room), &values)?;
        }
    }

    #[test]
    fn ids_in_any_order_are_numbered_by_an_array_within_the_room() {
        let mut ids = Interner::<Compact>::with_room(100_000);
        let values = [63_839, 98_219, 4, 72_000, 98_219, 99_999];
        for (k, value) in values.iter().enumerate().filter(|&(k, _)| k != 4) {
            let number = ids.len() as u32;
            assert_eq!(ids.insert(&format!("I{value:07}")), Ok(number), "{k}");
        }
        // A file's own ids are only checked for repeats: no numbers are
        // kept in the array until one comes again.
        assert!(ids.digits.as_ref().is_some_and(|d| d.numbers.is_none()));
        assert!(ids.contains("I0098219") && !ids.contains("I0098218"));
        assert_eq!(ids.insert("I0098219"), Err(1));
        assert!(ids.digits.as_ref().is_some_and(|d| d.numbers.is_some()));
        assert!(ids.table.is_empty());
        assert_eq!(ids.find("I0072000"), Some(3));
        // Beyond the room: the table, and the array grows no more.
        assert_eq!(ids.insert("I0100000"), Ok(5));
        assert_eq!(ids.table.len(), 1);
        let digits = ids.digits.as_ref().map(|d| (d.overflowed, d.slots));
        assert_eq!(digits, Some((true, 100_000)));
        assert_eq!(ids.find("I0100000"), Some(5));
        // Without the room, the same ids go to the table.
        let mut table = Interner::<Compact>::default();
        for value in [63_839, 98_219, 4] {
            let _ = table.insert(&format!("I{value:07}"));
        }
        assert!(table.digits.is_none() && table.table.len() == 3);
    }

    #[test]
    fn a_run_of_one_shape_is_numbered_by_an_array() {
        let mut ids = Interner::<Keyed>::default();
        for (k, id) in ["U001", "U002", "U005"].into_iter().enumerate() {
            assert_eq!(ids.insert(id), Ok(k as u32));
        }
        // Person ids are looked up by their number: it is kept as they come.
        assert_eq!(ids.insert("U004"), Ok(3));
        assert!(ids.digits.as_ref().is_some_and(|d| d.numbers.is_some()));
        let mut ids = Interner::<Keyed>::default();
        for (k, id) in ["U001", "U002", "U005"].into_iter().enumerate() {
            assert_eq!(ids.insert(id), Ok(k as u32));
        }
        assert_eq!(ids.insert("U002"), Err(1));
        assert!(ids.digits.is_some() && ids.table.is_empty());
        assert_eq!(ids.insert("U003"), Ok(3));
        assert_eq!(ids.insert("U03"), Ok(4));
        assert_eq!(ids.insert("u003"), Ok(5));
        assert_eq!(ids.table.len(), 2);
        assert_eq!(ids.find("U003"), Some(3));
        assert_eq!(ids.find("U03"), Some(4));
        assert_eq!(ids.find("U004"), None);
        assert_eq!(ids.insert("U999"), Ok(6));
        assert_eq!(ids.find("U999"), Some(6));
    }
}
