//! What the serving lab shows: its results table (one row per metric, one column per
//! scheduler) and the lines that describe a run.

use crate::format as f;
use crate::scenario::Scenario;
use crate::sim::{Scheduler, SchedulerReport, SimConfig, SimReport};

/// One row of the lab's results table.
pub struct LabMetric {
    /// Key in `data-metric="lab.<scheduler>.<key>"`.
    pub key: &'static str,
    /// The row's label.
    pub label: &'static str,
    /// The raw value (`data-value`), SI units.
    pub raw: fn(&SchedulerReport) -> String,
    /// The value in human units.
    pub shown: fn(&SchedulerReport) -> String,
}

/// One cell of the table.
#[derive(Clone, Debug, PartialEq)]
pub struct LabCell {
    /// `lab.<scheduler id>.<metric key>`.
    pub metric: String,
    /// The raw value (empty when the scheduler has no report).
    pub raw: String,
    /// The value in human units (empty when the scheduler has no report).
    pub shown: String,
}

impl LabMetric {
    /// This row's cell for scheduler `s` of report `r`.
    pub fn cell(&self, r: &SimReport, s: Scheduler) -> LabCell {
        let (raw, shown) = r
            .get(s)
            .map(|x| ((self.raw)(x), (self.shown)(x)))
            .unwrap_or_default();
        LabCell {
            metric: format!("lab.{}.{}", s.id(), self.key),
            raw,
            shown,
        }
    }
}

/// The rows of the lab's results table, in page order.
pub const LAB_METRICS: &[LabMetric] = &[
    LabMetric {
        key: "throughput_tokens_per_second",
        label: "Throughput",
        raw: |x| x.throughput_tokens_per_second.to_string(),
        shown: |x| f::tokens_per_second(x.throughput_tokens_per_second),
    },
    LabMetric {
        key: "ttft_p50",
        label: "TTFT median",
        raw: |x| x.ttft.p50.to_string(),
        shown: |x| f::seconds(x.ttft.p50),
    },
    LabMetric {
        key: "ttft_p95",
        label: "TTFT p95",
        raw: |x| x.ttft.p95.to_string(),
        shown: |x| f::seconds(x.ttft.p95),
    },
    LabMetric {
        key: "ttft_p99",
        label: "TTFT p99",
        raw: |x| x.ttft.p99.to_string(),
        shown: |x| f::seconds(x.ttft.p99),
    },
    LabMetric {
        key: "tpot_p50",
        label: "TPOT median",
        raw: |x| x.tpot.p50.to_string(),
        shown: |x| f::seconds(x.tpot.p50),
    },
    LabMetric {
        key: "tpot_p95",
        label: "TPOT p95",
        raw: |x| x.tpot.p95.to_string(),
        shown: |x| f::seconds(x.tpot.p95),
    },
    LabMetric {
        key: "tpot_p99",
        label: "TPOT p99",
        raw: |x| x.tpot.p99.to_string(),
        shown: |x| f::seconds(x.tpot.p99),
    },
    LabMetric {
        key: "cost_per_million_output_tokens",
        label: "Cost per 1M output tokens",
        raw: |x| x.cost_per_million_output_tokens.to_string(),
        shown: |x| f::usd(x.cost_per_million_output_tokens),
    },
    LabMetric {
        key: "mean_running",
        label: "Requests served at once (mean)",
        raw: |x| x.mean_running.to_string(),
        shown: |x| f::sig(x.mean_running, 3),
    },
    LabMetric {
        key: "peak_running",
        label: "Requests served at once (peak)",
        raw: |x| x.peak_running.to_string(),
        shown: |x| f::integer(x.peak_running as f64),
    },
    LabMetric {
        key: "mean_waiting",
        label: "Requests waiting (mean)",
        raw: |x| x.mean_waiting.to_string(),
        shown: |x| f::sig(x.mean_waiting, 3),
    },
    LabMetric {
        key: "mean_kv_used_bytes",
        label: "KV holding tokens (mean)",
        raw: |x| x.mean_kv_used_bytes.to_string(),
        shown: |x| f::bytes(x.mean_kv_used_bytes),
    },
    LabMetric {
        key: "mean_kv_wasted_bytes",
        label: "KV reserved but empty (mean)",
        raw: |x| x.mean_kv_wasted_bytes.to_string(),
        shown: |x| f::bytes(x.mean_kv_wasted_bytes),
    },
    LabMetric {
        key: "preemptions",
        label: "Preemptions",
        raw: |x| x.preemptions.to_string(),
        shown: |x| f::integer(x.preemptions as f64),
    },
    LabMetric {
        key: "makespan_seconds",
        label: "Last token at",
        raw: |x| x.makespan_seconds.to_string(),
        shown: |x| f::seconds(x.makespan_seconds),
    },
    LabMetric {
        key: "output_tokens",
        label: "Output tokens",
        raw: |x| x.output_tokens.to_string(),
        shown: |x| f::integer(x.output_tokens as f64),
    },
    LabMetric {
        key: "chips",
        label: "Chips paid for",
        raw: |x| x.chips.to_string(),
        shown: |x| f::integer(x.chips as f64),
    },
    LabMetric {
        key: "kv_capacity_bytes",
        label: "KV capacity",
        raw: |x| x.kv_capacity_bytes.to_string(),
        shown: |x| f::bytes(x.kv_capacity_bytes),
    },
    LabMetric {
        key: "digest",
        label: "Digest",
        raw: |x| x.digest_hex(),
        shown: |x| x.digest_hex(),
    },
];

