//! The planner's form: the typed targets, the budget's kind, the chips allowed, their
//! defaults, and the parse into [`Targets`] with a message per field.

use super::number::NumberRule;
use crate::planner::{preset_chips, Budget, Targets};
use crate::scenario::Workload;
use std::collections::BTreeSet;

/// One target input: key, label, unit and what it accepts.
#[derive(Debug, PartialEq)]
pub struct TargetField {
    /// Dotted key (`plan.min_user_tps`): element id, `data-field` and error key.
    pub key: &'static str,
    /// The visible label.
    pub label: &'static str,
    /// The unit the user types in.
    pub unit: &'static str,
    /// What it accepts.
    pub rule: NumberRule,
    /// The placeholder of an empty optional field.
    pub placeholder: &'static str,
}

impl TargetField {
    /// What is wrong with `raw`, with the label in front; `None` when it is fine.
    pub fn error(&self, raw: &str) -> Option<String> {
        self.rule
            .check(raw)
            .err()
            .map(|e| format!("{} {e}", self.label))
    }

    /// The value of `raw` (`None` when empty and optional), or the labelled message.
    fn parse(&self, raw: &str) -> Result<Option<f64>, String> {
        self.rule
            .check(raw)
            .map_err(|e| format!("{} {e}", self.label))
    }
}

/// Tokens per second per user, at least.
pub const MIN_TPS: TargetField = TargetField {
    key: "plan.min_user_tps",
    label: "Tokens per second per user, at least",
    unit: "tok/s",
    rule: NumberRule::positive(1e6),
    placeholder: "",
};
/// Time to first token, at most, seconds.
pub const MAX_TTFT: TargetField = TargetField {
    key: "plan.max_ttft",
    label: "Time to first token, at most",
    unit: "s",
    rule: NumberRule::positive(3600.0),
    placeholder: "",
};
/// Prompt tokens per request.
pub const INPUT: TargetField = TargetField {
    key: "plan.input_tokens",
    label: "Input tokens per request",
    unit: "tokens",
    rule: NumberRule::positive(1e8).integer(),
    placeholder: "",
};
/// Generated tokens per request.
pub const OUTPUT: TargetField = TargetField {
    key: "plan.output_tokens",
    label: "Output tokens per request",
    unit: "tokens",
    rule: NumberRule::positive(1e8).integer(),
    placeholder: "",
};
/// The budget, USD per million output tokens or per hour.
pub const BUDGET: TargetField = TargetField {
    key: "plan.budget",
    label: "Budget (optional)",
    unit: "USD",
    rule: NumberRule::positive(1e9).optional(),
    placeholder: "none",
};

/// The target inputs in page order.
pub const TARGET_FIELDS: [&TargetField; 5] = [&MIN_TPS, &MAX_TTFT, &INPUT, &OUTPUT, &BUDGET];

/// The planner's inputs as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannerForm {
    /// Tokens per second per user, at least.
    pub min_tps: String,
    /// Time to first token, at most, seconds.
    pub max_ttft: String,
    /// Prompt tokens per request.
    pub input: String,
    /// Generated tokens per request.
    pub output: String,
    /// Budget, USD (empty: none).
    pub budget: String,
    /// The budget is per hour (all chips), not per million output tokens.
    pub budget_per_hour: bool,
    /// Every chip id on offer.
    pub offered: BTreeSet<String>,
    /// The chip ids allowed.
    pub allowed: BTreeSet<String>,
}

impl Default for PlannerForm {
    /// 20 tok/s per user, 1 s to first token, the default workload's lengths, no budget,
    /// every preset chip allowed.
    fn default() -> Self {
        let w = Workload::default();
        PlannerForm::new(w.input_tokens, w.output_tokens)
    }
}

impl PlannerForm {
    /// The defaults with the page's request lengths.
    pub fn new(input_tokens: u64, output_tokens: u64) -> PlannerForm {
        let offered: BTreeSet<String> = preset_chips().into_iter().map(|c| c.id).collect();
        PlannerForm {
            min_tps: "20".into(),
            max_ttft: "1".into(),
            input: input_tokens.to_string(),
            output: output_tokens.to_string(),
            budget: String::new(),
            budget_per_hour: false,
            allowed: offered.clone(),
            offered,
        }
    }

    /// The text of a target field (matched by key).
    pub fn text(&self, f: &TargetField) -> &str {
        match f.key {
            k if k == MIN_TPS.key => &self.min_tps,
            k if k == MAX_TTFT.key => &self.max_ttft,
            k if k == INPUT.key => &self.input,
            k if k == OUTPUT.key => &self.output,
            _ => &self.budget,
        }
    }

