//! One setup fixed but for its batch: its decode step (pipelined or not), time to first
//! token, memory fit and the candidate it makes; and the setups of one chip.

use super::layouts::{layouts, precisions, Layout};
use super::{Candidate, Chip, Limit, SearchSpace, Setup, SpeculationUse, StepBound};
use crate::model::pipeline::{
    bubble_fraction, handover_bytes, handover_transfer_seconds, pipeline_step,
    prefill_through_stages, PipelineInputs, PipelineStep,
};
use crate::model::speculative::Drafter;
use crate::model::{
    decode_step, fits_beside, kv_bytes_per_sequence, max_batch_beside, prefill, Resident, Shape,
    StepInputs,
};
use crate::scenario::{Parallelism, Scenario};
use std::rc::Rc;

/// Everything fixed for one setup but the batch.
pub(super) struct Config<'a> {
    s: Rc<Scenario>,
    sh: &'a Shape,
    peak: f64,
    pub(super) chip: &'a Chip,
    pub(super) layout: Layout,
    pub(super) chips: u32,
    microbatches: u32,
    context: f64,
    kv_seq: f64,
    /// Link bandwidth of pipeline hand-overs.
    p2p_bandwidth: f64,
    /// Most concurrent requests.
    pub(super) cap: u64,
    /// One request's time to first token (the same for every microbatch count).
    pub(super) ttft: f64,
    /// The speculative drafter, when this setup speculates (never with a pipeline).
    drafter: Option<Rc<Drafter>>,
    /// Bytes resident beside the weights: the drafter's weights, spread over the chips.
    resident: Resident,
}

/// One evaluated step (the pipeline's, which is the plain decode step without a pipeline).
pub(super) type Step = PipelineStep;