/// The results table as text, the same rows, columns and human values as the page's:
/// one header line, then one line per metric, columns padded to line up.
pub fn results_text(r: &SimReport) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut head = vec!["Metric".to_string()];
    head.extend(Scheduler::ALL.iter().map(|s| s.name().to_string()));
    rows.push(head);
    for m in LAB_METRICS {
        let mut row = vec![m.label.to_string()];
        row.extend(Scheduler::ALL.iter().map(|&s| m.cell(r, s).shown));
        rows.push(row);
    }
    let cols = rows[0].len();
    let width: Vec<usize> = (0..cols)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, v)| {
                let pad = width[c] - v.chars().count();
                if c == 0 {
                    format!("{v}{}", " ".repeat(pad))
                } else {
                    format!("{}{v}", " ".repeat(pad))
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// The run as JSON: the run's lines, its totals and digest, and every cell's raw value (the
/// page's `data-value`) under `schedulers.<id>.<metric>`.
pub fn results_json(s: &Scenario, c: &SimConfig, r: &SimReport) -> String {
    let q = |v: &str| serde_json::to_string(v).unwrap_or_default();
    let mut out = String::from("{\n");
    out.push_str(&format!("  \"ran_on\": {},\n", q(&ran_on(s, c))));
    out.push_str(&format!("  \"digest\": {},\n", q(&r.digest_hex())));
    out.push_str(&format!(
        "  \"requested_output_tokens\": {},\n",
        r.requested_output_tokens
    ));
    out.push_str(&format!(
        "  \"kv_capacity_bytes\": {},\n",
        q(&r.kv_capacity_bytes.to_string())
    ));
    out.push_str("  \"schedulers\": {\n");
    let n = Scheduler::ALL.len();
    for (i, &sch) in Scheduler::ALL.iter().enumerate() {
        out.push_str(&format!("    {}: {{\n", q(sch.id())));
        out.push_str(&format!("      \"name\": {}", q(sch.name())));
        for m in LAB_METRICS {
            out.push_str(&format!(
                ",\n      {}: {}",
                q(m.key),
                q(&m.cell(r, sch).raw)
            ));
        }
        out.push_str(&format!("\n    }}{}\n", if i + 1 < n { "," } else { "" }));
    }
    out.push_str("  }\n}\n");
    out
}

/// What a run simulated: "Llama 3.1 70B on 8 × H100 SXM, 10,000 requests at 16/s, seed 42".
pub fn ran_on(s: &Scenario, c: &SimConfig) -> String {
    format!(
        "{} on {} × {}, {} requests at {}/s, seed {}",
        s.model.name,
        s.chips,
        s.hardware.name,
        f::integer(c.requests as f64),
        f::sig(c.arrival_rate, 3),
        c.seed
    )
}

/// The run's memory line: KV capacity (bytes, tokens, blocks of `block` tokens), the output
/// tokens asked for, and the run's digest.
pub fn capacity_line(r: &SimReport, block: &str) -> String {
    // A linear-attention model's fixed state, held by each request beside its KV.
    let state = if r.state_tokens_per_request > 0 {
        format!(
            "; each request also holds its linear-attention state, {} tokens' worth",
            f::integer(r.state_tokens_per_request as f64)
        )
    } else {
        String::new()
    };
    format!(
        "KV capacity {} ({} tokens, {} blocks of {}){}; {} output tokens requested; digest {}",
        f::bytes(r.kv_capacity_bytes),
        f::integer(r.kv_capacity_tokens as f64),
        f::integer(r.kv_capacity_blocks as f64),
        block,
        state,
        f::integer(r.requested_output_tokens as f64),
        r.digest_hex()
    )
}

/// "simulated in 812 ms (640 ms computing, the rest handed back to the page)", once timed.
pub fn timing_line(wall_ms: Option<f64>, busy_ms: Option<f64>) -> String {
    match (wall_ms, busy_ms) {
        (Some(wall), Some(busy)) => format!(
            "simulated in {} ms ({} ms computing, the rest handed back to the page)",
            f::sig(wall, 3),
            f::sig(busy, 3)
        ),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app_state::initial_scenario;
    use crate::sim::Sim;

    #[test]
    fn every_scheduler_has_every_metric() {
        let s = initial_scenario();
        let c = SimConfig {
            requests: 50,
            ..SimConfig::default()
        };
        let mut sim = Sim::new(&s, &c).unwrap();
        while !sim.step_until(20_000) {}
        let r = sim.finish();
        for m in LAB_METRICS {
            for s in Scheduler::ALL {
                let cell = m.cell(&r, s);
                assert_eq!(cell.metric, format!("lab.{}.{}", s.id(), m.key));
                assert!(
                    !cell.raw.is_empty() && !cell.shown.is_empty(),
                    "{}",
                    cell.metric
                );
            }
        }
        let text = results_text(&r);
        assert_eq!(text.lines().count(), LAB_METRICS.len() + 1);
        assert!(text
            .lines()
            .next()
            .unwrap()
            .contains("Disaggregated prefill/decode"));
        let json: serde_json::Value = serde_json::from_str(&results_json(&s, &c, &r)).unwrap();
        assert_eq!(json["digest"], r.digest_hex());
        assert_eq!(
            json["schedulers"]["chunked"]["digest"],
            r.get(Scheduler::Chunked).unwrap().digest_hex()
        );
        let line = capacity_line(&r, "16");
        assert!(line.contains("blocks of 16") && line.ends_with(&r.digest_hex()));
        assert!(
            ran_on(&s, &c).ends_with("50 requests at 16.0/s, seed 42"),
            "{}",
            ran_on(&s, &c)
        );
    }

    #[test]
    fn timing_shows_once_timed() {
        assert_eq!(timing_line(None, Some(1.0)), "");
        assert_eq!(
            timing_line(Some(812.0), Some(640.0)),
            "simulated in 812 ms (640 ms computing, the rest handed back to the page)"
        );
    }
}