    /// Sets the text of a target field.
    pub fn set(&mut self, f: &TargetField, text: String) {
        let slot = match f.key {
            k if k == MIN_TPS.key => &mut self.min_tps,
            k if k == MAX_TTFT.key => &mut self.max_ttft,
            k if k == INPUT.key => &mut self.input,
            k if k == OUTPUT.key => &mut self.output,
            _ => &mut self.budget,
        };
        *slot = text;
    }

    /// Allows or disallows one chip.
    pub fn allow(&mut self, id: &str, on: bool) {
        if on {
            self.allowed.insert(id.to_string());
        } else {
            self.allowed.remove(id);
        }
    }

    /// The targets, or the first thing wrong (labelled).
    pub fn targets(&self) -> Result<Targets, String> {
        let required = |f: &TargetField, raw: &str| -> Result<f64, String> {
            f.parse(raw)?
                .ok_or_else(|| format!("{} {}", f.label, super::number::EMPTY))
        };
        let min = required(&MIN_TPS, &self.min_tps)?;
        let max = required(&MAX_TTFT, &self.max_ttft)?;
        let n_in = required(&INPUT, &self.input)? as u64;
        let n_out = required(&OUTPUT, &self.output)? as u64;
        let budget = BUDGET.parse(&self.budget)?.map(|v| {
            if self.budget_per_hour {
                Budget::PerHour(v)
            } else {
                Budget::PerMillionOutputTokens(v)
            }
        });
        if self.allowed.is_empty() {
            return Err("Allow at least one chip".into());
        }
        Ok(Targets {
            min_user_tokens_per_second: min,
            max_ttft_seconds: max,
            input_tokens: n_in,
            output_tokens: n_out,
            chips: if self.allowed.len() == self.offered.len() {
                None
            } else {
                Some(self.allowed.iter().cloned().collect())
            },
            budget,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_search_every_chip_without_a_budget() {
        let f = PlannerForm::default();
        let t = f.targets().unwrap();
        assert_eq!(t.min_user_tokens_per_second, 20.0);
        assert_eq!(t.max_ttft_seconds, 1.0);
        assert_eq!((t.input_tokens, t.output_tokens), (1024, 1024));
        assert_eq!((t.chips, t.budget), (None, None));
        assert!(!f.offered.is_empty());
        for def in TARGET_FIELDS {
            assert_eq!(def.error(f.text(def)), None, "{}", def.key);
        }
    }

    #[test]
    fn messages_carry_the_label() {
        let mut f = PlannerForm::new(10, 20);
        f.set(&MIN_TPS, "-3".into());
        assert_eq!(
            MIN_TPS.error(f.text(&MIN_TPS)).unwrap(),
            "Tokens per second per user, at least must be above 0, got -3"
        );
        assert_eq!(f.targets().unwrap_err(), MIN_TPS.error("-3").unwrap());
        f.set(&MIN_TPS, "20".into());
        f.set(&INPUT, "1.5".into());
        assert!(f
            .targets()
            .unwrap_err()
            .starts_with("Input tokens per request must be a whole"));
        f.set(&INPUT, "".into());
        assert_eq!(
            f.targets().unwrap_err(),
            "Input tokens per request is empty: enter a number"
        );
        f.set(&INPUT, "10".into());
        f.set(&MAX_TTFT, "4000".into());
        assert!(f
            .targets()
            .unwrap_err()
            .contains("is too large (4000); at most 3,600"));
    }

    #[test]
    fn budget_and_chips() {
        let mut f = PlannerForm::new(10, 20);
        assert_eq!(BUDGET.error(""), None);
        f.set(&BUDGET, "2".into());
        assert_eq!(
            f.targets().unwrap().budget,
            Some(Budget::PerMillionOutputTokens(2.0))
        );
        f.budget_per_hour = true;
        assert_eq!(f.targets().unwrap().budget, Some(Budget::PerHour(2.0)));
        let first = f.offered.iter().next().unwrap().clone();
        f.allow(&first, false);
        let chips = f.targets().unwrap().chips.unwrap();
        assert_eq!(chips.len(), f.offered.len() - 1);
        assert!(!chips.contains(&first));
        f.allowed.clear();
        assert_eq!(f.targets().unwrap_err(), "Allow at least one chip");
        f.allow(&first, true);
        assert_eq!(f.targets().unwrap().chips, Some(vec![first]));
    }
}