impl Config<'_> {
    /// The decode step with `batch` requests in flight (see [`crate::model::pipeline`]).
    pub(super) fn step(&self, batch: f64, evals: &mut usize) -> Step {
        if let Some(d) = &self.drafter {
            return self.speculative_step(d, batch, evals).0;
        }
        *evals += 1;
        let eff = &self.s.efficiency;
        let m = self.microbatches as f64;
        let (group, micro) = match self.layout.parallelism {
            Parallelism::Expert => (self.chips as f64, batch),
            Parallelism::Tensor => (self.layout.tensor as f64, batch / m),
        };
        let d = decode_step(
            &self.s,
            self.sh,
            self.peak,
            StepInputs {
                batch: micro,
                context: self.context,
                chips: group,
            },
        );
        let hidden = self.s.model.hidden_size as f64;
        let handover =
            handover_transfer_seconds(handover_bytes(micro.max(1.0), hidden), self.p2p_bandwidth);
        pipeline_step(
            &d,
            &PipelineInputs {
                stages: self.layout.pipeline as f64,
                microbatches: m,
                handover_seconds: handover,
                collective_latency_seconds: eff.collective_latency_seconds,
                // The decode step above already paid the per-request overhead and the
                // per-sequence work of `micro`.
                step_overhead_seconds: eff.pass_fixed_seconds(micro, self.s.model.layers as f64),
            },
        )
    }

    /// The speculative round at `batch` (no pipeline): the step per emitted token, (verify
    /// step + k draft steps) ÷ τ, its parts the verify step's ÷ τ (the drafts' share is
    /// in the speculation's numbers), and the round.
    fn speculative_step(
        &self,
        d: &Drafter,
        batch: f64,
        evals: &mut usize,
    ) -> (Step, crate::model::Speculation) {
        *evals += 3;
        let x = StepInputs {
            batch,
            context: self.context,
            chips: match self.layout.parallelism {
                Parallelism::Expert => self.chips as f64,
                Parallelism::Tensor => self.layout.tensor as f64,
            },
        };
        let plain = decode_step(&self.s, self.sh, self.peak, x);
        let (verify, sp) = d.speculate(&self.s, self.sh, self.peak, x, &plain);
        let tau = sp.tokens_per_step;
        let step = Step {
            seconds: sp.seconds_per_token,
            memory_seconds: verify.memory_seconds / tau,
            compute_seconds: verify.compute_seconds / tau,
            comm_seconds: verify.comm_seconds / tau,
            latency_seconds: verify.latency_seconds / tau,
            bubble_seconds: 0.0,
        };
        (step, sp)
    }

    pub(super) fn fits(&self, batch: f64) -> bool {
        fits_beside(
            &self.s,
            self.sh,
            self.chips as f64,
            batch,
            self.kv_seq,
            self.resident,
        )
    }

    pub(super) fn max_batch_memory(&self) -> u64 {
        max_batch_beside(
            &self.s,
            self.sh,
            self.chips as f64,
            self.kv_seq,
            self.resident,
        )
    }

    /// Batches are multiples of the microbatch count.
    /// Fewer units than `units` at which a GEMM's token rows end on a whole tile (the dense
    /// GEMMs' rows, and each expert's rows when all experts are touched): with tile padding
    /// the cheapest batch is the largest feasible one or one of these.
    pub(super) fn tile_boundaries(&self, units: u64) -> Vec<u64> {
        let tile = self.s.efficiency.token_tile as u64;
        if tile <= 1 {
            return Vec::new();
        }
        // Dense rows per chip per unit (expert parallel: data-parallel attention).
        let per_row = match self.layout.parallelism {
            Parallelism::Expert => self.chips.max(1) as u64,
            Parallelism::Tensor => 1,
        };
        // Tokens per request in a step: 1, and k + 1 in a speculative verify step (its
        // drafts run 1 each).
        let mut per_request = vec![1u64];
        if let Some(d) = &self.drafter {
            per_request.push(d.spec.draft_tokens.max(1) as u64 + 1);
        }
        let mut out = Vec::new();
        for r in per_request {
            // The largest unit count whose r·units rows end on a whole tile.
            let rows = tile * per_row;
            out.push(units * r / rows * rows / r);
            if self.sh.experts > 0.0 && self.sh.experts_per_token > 0.0 {
                // Tokens per expert ≈ r·micro·k ÷ E: whole tiles at micro = j·T·E ÷ (k·r).
                let step = tile as f64 * self.sh.experts / self.sh.experts_per_token / r as f64;
                // A unit is one request of the (micro)batch that runs the expert GEMMs.
                let j = (units as f64 / step).floor();
                out.push((j * step).floor() as u64);
            }
        }
        out.retain(|&u| u >= 1 && u < units);
        out
    }

    pub(super) fn batch_of(&self, units: u64) -> u64 {
        match self.layout.parallelism {
            Parallelism::Expert => units,
            Parallelism::Tensor => units * self.microbatches as u64,
        }
    }

    fn setup(&self, batch: u64) -> Setup {
        let (tensor, expert) = match self.layout.parallelism {
            Parallelism::Expert => (1, self.chips),
            Parallelism::Tensor => (self.layout.tensor, 1),
        };
        let w = &self.s.workload;
        Setup {
            chip_id: self.chip.id.clone(),
            chip_name: self.chip.spec.name.clone(),
            chip_kind: self.chip.kind,
            chips: self.chips,
            parallelism: self.layout.parallelism,
            tensor,
            pipeline: self.layout.pipeline,
            expert,
            microbatches: self.microbatches,
            weights: self.s.precision.weights,
            kv_cache: self.s.precision.kv_cache,
            compute: self.s.precision.compute,
            batch,
            max_model_len: w.input_tokens + w.output_tokens,
            domain: self.chip.domain,
            speculative: self.s.speculative.clone(),
        }
    }

    pub(super) fn candidate(&self, batch: u64, step: Step, ttft: f64, limit: Limit) -> Candidate {
        let b = batch as f64;
        let n = self.chips as f64;
        let per_hour = n * self.chip.spec.price_per_hour;
        let (_, weights) = crate::model::stored_weights(&self.s, self.sh, n);
        let step_bound = [
            (StepBound::Bandwidth, step.memory_seconds),
            (StepBound::Compute, step.compute_seconds),
            (StepBound::Communication, step.comm_seconds),
            (StepBound::Overhead, step.latency_seconds),
            (StepBound::PipelineBubble, step.bubble_seconds),
        ]
        .into_iter()
        .fold((StepBound::Bandwidth, f64::MIN), |best, x| {
            if x.1 > best.1 {
                x
            } else {
                best
            }
        })
        .0;
        let p = self.layout.pipeline as f64;
        let m = self.microbatches as f64;
        let binding = match limit {
            Limit::MemoryCapacity => "memory capacity".to_string(),
            Limit::LatencyTarget => format!("latency target ({}-bound step)", step_bound.name()),
            Limit::BatchCap => format!("batch cap ({}-bound step)", step_bound.name()),
        };
        let speculation = self.drafter.as_ref().map(|d| {
            let (_, sp) = self.speculative_step(d, b, &mut 0);
            SpeculationUse {
                draft_name: sp.draft_name,
                tokens_per_step: sp.tokens_per_step,
                plain_step_seconds: sp.plain_step_seconds,
                round_seconds: sp.round_seconds,
                draft_seconds: sp.draft_seconds,
                speedup: sp.speedup,
            }
        });
        Candidate {
            setup: self.setup(batch),
            step_seconds: step.seconds,
            user_tokens_per_second: 1.0 / step.seconds,
            tokens_per_second: b / step.seconds,
            ttft_seconds: ttft,
            cost_per_million_output_tokens: per_hour / 3600.0 * step.seconds / b * 1e6,
            cost_per_hour: per_hour,
            memory_used_bytes: weights + self.resident.total(n) + b * self.kv_seq,
            memory_usable_bytes: crate::model::USABLE_MEMORY_FRACTION
                * n
                * self.chip.spec.memory_capacity,
            max_batch_memory: self.max_batch_memory(),
            bubble_fraction: bubble_fraction(p, m),
            memory_seconds: step.memory_seconds,
            compute_seconds: step.compute_seconds,
            comm_seconds: step.comm_seconds,
            latency_seconds: step.latency_seconds,
            bubble_seconds: step.bubble_seconds,
            limit,
            step_bound,
            binding,
            speculation,
            why: String::new(),
        }
    }
}

