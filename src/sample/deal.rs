//! The rate outcomes of the synthetic persons: dealt by exact counts over
//! the persons active in a calibrated year, so that each published rate
//! comes out whatever the seed, and drawn with the same shares for the
//! others.

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::calibration as c;
use super::{Person, SampleOptions, Slot};

/// What a dealt population must hold besides its not filled in.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// Positives whose share of the filled in rounds to this percent.
    Percent(u64),
    /// Exactly this many positives.
    Count(u64),
}

/// Deals the outcomes of the persons of `population` not dealt yet so that,
/// with those already dealt (for a later calibrated year), the population
/// has its per mille of not filled in and its target of positives.
fn deal_slots(
    rng: &mut ChaCha8Rng,
    slots: &mut [Option<Slot>],
    population: &[usize],
    not_filled_per_mille: u64,
    target: Target,
) {
    let dealt = |slot: Slot| {
        population
            .iter()
            .filter(|&&i| slots[i] == Some(slot))
            .count() as u64
    };
    let (fixed_not_filled, fixed_positive) = (dealt(Slot::NotFilled), dealt(Slot::Positive));
    let mut free: Vec<usize> = population
        .iter()
        .copied()
        .filter(|&i| slots[i].is_none())
        .collect();
    free.shuffle(rng);
    let size = population.len() as u64;
    let not_filled = c::scale(size, not_filled_per_mille, 1000)
        .saturating_sub(fixed_not_filled)
        .min(free.len() as u64);
    let filled = size - fixed_not_filled - not_filled;
    let positive = match target {
        Target::Percent(percent) => c::numerator_for(percent, filled),
        Target::Count(count) => count,
    }
    .saturating_sub(fixed_positive)
    .min(free.len() as u64 - not_filled);
    for (rank, person) in free.into_iter().enumerate() {
        let rank = rank as u64;
        slots[person] = Some(if rank < not_filled {
            Slot::NotFilled
        } else if rank < not_filled + positive {
            Slot::Positive
        } else {
            Slot::Negative
        });
    }
}

/// Deals the rate outcomes of the persons active in the calibrated years by
/// exact counts (the last year, then 2021's among the persons the last year
/// left free), and draws those of the others with the same shares.
pub(super) fn deal(persons: &mut [Person], options: &SampleOptions, rng: &mut ChaCha8Rng) {
    let year = options.last_year;
    let active_in = |year: i32| -> Vec<usize> {
        (0..persons.len())
            .filter(|&i| persons[i].active_in(year))
            .collect()
    };
    let latest = active_in(year);
    let children: Vec<usize> = latest
        .iter()
        .copied()
        .filter(|&i| (3..=16).contains(&persons[i].age(year)))
        .collect();
    // Only a person who had an answer can have had a visit.
    let answered: Vec<usize> = latest
        .iter()
        .copied()
        .filter(|&i| persons[i].answered.is_some())
        .collect();
    let none = vec![None; persons.len()];
    let (mut maladie, mut lieu, mut tnd, mut school, mut situation, mut visited) = (
        none.clone(),
        none.clone(),
        none.clone(),
        none.clone(),
        none.clone(),
        none,
    );
    use Target::{Count, Percent};
    deal_slots(
        rng,
        &mut maladie,
        &latest,
        c::NOT_FILLED_DIAGNOSIS,
        Percent(c::DIAGNOSED),
    );
    deal_slots(
        rng,
        &mut lieu,
        &latest,
        c::NOT_FILLED_HOME,
        Percent(c::AT_HOME),
    );
    deal_slots(rng, &mut tnd, &latest, c::NOT_FILLED_TND, Percent(c::TND));
    deal_slots(
        rng,
        &mut school,
        &children,
        c::NOT_FILLED_SCHOOL,
        Percent(c::SCHOOLED),
    );
    let without_solution = c::scale(options.persons, c::WITHOUT_SOLUTION, c::REFERENCE_PERSONS);
    deal_slots(
        rng,
        &mut situation,
        &latest,
        c::NOT_FILLED_SITUATION,
        Count(without_solution),
    );
    let visits = c::numerator_for(c::VISITED, latest.len() as u64);
    deal_slots(rng, &mut visited, &answered, 0, Count(visits));
    let year_2021 = options.playing(c::YEAR_2021);
    if year_2021 >= options.first_year {
        let earlier = active_in(year_2021);
        deal_slots(
            rng,
            &mut maladie,
            &earlier,
            c::NOT_FILLED_DIAGNOSIS,
            Percent(c::DIAGNOSED_2021),
        );
        deal_slots(
            rng,
            &mut lieu,
            &earlier,
            c::NOT_FILLED_HOME,
            Percent(c::AT_HOME_2021),
        );
    }
    let draw =
        |rng: &mut ChaCha8Rng, dealt: Option<Slot>, not_filled_per_mille: u64, percent: u64| {
            dealt.unwrap_or_else(|| {
                if rng.gen_range(0..1000) < not_filled_per_mille {
                    Slot::NotFilled
                } else if rng.gen_range(0..100) < percent {
                    Slot::Positive
                } else {
                    Slot::Negative
                }
            })
        };
    // 590 of the 2 211 persons whose situation is filled in, in 2024.
    const WITHOUT_SOLUTION_PERCENT: u64 = 27;
    for (i, person) in persons.iter_mut().enumerate() {
        person.maladie = draw(rng, maladie[i], c::NOT_FILLED_DIAGNOSIS, c::DIAGNOSED);
        person.lieu = draw(rng, lieu[i], c::NOT_FILLED_HOME, c::AT_HOME);
        person.tnd = draw(rng, tnd[i], c::NOT_FILLED_TND, c::TND);
        person.school = draw(rng, school[i], c::NOT_FILLED_SCHOOL, c::SCHOOLED);
        person.situation = draw(
            rng,
            situation[i],
            c::NOT_FILLED_SITUATION,
            WITHOUT_SOLUTION_PERCENT,
        );
        person.visited_last = visited[i] == Some(Slot::Positive);
    }
}
