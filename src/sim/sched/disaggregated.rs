//! Disaggregated prefill and decode: x prefill engines and y decode engines
//! ([`crate::model::disaggregation`]), each pool with its own first-come-first-served queue.
//!
//! - A prefill engine that is free takes the waiting prompts at the head of the prefill
//!   queue that fit in its KV memory and prefills them in one pass (the engine's
//!   [`crate::model::prefill`] on the prefill pool's chips). At the pass's end each prompt's
//!   KV leaves over the engine's link, one transfer after another:
//!   latency + n_in·kv ÷ bandwidth each. The first token travels with the KV: a request's
//!   first token is at the end of its transfer.
//! - A request whose KV has arrived waits in the decode queue (by arrival of its KV). A
//!   decode engine admits from its head while the request's maximum length fits (contiguous
//!   reservations, as in SGLang's decode servers, which allocate before the transfer), and
//!   runs decode steps of its running batch at their actual contexts.
//! - The engines run side by side: the simulation always advances the engine whose next
//!   action is earliest, so both queues are served in time order. The time series hold the
//!   state between these actions: waiting = both queues, running = the decode batches,
//!   KV = both pools.

use super::replica::Running;
use super::Replica;
use crate::model::disaggregation::transfer_seconds;
use crate::sim::costs::Engine;
use crate::sim::Request;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A prefill engine: when it is free, and when its link is.
#[derive(Clone, Debug, Default)]
struct PrefillEngine {
    free_at: f64,
    link_free: f64,
    /// The last pass: when it ends, and its prompt tokens and requests.
    pass_end: f64,
    pass_tokens: u64,
    pass_requests: u32,
}

/// A decode engine: its clock, batch and KV (tokens).
#[derive(Clone, Debug, Default)]
struct DecodeEngine {
    t: f64,
    running: Vec<Running>,
    free: u64,
    sum_ctx: u64,
    held: u64,
}

/// The two pools of the disaggregated scheduler.
#[derive(Clone, Debug)]
pub(in crate::sim) struct Pools {
    prefill_engine: Engine,
    decode_engine: Engine,
    prefill: Vec<PrefillEngine>,
    decode: Vec<DecodeEngine>,
    /// Requests whose KV has arrived: (arrival of the KV as f64 bits, id), earliest first.
    ready: BinaryHeap<Reverse<(u64, u32)>>,
    kv_per_token: f64,
    /// Each request's fixed state (a linear-attention model's): in tokens of KV, and bytes
    /// (shipped with the prompt's KV).
    state_tokens: u64,
    state_bytes: f64,
    bandwidth: f64,
    latency: f64,
    prefill_capacity: u64,
    /// USD per second of both pools.
    pub(in crate::sim) usd_per_second: f64,
    /// KV memory of both pools, bytes.
    pub(in crate::sim) kv_capacity_bytes: f64,
    /// Chips of both pools.
    pub(in crate::sim) chips: u32,
    /// When the time series was last recorded.
    last: f64,
}

/// What the pools are made of.
pub(in crate::sim) struct PoolSpec {
    pub(in crate::sim) prefill_engine: Engine,
    pub(in crate::sim) decode_engine: Engine,
    pub(in crate::sim) prefill_instances: u32,
    pub(in crate::sim) decode_instances: u32,
    /// KV tokens one prefill (decode) engine holds beside its weights.
    pub(in crate::sim) prefill_capacity: u64,
    pub(in crate::sim) decode_capacity: u64,
    /// And in bytes.
    pub(in crate::sim) prefill_capacity_bytes: f64,
    pub(in crate::sim) decode_capacity_bytes: f64,
    pub(in crate::sim) kv_per_token: f64,
    /// Each request's fixed state, in tokens of KV and in bytes.
    pub(in crate::sim) state_tokens: u64,
    pub(in crate::sim) state_bytes: f64,
    pub(in crate::sim) bandwidth: f64,
    pub(in crate::sim) latency: f64,
}