/// One request's time to first token: prefill on the tensor group (expert parallel: on all
/// N chips, MODEL.md's convention), plus P − 1 pipeline hand-overs of the prompt.
fn ttft(
    s: &Scenario,
    sh: &Shape,
    peak: f64,
    layout: Layout,
    p2p_bandwidth: f64,
    evals: &mut usize,
) -> f64 {
    *evals += 1;
    let n_in = s.workload.input_tokens as f64;
    // `s.chips` is the tensor group (expert parallel: all N chips).
    let pre = prefill(s, sh, peak, n_in, 1.0);
    let hop = handover_transfer_seconds(
        handover_bytes(n_in, s.model.hidden_size as f64),
        p2p_bandwidth,
    );
    prefill_through_stages(
        pre.seconds,
        layout.pipeline as f64,
        hop,
        s.efficiency.collective_latency_seconds,
    )
}

/// Builds the configurations of one chip: every precision pair, chip count, layout and
/// microbatch count.
pub(super) fn configs<'a>(
    base: &Scenario,
    sh: &'a Shape,
    chip: &'a Chip,
    space: &SearchSpace,
    evals: &mut usize,
) -> Vec<Config<'a>> {
    let mut out = Vec::new();
    let context = base.decode_context();
    for (w, kv) in precisions(&chip.spec) {
        let Some(&peak) = chip.spec.peak_flops.get(&w) else {
            continue;
        };
        for &n in &space.chip_counts {
            if n == 0 {
                continue;
            }
            for layout in layouts(base, n, space) {
                let mut s = base.clone();
                s.hardware = chip.spec.clone();
                s.precision.weights = w;
                s.precision.compute = w;
                s.precision.kv_cache = kv;
                s.parallelism = layout.parallelism;
                let group = match layout.parallelism {
                    Parallelism::Expert => n,
                    Parallelism::Tensor => layout.tensor,
                };
                let link = chip.spec.interconnect_bandwidth;
                let out_bw = chip.scale_out_bandwidth.min(link);
                s.hardware.interconnect_bandwidth =
                    if group <= chip.domain { link } else { out_bw };
                // The group prefill runs on; decode and capacity take their counts
                // explicitly.
                s.chips = group;
                let p2p_bandwidth = if n <= chip.domain { link } else { out_bw };
                let ttft = ttft(&s, sh, peak, layout, p2p_bandwidth, evals);
                // Without speculation, and with the scenario's own when it has one (one
                // round per step: not with a pipeline). The drafter is built on this
                // setup's chips, precision and link.
                let spec = base.speculative.clone().filter(|_| layout.pipeline == 1);
                s.speculative = None;
                let plain = (Rc::new(s.clone()), None);
                let mut variants = vec![plain];
                if let Some(sp) = spec {
                    let mut with = s.clone();
                    with.speculative = Some(sp);
                    if let Some(d) = Drafter::of(&with) {
                        variants.push((Rc::new(with), Some(Rc::new(d))));
                    }
                }
                for (s, drafter) in variants {
                    let kv_seq = kv_bytes_per_sequence(&s, context)
                        + drafter
                            .as_ref()
                            .map_or(0.0, |d| d.kv_bytes_per_sequence(context));
                    let resident = Resident {
                        spread: drafter.as_ref().map_or(0.0, |d| d.weight_bytes),
                        per_chip: 0.0,
                    };
                    let replicas = match layout.parallelism {
                        Parallelism::Expert => n as u64,
                        Parallelism::Tensor => 1,
                    };
                    let cap = space.max_batch_per_replica.saturating_mul(replicas).max(1);
                    let mut micro = vec![1u32];
                    if layout.pipeline > 1 {
                        let mut mb = 2;
                        while mb <= 4 * layout.pipeline && (mb as u64) <= cap {
                            micro.push(mb);
                            mb *= 2;
                        }
                    }
                    for mb in micro {
                        out.push(Config {
                            s: Rc::clone(&s),
                            sh,
                            peak,
                            chip,
                            layout,
                            chips: n,
                            microbatches: mb,
                            context,
                            kv_seq,
                            p2p_bandwidth,
                            cap,
                            ttft,
                            drafter: drafter.clone(),
                            resident,
                        });
                    }
                }
            }
        }
    }
    out
}
