//! One scheduler serving the stream: its clock, queue, running requests and KV memory.

use super::chunked::Prefilling;
use super::disaggregated::Pools;
use super::static_batch::StaticBatch;
use super::Scheduler;
use crate::sim::costs::Engine;
use crate::sim::sampler::Sampler;
use crate::sim::Request;
use std::collections::VecDeque;

/// A request being served by a continuous scheduler.
#[derive(Clone, Copy, Debug)]
pub(super) struct Running {
    pub(super) id: u32,
    /// Tokens of KV held (n_in + tokens out − 1).
    pub(super) ctx: u32,
    /// Tokens emitted so far.
    pub(super) produced: u32,
    /// Tokens reserved (contiguous) or blocks held (paged).
    pub(super) held: u32,
    /// Output tokens it asks for.
    pub(super) out: u32,
    /// Paged: token slots left empty in its last block (held × block − ctx); the next step
    /// needs a new block when this is 0. Unused (kept at 1) under contiguous KV.
    pub(super) slack: u32,
}

/// One scheduler serving the stream.
#[derive(Clone, Debug)]
pub(in crate::sim) struct Replica {
    pub(super) scheduler: Scheduler,
    pub(super) t: f64,
    /// Next request of the stream to arrive.
    pub(super) next_arrival: usize,
    pub(super) waiting: VecDeque<u32>,
    pub(super) running: Vec<Running>,
    /// Free KV: tokens (static, contiguous) or blocks (paged).
    pub(super) free: u64,
    /// All blocks (paged).
    pub(super) total_blocks: u64,
    /// Σ KV tokens held by the running requests.
    pub(super) sum_ctx: u64,
    /// Σ reserved tokens (contiguous) or blocks (paged) of the running requests.
    pub(super) held_total: u64,
    /// Running requests whose next step needs a new block (paged).
    pub(super) need_next: u64,
    pub(super) block: u32,
    /// Tokens emitted per request (kept across preemptions).
    pub(super) produced: Vec<u32>,
    pub(super) admitted_at: Vec<f64>,
    pub(super) first_token_at: Vec<f64>,
    pub(super) finished_at: Vec<f64>,
    /// Requests served to their last token.
    pub(in crate::sim) finished: u32,
    pub(super) output_tokens: u64,
    pub(super) iterations: u64,
    pub(super) preemptions: u64,
    pub(super) sampler: Sampler,
    /// Set if no progress was possible (cannot happen for a validated run).
    pub(super) stuck: bool,
    /// The static batch being decoded.
    pub(super) batch: Option<StaticBatch>,
    /// Chunked prefill: tokens per step, and the prompt being prefilled.
    pub(super) chunk_tokens: u32,
    pub(super) prefilling: Option<Prefilling>,
    /// Disaggregated: the two pools (boxed: the other schedulers do not carry them).
    pub(super) pools: Option<Box<Pools>>,
    /// Memory each request holds whatever its length (a linear-attention model's state),
    /// in tokens of KV.
    pub(super) state_tokens: u32,
}

impl Replica {
    /// A replica of `scheduler` for `n` requests with `capacity_tokens` of KV.
    pub(in crate::sim) fn new(
        scheduler: Scheduler,
        n: usize,
        capacity_tokens: u64,
        block: u32,
    ) -> Self {
        let free = if scheduler.paged() {
            capacity_tokens / block.max(1) as u64
        } else {
            capacity_tokens
        };
        Replica {
            scheduler,
            t: 0.0,
            next_arrival: 0,
            waiting: VecDeque::new(),
            running: Vec::new(),
            free,
            total_blocks: capacity_tokens / block.max(1) as u64,
            sum_ctx: 0,
            held_total: 0,
            need_next: 0,
            block,
            produced: vec![0; n],
            admitted_at: vec![f64::NAN; n],
            first_token_at: vec![f64::NAN; n],
            finished_at: vec![f64::NAN; n],
            finished: 0,
            output_tokens: 0,
            iterations: 0,
            preemptions: 0,
            sampler: Sampler::new(),
            stuck: false,
            batch: None,
            chunk_tokens: 1,
            prefilling: None,
            pools: None,
            state_tokens: 0,
        }
    }

    /// The same replica charging `tokens` of KV per request for its fixed state.
    pub(in crate::sim) fn with_state(mut self, tokens: u32) -> Self {
        self.state_tokens = tokens;
        self
    }

    /// The fixed state one request holds, in the replica's units: tokens (static,
    /// contiguous) or whole blocks (paged).
    pub(super) fn state_held(&self) -> u32 {
        if self.scheduler.paged() {
            super::paged::blocks_for(self.state_tokens, self.block)
        } else {
            self.state_tokens
        }
    }

    /// The same replica with `tokens` per chunked-prefill step.
    pub(in crate::sim) fn with_chunk(mut self, tokens: u32) -> Self {
        self.chunk_tokens = tokens.max(1);
        self
    }

    /// The same replica serving with the disaggregated `pools`.
    pub(in crate::sim) fn with_pools(mut self, pools: Pools) -> Self {
        self.pools = Some(Box::new(pools));
        self
    }

    /// Whether it has served every request (or cannot go on).
    pub(in crate::sim) fn done(&self, reqs: &[Request]) -> bool {
        self.stuck || self.finished as usize == reqs.len()
    }

    /// Queues the requests that have arrived by now.
    pub(super) fn take_arrivals(&mut self, reqs: &[Request]) {
        while self.next_arrival < reqs.len() && reqs[self.next_arrival].arrival <= self.t {
            self.waiting.push_back(self.next_arrival as u32);
            self.next_arrival += 1;
        }
    }

    /// Runs one iteration (or one idle gap); returns the work done (≥ 1).
    pub(in crate::sim) fn iterate(&mut self, reqs: &[Request], eng: &Engine) -> u64 {
        if self.scheduler == Scheduler::Disaggregated {
            return self.disaggregated(reqs);
        }
        if self.batch.is_some() {
            return self.static_steps(reqs, eng);
        }
        self.take_arrivals(reqs);
        if self.running.is_empty() && self.waiting.is_empty() && self.prefilling.is_none() {
            match reqs.get(self.next_arrival) {
                Some(r) => {
                    let gap = r.arrival - self.t;
                    self.t = r.arrival;
                    self.sampler.record(self.t, gap, 0, 0, 0, 0);
                }
                None => self.stuck = true,
            }
            return 1;
        }
        match self.scheduler {
            Scheduler::Static => self.static_start(reqs, eng),
            Scheduler::Chunked => self.chunked(reqs, eng),
            _ => self.continuous(reqs, eng),
        }
    }
}