impl Pools {
    /// Idle pools of `spec`.
    pub(in crate::sim) fn new(spec: PoolSpec) -> Pools {
        let (x, y) = (spec.prefill_instances.max(1), spec.decode_instances.max(1));
        let usd_per_second = x as f64 * spec.prefill_engine.usd_per_second()
            + y as f64 * spec.decode_engine.usd_per_second();
        let chips = x * spec.prefill_engine.chips as u32 + y * spec.decode_engine.chips as u32;
        Pools {
            prefill: vec![PrefillEngine::default(); x as usize],
            decode: vec![
                DecodeEngine {
                    free: spec.decode_capacity,
                    ..Default::default()
                };
                y as usize
            ],
            ready: BinaryHeap::new(),
            kv_per_token: spec.kv_per_token,
            state_tokens: spec.state_tokens,
            state_bytes: spec.state_bytes,
            bandwidth: spec.bandwidth,
            latency: spec.latency,
            prefill_capacity: spec.prefill_capacity,
            usd_per_second,
            kv_capacity_bytes: x as f64 * spec.prefill_capacity_bytes
                + y as f64 * spec.decode_capacity_bytes,
            chips,
            last: 0.0,
            prefill_engine: spec.prefill_engine,
            decode_engine: spec.decode_engine,
        }
    }

    /// The earliest arrival of a request whose KV is ready, if any.
    fn first_ready(&self) -> Option<f64> {
        self.ready.peek().map(|Reverse((t, _))| f64::from_bits(*t))
    }
}

/// The next action: a prefill or decode engine, and when.
enum Next {
    Prefill(usize),
    Decode(usize),
}

impl Replica {
    /// One action of the disaggregated pools: the earliest of every engine's next action.
    pub(super) fn disaggregated(&mut self, reqs: &[Request]) -> u64 {
        let Some(mut pools) = self.pools.take() else {
            self.stuck = true;
            return 1;
        };
        let work = self.disaggregated_step(reqs, &mut pools);
        self.pools = Some(pools);
        work
    }

    fn disaggregated_step(&mut self, reqs: &[Request], p: &mut Pools) -> u64 {
        // When the prefill queue's head is (or will be) there.
        let head = match self.waiting.front() {
            Some(&id) => reqs[id as usize].arrival,
            None => reqs
                .get(self.next_arrival)
                .map_or(f64::INFINITY, |r| r.arrival),
        };
        let mut best: Option<(f64, Next)> = None;
        for (i, e) in p.prefill.iter().enumerate() {
            let at = e.free_at.max(head);
            if at.is_finite() && best.as_ref().is_none_or(|b| at < b.0) {
                best = Some((at, Next::Prefill(i)));
            }
        }
        let ready = p.first_ready();
        for (j, e) in p.decode.iter().enumerate() {
            let at = if !e.running.is_empty() {
                e.t
            } else {
                ready.map_or(f64::INFINITY, |r| e.t.max(r))
            };
            if at.is_finite() && best.as_ref().is_none_or(|b| at < b.0) {
                best = Some((at, Next::Decode(j)));
            }
        }
        let Some((at, next)) = best else {
            self.stuck = true;
            return 1;
        };
        // The state held since the last action.
        self.t = self.t.max(at);
        self.take_arrivals(reqs);
        let (mut running, mut used, mut held) = (0u32, 0u64, 0u64);
        for e in &p.decode {
            running += e.running.len() as u32;
            used += e.sum_ctx + e.running.len() as u64 * (1 + p.state_tokens);
            held += e.held;
        }
        for e in p.prefill.iter().filter(|e| e.pass_end > p.last) {
            running += e.pass_requests;
            let pass = e.pass_tokens + e.pass_requests as u64 * p.state_tokens;
            used += pass;
            held += pass;
        }
        self.sampler.record(
            self.t,
            self.t - p.last,
            (self.waiting.len() + p.ready.len()) as u32,
            running,
            used,
            held.saturating_sub(used),
        );
        p.last = self.t;
        match next {
            Next::Prefill(i) => self.prefill_pass(reqs, p, i),
            Next::Decode(j) => self.decode_step_on(reqs, p, j),
        }
    }

