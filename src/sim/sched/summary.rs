//! A replica's results once it has served the stream.

use super::Replica;
use crate::sim::costs::Engine;
use crate::sim::report::quantiles;
use crate::sim::{Percentiles, Request, SchedulerReport};

impl Replica {
    /// The report of its run, memory in bytes at `kv_per_token`.
    pub(in crate::sim) fn report(
        &mut self,
        reqs: &[Request],
        eng: &Engine,
        kv_per_token: f64,
        kv_capacity_bytes: f64,
    ) -> SchedulerReport {
        let makespan = self
            .finished_at
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        let mut ttft: Vec<f64> = reqs
            .iter()
            .enumerate()
            .map(|(i, r)| self.first_token_at[i] - r.arrival)
            .filter(|v| v.is_finite())
            .collect();
        let mut tpot: Vec<f64> = reqs
            .iter()
            .enumerate()
            .filter(|(_, r)| r.output >= 2)
            .map(|(i, r)| (self.finished_at[i] - self.first_token_at[i]) / (r.output - 1) as f64)
            .filter(|v| v.is_finite())
            .collect();
        let tokens = self.output_tokens;
        let (usd_per_second, chips, kv_capacity_bytes) = match &self.pools {
            Some(p) => (p.usd_per_second, p.chips, p.kv_capacity_bytes),
            None => (eng.usd_per_second(), eng.chips as u32, kv_capacity_bytes),
        };
        let per_token = |v: f64| if tokens > 0 { v / tokens as f64 } else { 0.0 };
        let total = self.sampler.total;
        let mean = |v: f64| {
            if total.duration > 0.0 {
                v / total.duration
            } else {
                0.0
            }
        };
        let (ttft_p, tpot_p) = (Percentiles::of(&mut ttft), Percentiles::of(&mut tpot));
        SchedulerReport {
            scheduler: self.scheduler,
            requests: self.finished,
            output_tokens: tokens,
            makespan_seconds: makespan,
            throughput_tokens_per_second: if makespan > 0.0 {
                tokens as f64 / makespan
            } else {
                0.0
            },
            ttft: ttft_p,
            tpot: tpot_p,
            ttft_quantiles: quantiles(&ttft),
            tpot_quantiles: quantiles(&tpot),
            cost_per_million_output_tokens: per_token(usd_per_second * makespan) * 1e6,
            iterations: self.iterations,
            preemptions: self.preemptions,
            peak_running: self.sampler.peak_running,
            mean_running: mean(total.running),
            mean_kv_used_bytes: mean(total.used) * kv_per_token,
            mean_kv_wasted_bytes: mean(total.wasted) * kv_per_token,
            mean_waiting: mean(total.waiting),
            series: self.sampler.series(kv_per_token),
            admitted_at: self.admitted_at.clone(),
            first_token_at: self.first_token_at.clone(),
            finished_at: self.finished_at.clone(),
            chips,
            kv_capacity_bytes,
            digest: 0,
        }
    }
}
