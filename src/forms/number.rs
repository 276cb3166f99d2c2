//! The one validator of typed numbers: every text field of the page (the calculator's, the
//! lab's and the planner's) checks its text against a [`NumberRule`].

use crate::format::{parse_number, sig};

/// What a number field accepts: whole or real, its bounds, whether empty is allowed, and
/// the scale from the typed unit to SI.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NumberRule {
    /// Whole numbers only.
    pub integer: bool,
    /// Smallest accepted typed value.
    pub min: f64,
    /// Whether `min` itself is accepted.
    pub min_inclusive: bool,
    /// Largest accepted typed value.
    pub max: f64,
    /// Empty text means "none" instead of being an error.
    pub optional: bool,
    /// SI units per typed unit (GB → 1e9): the checked value is typed × scale.
    pub scale: f64,
}

/// The message for an empty required field.
pub const EMPTY: &str = "is empty: enter a number";

impl NumberRule {
    /// Any finite number (the engine or the simulation checks its range).
    pub const ANY: NumberRule = NumberRule {
        integer: false,
        min: f64::NEG_INFINITY,
        min_inclusive: true,
        max: f64::INFINITY,
        optional: false,
        scale: 1.0,
    };

    /// A number above 0, at most `max`.
    pub const fn positive(max: f64) -> NumberRule {
        NumberRule {
            min: 0.0,
            min_inclusive: false,
            max,
            ..NumberRule::ANY
        }
    }

    /// A whole number in `min..=max`.
    pub const fn whole_in(min: f64, max: f64) -> NumberRule {
        NumberRule {
            integer: true,
            min,
            max,
            ..NumberRule::ANY
        }
    }

    /// The same rule, whole numbers only.
    pub const fn integer(mut self) -> NumberRule {
        self.integer = true;
        self
    }

    /// The same rule, empty allowed.
    pub const fn optional(mut self) -> NumberRule {
        self.optional = true;
        self
    }

    /// Checks typed text: the SI value, `None` for an empty optional field, or what is
    /// wrong (without the field's label: the caller puts it in front where it shows one).
    pub fn check(&self, raw: &str) -> Result<Option<f64>, String> {
        if raw.trim().is_empty() {
            return if self.optional {
                Ok(None)
            } else {
                Err(EMPTY.into())
            };
        }
        let v = parse_number(raw)?;
        if self.integer && v.fract() != 0.0 {
            return Err(format!("must be a whole number, got {v}"));
        }
        let below = if self.min_inclusive {
            v < self.min
        } else {
            v <= self.min
        };
        if below {
            return Err(match (self.min == 0.0, self.min_inclusive) {
                (true, true) => format!("must not be negative, got {v}"),
                (true, false) => format!("must be above 0, got {v}"),
                (false, _) => format!("must be at least {}, got {v}", self.min),
            });
        }
        if v > self.max {
            return Err(format!("is too large ({v}); at most {}", sig(self.max, 3)));
        }
        Ok(Some(v * self.scale))
    }

    /// Checks text that must hold a number (empty is an error even for an optional rule).
    pub fn value(&self, raw: &str) -> Result<f64, String> {
        self.check(raw)?.ok_or_else(|| EMPTY.to_string())
    }

    /// The text shown for an SI value: value ÷ scale, without float noise; empty for none.
    pub fn show(&self, v: Option<f64>) -> String {
        match v {
            None => String::new(),
            Some(v) => {
                let x = v / self.scale;
                let r = (x * 1e9).round() / 1e9;
                if r.fract() == 0.0 && r.abs() < 1e15 {
                    format!("{}", r as i64)
                } else {
                    format!("{r}")
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positive_rule_messages() {
        let r = NumberRule::positive(100.0);
        assert_eq!(r.check("5"), Ok(Some(5.0)));
        assert_eq!(
            r.check(" 1,000 ").unwrap_err(),
            "is too large (1000); at most 100"
        );
        assert_eq!(r.check("0").unwrap_err(), "must be above 0, got 0");
        assert_eq!(r.check("").unwrap_err(), EMPTY);
        assert!(r.check("abc").unwrap_err().contains("not a number"));
    }

    #[test]
    fn integer_and_inclusive_minimum() {
        let mut r = NumberRule::positive(1e8).integer();
        r.min = 1.0;
        r.min_inclusive = true;
        assert_eq!(
            r.check("2.5").unwrap_err(),
            "must be a whole number, got 2.5"
        );
        assert_eq!(r.check("0").unwrap_err(), "must be at least 1, got 0");
        assert_eq!(r.check("-3").unwrap_err(), "must be at least 1, got -3");
        assert_eq!(
            r.check("1e12").unwrap_err(),
            "is too large (1000000000000); at most 100,000,000"
        );
        assert_eq!(r.check("1"), Ok(Some(1.0)));
        r.min = 0.0;
        assert_eq!(r.check("-1").unwrap_err(), "must not be negative, got -1");
    }

    #[test]
    fn whole_ranges() {
        let r = NumberRule::whole_in(1.0, 200_000.0);
        assert_eq!(r.check("0").unwrap_err(), "must be at least 1, got 0");
        assert_eq!(
            r.check("300000").unwrap_err(),
            "is too large (300000); at most 200,000"
        );
        assert_eq!(
            r.check("1.5").unwrap_err(),
            "must be a whole number, got 1.5"
        );
        assert_eq!(r.value("200000"), Ok(200_000.0));
    }

    #[test]
    fn optional_scale_and_shown_text() {
        let mut r = NumberRule::positive(1e6).optional();
        r.scale = 1e9;
        assert_eq!(r.check("  "), Ok(None));
        assert_eq!(r.value("").unwrap_err(), EMPTY);
        assert_eq!(r.check("70.6"), Ok(Some(70.6e9)));
        assert_eq!(r.show(Some(70.6e9)), "70.6");
        assert_eq!(r.show(Some(3e9)), "3");
        assert_eq!(r.show(None), "");
        assert_eq!(NumberRule::ANY.check("-2"), Ok(Some(-2.0)));
    }
}