    /// Prefill engine `i` prefills the prompts at the head of the queue that fit, then ships
    /// their KV one after another over its link.
    fn prefill_pass(&mut self, reqs: &[Request], p: &mut Pools, i: usize) -> u64 {
        let t = self.t;
        let mut ids = Vec::new();
        let mut tokens = 0u64;
        let mut held = 0u64;
        let mut cached = 0u64;
        while let Some(&id) = self.waiting.front() {
            // A prompt's KV and its fixed state, while it is prefilled and shipped.
            let n = reqs[id as usize].input as u64 + p.state_tokens;
            if !ids.is_empty() && held + n > p.prefill_capacity {
                break;
            }
            tokens += reqs[id as usize].input as u64;
            held += n;
            cached += reqs[id as usize].cached as u64;
            ids.push(id);
            self.waiting.pop_front();
        }
        if ids.is_empty() {
            // Nothing has arrived yet: the engine waits for the head of the stream.
            p.prefill[i].free_at = t;
            return 1;
        }
        let d = p
            .prefill_engine
            .prefill_seconds(tokens - cached, ids.len() as u32, cached);
        let end = t + d;
        self.iterations += 1;
        let e = &mut p.prefill[i];
        e.free_at = end;
        e.pass_end = end;
        e.pass_tokens = tokens;
        e.pass_requests = ids.len() as u32;
        for &id in &ids {
            let i = id as usize;
            let r = &reqs[i];
            self.admitted_at[i] = t;
            let start = end.max(e.link_free);
            let bytes = p.kv_per_token * r.input as f64 + p.state_bytes;
            let arrived = start + transfer_seconds(bytes, p.bandwidth, p.latency);
            e.link_free = arrived;
            self.first_token_at[i] = arrived;
            self.produced[i] = 1;
            self.output_tokens += 1;
            if r.output == 1 {
                self.finished_at[i] = arrived;
                self.finished += 1;
            } else {
                p.ready.push(Reverse((arrived.to_bits(), id)));
            }
        }
        ids.len() as u64 + tokens / 256
    }

    /// Decode engine `j` admits the ready requests at the head of the decode queue that fit,
    /// then runs one decode step of its batch.
    fn decode_step_on(&mut self, reqs: &[Request], p: &mut Pools, j: usize) -> u64 {
        let e = &mut p.decode[j];
        e.t = e.t.max(self.t);
        while let Some(&Reverse((bits, id))) = p.ready.peek() {
            let r = &reqs[id as usize];
            let need = r.input as u64 + r.output as u64 + p.state_tokens;
            if f64::from_bits(bits) > e.t || need > e.free {
                break;
            }
            p.ready.pop();
            e.free -= need;
            e.held += need;
            e.sum_ctx += r.input as u64;
            e.running.push(Running {
                id,
                ctx: r.input,
                produced: 1,
                held: need as u32,
                out: r.output,
                slack: 1,
            });
        }
        let b = e.running.len() as u32;
        if b == 0 {
            return 1;
        }
        let eng = &p.decode_engine;
        let sum = (e.sum_ctx + b as u64) as f64;
        let sum_min = match eng.window.filter(|_| eng.windowed()) {
            Some(w) => e.running.iter().map(|r| ((r.ctx + 1) as f64).min(w)).sum(),
            None => 0.0,
        };
        let d = eng.decode_seconds(b, eng.effective_context(b, sum, sum_min));
        e.t += d;
        self.iterations += 1;
        let t = e.t;
        let (mut sum_ctx, mut held, mut freed) = (0u64, 0u64, 0u64);
        let mut finished = 0u32;
        let (finished_at, produced) = (&mut self.finished_at, &mut self.produced);
        e.running.retain_mut(|r| {
            r.ctx += 1;
            r.produced += 1;
            if r.produced == r.out {
                finished_at[r.id as usize] = t;
                produced[r.id as usize] = r.produced;
                freed += r.held as u64;
                finished += 1;
                false
            } else {
                sum_ctx += r.ctx as u64;
                held += r.held as u64;
                true
            }
        });
        e.sum_ctx = sum_ctx;
        e.held = held;
        e.free += freed;
        self.output_tokens += b as u64;
        self.finished += finished;
        b as u64 + 1
    }
}
