//! (v3) The synthetic persons' associated disorders and types of
//! accompaniment (SPEC §2.2), dealt by exact counts over the persons active
//! in the last year, as `deal.rs` deals the rates: exactly the published
//! 1 643 persons with at least one associated disorder (TND included), a
//! few with six and none with more; the number of types of accompaniment
//! per person dealt by exact shares, a mean of 4,1. The others are drawn
//! with the same shares.
//!
//! Everything v3 adds to the sample is drawn from a generator of its own
//! (seeded from `--seed`), so that the columns and acts the sample wrote
//! before stay as they were.

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::calibration as c;
use super::{weighted, Person, SampleOptions, Slot};

/// The codes of `troubles_associes` but `tnd` and `aucun`, with weights.
const DISORDERS: [(&str, u32); 9] = [
    ("psychique", 18),
    ("comportement", 22),
    ("epilepsie", 15),
    ("sommeil", 16),
    ("alimentation", 12),
    ("somatique", 10),
    ("moteur", 14),
    ("sensoriel", 10),
    ("autre", 5),
];

/// Types of accompaniment of children and young people (under 20), with
/// weights; `camsp` only before 6.
const YOUNG: [(&str, u32); 10] = [
    ("ime", 22),
    ("sessad", 22),
    ("camsp", 8),
    ("cmpp", 8),
    ("pcpe", 6),
    ("hopital", 14),
    ("had", 3),
    ("liberal", 24),
    ("saad", 6),
    ("autre", 4),
];

/// Types of accompaniment of adults, with weights.
const ADULTS: [(&str, u32); 13] = [
    ("mas", 14),
    ("fam_eam", 14),
    ("foyer_vie", 10),
    ("esat", 9),
    ("samsah", 9),
    ("savs", 8),
    ("ssiad", 6),
    ("saad", 14),
    ("pcpe", 4),
    ("hopital", 14),
    ("had", 3),
    ("liberal", 22),
    ("autre", 4),
];

/// Deals the associated disorders and accompaniments of every person.
pub(super) fn deal_profile(persons: &mut [Person], options: &SampleOptions, rng: &mut ChaCha8Rng) {
    let latest: Vec<usize> = (0..persons.len())
        .filter(|&i| persons[i].active_in(options.last_year))
        .collect();
    deal_disorders(persons, &latest, options, rng);
    deal_accompaniments(persons, &latest, rng);
}

/// Whether a person's disorders are filled in and name at least one
/// (`Positive`), only `aucun` (`Negative`), or nothing.
fn disorder_slots(
    persons: &[Person],
    latest: &[usize],
    options: &SampleOptions,
    rng: &mut ChaCha8Rng,
) -> Vec<Slot> {
    let draw = |rng: &mut ChaCha8Rng| {
        if rng.gen_range(0..1000) < c::NOT_FILLED_DISORDERS {
            Slot::NotFilled
        } else if rng.gen_range(0..100) < 55 {
            Slot::Positive
        } else {
            Slot::Negative
        }
    };
    let mut slots: Vec<Slot> = persons.iter().map(|_| draw(rng)).collect();
    // The last year: those with a TND count whatever their column says;
    // exactly the rest of the published count among the others.
    let with_tnd = latest
        .iter()
        .filter(|&&i| persons[i].tnd == Slot::Positive)
        .count() as u64;
    let target = c::scale(options.persons, c::WITH_DISORDER, c::REFERENCE_PERSONS);
    let mut others: Vec<usize> = latest
        .iter()
        .copied()
        .filter(|&i| persons[i].tnd != Slot::Positive)
        .collect();
    others.shuffle(rng);
    let not_filled = c::scale(others.len() as u64, c::NOT_FILLED_DISORDERS, 1000) as usize;
    let positive = (target.saturating_sub(with_tnd) as usize).min(others.len() - not_filled);
    for (rank, &person) in others.iter().enumerate() {
        slots[person] = if rank < not_filled {
            Slot::NotFilled
        } else if rank < not_filled + positive {
            Slot::Positive
        } else {
            Slot::Negative
        };
    }
    slots
}

