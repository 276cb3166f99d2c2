//! A simulation in progress: one stream, three replicas, run in slices or to the end.

use super::costs::Engine;
use super::sched::{PoolSpec, Pools, Replica};
use super::{
    digest, scheduler_digest, stream, Request, Scheduler, SchedulerReport, SimConfig, SimError,
    SimReport,
};
use crate::model::disaggregation;
use crate::model::{
    kv_bytes_per_token, linear_state_bytes_per_sequence, stored_weights, USABLE_MEMORY_FRACTION,
};
use crate::scenario::{Scenario, ScenarioError};

/// A simulation in progress: one replica per scheduler, on one stream.
#[derive(Clone, Debug)]
pub struct Sim {
    engine: Engine,
    requests: Vec<Request>,
    replicas: Vec<Replica>,
    kv_per_token: f64,
    capacity_bytes: f64,
    capacity_tokens: u64,
    block: u32,
    /// Tokens of KV each request's fixed state takes.
    state_tokens: u64,
}

impl Sim {
    /// Sets up a run of `config` on the scenario's model, hardware, chips and efficiency
    /// (the scenario's workload is not used). Errors name each field at fault, including a
    /// longest request that cannot fit in KV memory at all.
    pub fn new(scenario: &Scenario, config: &SimConfig) -> Result<Sim, SimError> {
        let mut problems = config.problems();
        let engine = match Engine::new(scenario) {
            Ok(e) => Some(e),
            Err(e) => {
                problems.push(e);
                None
            }
        };
        let Some(engine) = engine else {
            return Err(SimError::Invalid(problems));
        };
        // A speculative drafter's weights take memory and it keeps KV of its own per token.
        let (draft_weights, draft_kv) = engine.draft_memory();
        let kv_per_token = kv_bytes_per_token(scenario) + draft_kv;
        let chips = engine.chips;
        let (_, weights) = stored_weights(scenario, &engine.shape, chips);
        let capacity_bytes = USABLE_MEMORY_FRACTION * chips * scenario.hardware.memory_capacity
            - weights
            - draft_weights;
        let capacity_tokens = if capacity_bytes > 0.0 && kv_per_token > 0.0 {
            (capacity_bytes / kv_per_token).floor().min(1e15) as u64
        } else {
            0
        };
        // A linear-attention model's fixed state per request, charged in whole tokens of KV.
        let state_bytes = linear_state_bytes_per_sequence(scenario);
        let state_tokens = state_tokens(state_bytes, kv_per_token);
        let block = config.block_size.max(1);
        let longest = config.input.max() as u64 + config.output.max() as u64;
        if problems.is_empty() {
            let blocks = capacity_tokens / block as u64;
            let longest_blocks =
                longest.div_ceil(block as u64) + state_tokens.div_ceil(block as u64);
            let longest = longest + state_tokens;
            if capacity_bytes <= 0.0 {
                problems.push(ScenarioError::new(
                    "chips",
                    "the weights leave no memory for the KV cache: add chips or lower precision",
                ));
            } else if longest > capacity_tokens || longest_blocks > blocks {
                problems.push(ScenarioError::new(
                    "output.max",
                    format!(
                        "the longest request ({longest} tokens in and out, its fixed state included) \
                         needs more KV than fits beside the weights ({capacity_tokens} tokens in \
                         blocks of {block}); lower the longest lengths or add chips"
                    ),
                ));
            }
        }
        let pools = if problems.is_empty() {
            match pool_spec(scenario, config, kv_per_token, (state_tokens, state_bytes)) {
                Ok(p) => Some(p),
                Err(e) => {
                    problems.push(e);
                    None
                }
            }
        } else {
            None
        };
        let (Some(pools), true) = (pools, problems.is_empty()) else {
            return Err(SimError::Invalid(problems));
        };
        let requests = stream(config);
        let n = requests.len();
        let mut pools = Some(Pools::new(pools));
        let replicas = Scheduler::ALL
            .into_iter()
            .map(|s| {
                let r = Replica::new(s, n, capacity_tokens, block).with_state(state_tokens as u32);
                match s {
                    Scheduler::Chunked => r.with_chunk(config.chunk_tokens),
                    Scheduler::Disaggregated => match pools.take() {
                        Some(p) => r.with_pools(p),
                        None => r,
                    },
                    _ => r,
                }
            })
            .collect();
        Ok(Sim {
            engine,
            requests,
            replicas,
            kv_per_token,
            capacity_bytes,
            capacity_tokens,
            block,
            state_tokens,
        })
    }

    /// The request stream.
    pub fn requests(&self) -> &[Request] {
        &self.requests
    }

