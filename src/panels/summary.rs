//! The headline numbers the sticky bar keeps in view (step time, bound, speed per user,
//! cost per million output tokens), with their short labels: one table for the app's
//! navigation bar (`ui::nav`) and the first screen painted before the app (`lite::first`).

use crate::metrics::{
    Metric, COST_PER_MILLION_OUTPUT_TOKENS, DECODE_BOUND, DECODE_STEP_SECONDS,
    DECODE_TOKENS_PER_SECOND_PER_USER,
};

/// The summary's numbers, in order: (metric, short label).
pub static SUMMARY: &[(&Metric, &str)] = &[
    (&DECODE_STEP_SECONDS, "Step time"),
    (&DECODE_BOUND, "Bound"),
    (&DECODE_TOKENS_PER_SECOND_PER_USER, "Per user"),
    (&COST_PER_MILLION_OUTPUT_TOKENS, "Cost per 1M out"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_summary_number_has_a_short_label_and_shows_for_the_default_setup() {
        let e = crate::model::evaluate(&crate::scenario::Scenario::default()).unwrap();
        for (m, short) in SUMMARY {
            assert!(!short.is_empty(), "{}", m.key);
            assert_ne!(m.show(&m.of(&e)), crate::format::MISSING, "{}", m.key);
        }
    }
}
