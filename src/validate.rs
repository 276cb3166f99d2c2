//! Validation: every public measurement beside the default estimate and the pure bound,
//! with its ratio, source, date and a share link that opens the calculator on that setup
//! (`roofline validate`, the page's Validation panel).

use crate::model::calibration::{median_abs_ln, row, scenario_for};
use crate::model::measurements::{Metric, MEASUREMENTS};
use crate::scenario::{link, Efficiency, ScenarioError};

/// One measurement, validated.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ValidationRow {
    /// Row id (data/measurements.md row number, or data/measurements-2.md id).
    pub id: &'static str,
    /// Model as the source names it.
    pub label: &'static str,
    /// Whether the model is a mixture of experts.
    pub moe: bool,
    /// `N × chip`.
    pub setup: String,
    /// `throughput` (output tokens/s per chip) or `ttft` (seconds).
    pub metric: &'static str,
    /// Unit of the four numbers below.
    pub unit: &'static str,
    pub measured: f64,
    /// Default estimate (`Efficiency::REALISTIC`).
    pub estimate: f64,
    /// Pure roofline bound.
    pub pure: f64,
    /// estimate ÷ measured.
    pub ratio: f64,
    /// The batch modelled.
    pub batch: u64,
    /// Chips in the serving instance.
    pub chips: u32,
    /// Prompt tokens per request.
    pub input_tokens: u64,
    pub source: &'static str,
    pub date: &'static str,
    /// Share link query (`v=1&…`) of the modelled setup.
    pub link: String,
}

/// Every public row at the defaults.
pub fn validation_rows() -> Result<Vec<ValidationRow>, ScenarioError> {
    let eff = Efficiency::REALISTIC;
    MEASUREMENTS
        .iter()
        .map(|m| {
            let r = row(m, &eff)?;
            let s = scenario_for(m, &eff)?;
            Ok(ValidationRow {
                id: m.id,
                label: m.label,
                moe: m.is_moe(),
                setup: format!("{} × {}", m.chips, m.hardware),
                metric: match m.metric {
                    Metric::ThroughputPerChip(_) => "throughput",
                    Metric::TtftSeconds(_) => "ttft",
                },
                unit: m.metric.unit(),
                measured: m.metric.value(),
                estimate: r.estimate,
                pure: r.pure,
                ratio: r.ratio(),
                batch: r.batch,
                chips: m.chips,
                input_tokens: m.input_tokens,
                source: m.source,
                date: m.date,
                link: link::encode(&s, &[]),
            })
        })
        .collect()
}

impl ValidationRow {
    /// (measured, estimate) as rates per chip, higher is better: throughput rows as they
    /// are, first-token rows as prompt tokens/s per chip (n_in ÷ TTFT ÷ N), which keeps
    /// estimate ÷ measured's meaning (above 1: the estimate is optimistic).
    pub fn rates(&self) -> (f64, f64) {
        if self.metric == "ttft" {
            let per = |t: f64| self.input_tokens as f64 / t / self.chips.max(1) as f64;
            (per(self.measured), per(self.estimate))
        } else {
            (self.measured, self.estimate)
        }
    }
}

/// The rows as a plain-text table, dense then MoE, with each group's median |ln ratio|.
pub fn validation_table(rows: &[ValidationRow]) -> String {
    let mut out = String::new();
    for (title, moe) in [("Dense models", false), ("Mixture-of-experts models", true)] {
        out.push_str(&format!("{title}\n"));
        out.push_str(&format!(
            "{:<34} {:<24} {:>14} {:>11} {:>11} {:>11} {:>7}  {}\n",
            "row", "model", "setup", "measured", "estimate", "pure bound", "ratio", "source"
        ));
        let group: Vec<&ValidationRow> = rows.iter().filter(|r| r.moe == moe).collect();
        for r in &group {
            let v = |x: f64| {
                if r.metric == "ttft" {
                    format!("{:.1} ms", x * 1e3)
                } else {
                    format!("{x:.0}")
                }
            };
            out.push_str(&format!(
                "{:<34} {:<24} {:>14} {:>11} {:>11} {:>11} {:>6.2}×  {} ({})\n",
                r.id,
                r.label,
                r.setup,
                v(r.measured),
                v(r.estimate),
                v(r.pure),
                r.ratio,
                r.source,
                r.date
            ));
        }
        let median = median_abs_ln(group.iter().map(|r| r.ratio));
        out.push_str(&format!(
            "{} rows; median |ln(estimate ÷ measured)| {:.3} (typical row within ×{:.2})\n\n",
            group.len(),
            median,
            median.exp()
        ));
    }
    out.push_str("throughput: output tokens/s per chip (offline, prefill included); ttft: first-token latency at batch 1.\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_there_and_its_link_opens_its_setup() {
        let rows = validation_rows().unwrap();
        assert_eq!(rows.len(), MEASUREMENTS.len());
        for r in &rows {
            let d = link::decode(&r.link);
            assert!(d.problems.is_empty(), "{}: {:?}", r.id, d.problems);
            assert!(r.ratio.is_finite() && r.ratio > 0.0);
        }
        let t = validation_table(&rows);
        assert!(t.contains("TRTNEW-DSR1-H200-DEP8-1k1k") && t.contains("Dense models"));
    }
}