    /// Runs until about `budget` units of work are done (a unit is one request advanced one
    /// step; an iteration counts at least 1) or the run is over; returns whether it is over.
    /// Replicas run one after another (static, contiguous, paged).
    pub fn step_until(&mut self, budget: u64) -> bool {
        let mut spent = 0u64;
        for rep in self.replicas.iter_mut() {
            while !rep.done(&self.requests) {
                if spent >= budget {
                    return false;
                }
                spent += rep.iterate(&self.requests, &self.engine).max(1);
            }
        }
        true
    }

    /// Whether every replica has served every request.
    pub fn is_done(&self) -> bool {
        self.replicas.iter().all(|r| r.done(&self.requests))
    }

    /// Fraction done, 0 to 1: requests finished over all replicas ÷ (replicas × requests).
    pub fn progress(&self) -> f64 {
        let total = (self.requests.len() * self.replicas.len()) as f64;
        if total == 0.0 {
            return 1.0;
        }
        let done: u64 = self.replicas.iter().map(|r| r.finished as u64).sum();
        done as f64 / total
    }

    /// Runs to the end and reports.
    pub fn finish(mut self) -> SimReport {
        while !self.step_until(u64::MAX) {}
        let Sim {
            engine,
            requests,
            mut replicas,
            kv_per_token,
            capacity_bytes,
            capacity_tokens,
            block,
            state_tokens,
        } = self;
        let schedulers: Vec<SchedulerReport> = replicas
            .iter_mut()
            .map(|r| r.report(&requests, &engine, kv_per_token, capacity_bytes))
            .collect();
        let mut report = SimReport {
            schedulers,
            requested_output_tokens: requests.iter().map(|r| r.output as u64).sum(),
            requested_input_tokens: requests.iter().map(|r| r.input as u64).sum(),
            kv_capacity_bytes: capacity_bytes,
            kv_capacity_tokens: capacity_tokens,
            kv_capacity_blocks: capacity_tokens / block as u64,
            kv_bytes_per_token: kv_per_token,
            state_tokens_per_request: state_tokens,
            digest: 0,
        };
        report.digest = digest(&report);
        for i in 0..report.schedulers.len() {
            report.schedulers[i].digest = scheduler_digest(&report, &report.schedulers[i]);
        }
        report
    }
}

/// The disaggregated pools of `scenario` (its own setup in both when the scenario does not
/// switch them on): their engines, KV memory and link; errors name the pool that cannot hold
/// the longest prompt (prefill) or request (decode).
fn pool_spec(
    scenario: &Scenario,
    config: &SimConfig,
    kv_per_token: f64,
    (state_tokens, state_bytes): (u64, f64),
) -> Result<PoolSpec, ScenarioError> {
    let d = disaggregation::pools(scenario)?;
    let prefill_engine = Engine::new(&d.prefill.scenario)?;
    let decode_engine = Engine::new(&d.decode.scenario)?;
    let (pb, pt) = prefill_engine.kv_capacity(kv_per_token);
    let (db, dt) = decode_engine.kv_capacity(kv_per_token);
    let prompt = config.input.max() as u64 + state_tokens;
    let longest = prompt + config.output.max() as u64;
    if prompt > pt {
        return Err(ScenarioError::new(
            "disaggregation.prefill.chips",
            format!(
                "a prefill engine holds {pt} tokens of KV beside the weights, less than the longest prompt needs ({prompt}, its fixed state included); add chips to the prefill engines"
            ),
        ));
    }
    if longest > dt {
        return Err(ScenarioError::new(
            "disaggregation.decode.chips",
            format!(
                "a decode engine holds {dt} tokens of KV beside the weights, less than the longest request needs ({longest}, its fixed state included); add chips to the decode engines"
            ),
        ));
    }
    Ok(PoolSpec {
        prefill_engine,
        decode_engine,
        prefill_instances: d.prefill.instances,
        decode_instances: d.decode.instances,
        prefill_capacity: pt,
        decode_capacity: dt,
        prefill_capacity_bytes: pb,
        decode_capacity_bytes: db,
        kv_per_token,
        state_tokens,
        state_bytes,
        bandwidth: d.link_bandwidth,
        latency: d.link_latency_seconds,
    })
}

/// A request's fixed state of `state_bytes` in whole tokens of KV at `kv_per_token`
/// (⌈state ÷ kv⌉; 0 without a state or without KV).
pub(in crate::sim) fn state_tokens(state_bytes: f64, kv_per_token: f64) -> u64 {
    if state_bytes > 0.0 && kv_per_token > 0.0 {
        (state_bytes / kv_per_token).ceil().min(1e12) as u64
    } else {
        0
    }
}

/// Simulates `config` on `scenario` to the end.
pub fn run(scenario: &Scenario, config: &SimConfig) -> Result<SimReport, SimError> {
    Ok(Sim::new(scenario, config)?.finish())
}