/// The associated disorders of every person: `troubles` holds the codes
/// written in `troubles_associes` (none for `aucun`), the TND of `tnd`
/// adding one; a person's total is drawn from
/// [`c::DISORDERS_PER_PERSON`], and at least [`c::WITH_SIX_DISORDERS`]
/// persons of the last year have six.
fn deal_disorders(
    persons: &mut [Person],
    latest: &[usize],
    options: &SampleOptions,
    rng: &mut ChaCha8Rng,
) {
    let slots = disorder_slots(persons, latest, options, rng);
    for (person, slot) in persons.iter_mut().zip(slots) {
        person.troubles = match slot {
            Slot::NotFilled => None,
            Slot::Negative => Some(Vec::new()),
            Slot::Positive => {
                let total = weighted(rng, &c::DISORDERS_PER_PERSON, |d| d.1 as u32).0;
                // A TND of `tnd` is one of them; it may be written here too.
                let (written_tnd, others) = match person.tnd {
                    Slot::Positive if total == 1 => (true, 0),
                    Slot::Positive => (rng.gen_bool(0.5), total - 1),
                    Slot::NotFilled if rng.gen_bool(0.3) => (true, total - 1),
                    _ => (false, total),
                };
                let mut codes: Vec<&'static str> = Vec::new();
                if written_tnd {
                    codes.push("tnd");
                }
                add_disorders(&mut codes, others, rng);
                Some(codes)
            }
        };
    }
    // "jusqu'à six": a few persons of the last year have six.
    let total = |p: &Person| {
        let written = p.troubles.as_ref().map_or(0, Vec::len);
        let implicit =
            p.tnd == Slot::Positive && !p.troubles.as_ref().is_some_and(|t| t.contains(&"tnd"));
        written + usize::from(implicit)
    };
    let mut six = latest.iter().filter(|&&i| total(&persons[i]) == 6).count();
    let mut fives: Vec<usize> = latest
        .iter()
        .copied()
        .filter(|&i| total(&persons[i]) == 5 && persons[i].troubles.is_some())
        .collect();
    fives.shuffle(rng);
    for person in fives {
        if six >= c::WITH_SIX_DISORDERS {
            break;
        }
        if let Some(codes) = persons[person].troubles.as_mut() {
            add_disorders(codes, 1, rng);
            six += 1;
        }
    }
}

/// Adds `count` disorders not yet in `codes`, weighted.
fn add_disorders(codes: &mut Vec<&'static str>, count: usize, rng: &mut ChaCha8Rng) {
    for _ in 0..count {
        let free: Vec<(&'static str, u32)> = DISORDERS
            .iter()
            .copied()
            .filter(|(code, _)| !codes.contains(code))
            .collect();
        if free.is_empty() {
            return;
        }
        codes.push(weighted(rng, &free, |d| d.1).0);
    }
}

/// Counts that add up to `total` in the shares of `percents` (largest
/// remainders), one per entry.
fn apportion(total: usize, percents: &[(usize, u64)]) -> Vec<usize> {
    let exact: Vec<u64> = percents.iter().map(|p| p.1 * total as u64).collect();
    let mut counts: Vec<usize> = exact.iter().map(|e| (e / 100) as usize).collect();
    let mut order: Vec<usize> = (0..percents.len()).collect();
    order.sort_by_key(|&k| (std::cmp::Reverse(exact[k] % 100), k));
    let missing = total - counts.iter().sum::<usize>();
    for &k in order.iter().take(missing) {
        counts[k] += 1;
    }
    counts
}

/// The types of accompaniment of every person: the number of types dealt
/// by exact shares among the persons of the last year whose field is
/// filled in, drawn for the others; the types suit the person's age.
fn deal_accompaniments(persons: &mut [Person], latest: &[usize], rng: &mut ChaCha8Rng) {
    let mut numbers: Vec<Option<usize>> = persons
        .iter()
        .map(|_| {
            (rng.gen_range(0..1000) >= c::NOT_FILLED_ACCOMPANIMENTS)
                .then(|| weighted(rng, &c::TYPES_PER_PERSON, |t| t.1 as u32).0)
        })
        .collect();
    let mut dealt = latest.to_vec();
    dealt.shuffle(rng);
    let not_filled = c::scale(dealt.len() as u64, c::NOT_FILLED_ACCOMPANIMENTS, 1000) as usize;
    let counts = apportion(dealt.len() - not_filled, &c::TYPES_PER_PERSON);
    let mut ranks = dealt.into_iter();
    for person in ranks.by_ref().take(not_filled) {
        numbers[person] = None;
    }
    for (&(types, _), &count) in c::TYPES_PER_PERSON.iter().zip(&counts) {
        for person in ranks.by_ref().take(count) {
            numbers[person] = Some(types);
        }
    }
    for (person, number) in persons.iter_mut().zip(numbers) {
        let age = person.age(person.last);
        person.accompagnements = number.map(|n| {
            let options: Vec<(&'static str, u32)> = if age < 20 {
                YOUNG
                    .iter()
                    .copied()
                    .filter(|(code, _)| *code != "camsp" || age < 6)
                    .collect()
            } else {
                ADULTS.to_vec()
            };
            let mut types: Vec<&'static str> = Vec::new();
            while types.len() < n.min(options.len()) {
                let free: Vec<(&'static str, u32)> = options
                    .iter()
                    .copied()
                    .filter(|(code, _)| !types.contains(code))
                    .collect();
                types.push(weighted(rng, &free, |t| t.1).0);
            }
            types
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_apportioned_to_their_total() {
        assert_eq!(
            apportion(100, &c::TYPES_PER_PERSON),
            [3, 6, 12, 17, 20, 17, 12, 8, 5]
        );
        let counts = apportion(2181, &c::TYPES_PER_PERSON);
        assert_eq!(counts.iter().sum::<usize>(), 2181);
        let sum: usize = counts
            .iter()
            .zip(&c::TYPES_PER_PERSON)
            .map(|(n, t)| n * t.0)
            .sum();
        // The mean rounds to 4,1 and to 4.
        assert_eq!(
            crate::format::mean(sum as u64, 2181).as_deref(),
            Some("4,1")
        );
    }
}
