//! Continuous batching (contiguous or paged KV): first-come-first-served admission, then one
//! iteration that prefills the admitted prompts and decodes every running request.

use super::paged::{blocks_for, Growth};
use super::replica::Running;
use super::Replica;
use crate::sim::costs::Engine;
use crate::sim::Request;

impl Replica {
    /// One iteration of continuous batching (contiguous or paged KV).
    pub(super) fn continuous(&mut self, reqs: &[Request], eng: &Engine) -> u64 {
        let paged = self.scheduler.paged();
        if paged {
            match self.make_room_to_grow() {
                Growth::Fits => {}
                Growth::Preempted => return self.run_iteration(reqs, eng, 0),
                Growth::Stuck => {
                    self.stuck = true;
                    return 1;
                }
            }
        }
        let admitted = self.admissible(reqs);
        if admitted == 0 && self.running.is_empty() {
            self.stuck = true;
            return 1;
        }
        self.run_iteration(reqs, eng, admitted)
    }

    /// How many requests at the head of the queue fit, first come first served, beside this
    /// step's growth (`need_next` blocks, paged; 0 under contiguous KV).
    pub(super) fn admissible(&self, reqs: &[Request]) -> usize {
        let paged = self.scheduler.paged();
        let bs = self.block;
        let mut admitted = 0usize;
        let mut free = self.free - self.need_next;
        let watermark = if paged { self.watermark_blocks() } else { 0 };
        let state = self.state_held() as u64;
        for &id in self.waiting.iter() {
            let r = &reqs[id as usize];
            let p = self.produced[id as usize];
            let cost = if paged {
                // Prompt plus tokens already emitted, plus the first token to come.
                blocks_for(r.input + p + 1, bs) as u64
            } else {
                r.input as u64 + r.output as u64
            } + state;
            if cost + watermark > free {
                break;
            }
            free -= cost;
            admitted += 1;
        }
        admitted
    }

    /// Prefills the first `admitted` waiting requests and decodes the running ones, in one
    /// pass over the running batch (sums of contexts and held memory are kept as counts).
    fn run_iteration(&mut self, reqs: &[Request], eng: &Engine, admitted: usize) -> u64 {
        let paged = self.scheduler.paged();
        let bs = self.block;
        let b = self.running.len() as u32;
        let decode = self.decode_seconds(eng);
        if paged {
            // This step's new blocks (the requests' own counts grow in the pass below).
            self.free -= self.need_next;
            self.held_total += self.need_next;
        }
        let (new, prompt_tokens, cached) = self.admit(reqs, admitted);
        let prefill = eng.prefill_seconds(prompt_tokens - cached, new.len() as u32, cached);
        let d = prefill + decode;
        // Memory during the iteration, in tokens (each request's fixed state with its KV).
        let used = self.sum_ctx
            + b as u64
            + prompt_tokens
            + (b as u64 + new.len() as u64) * self.state_tokens as u64;
        let held_tokens = if paged {
            self.held_total * bs as u64
        } else {
            self.held_total
        };
        self.t += d;
        self.iterations += 1;
        self.sampler.record(
            self.t,
            d,
            self.waiting.len() as u32,
            b + new.len() as u32,
            used,
            held_tokens.saturating_sub(used),
        );
        self.emit_tokens(new);
        b as u64 + 1 + prompt_tokens / 256
    }

    /// The decode step of the running batch at its actual contexts (each reads ctx + 1),
    /// seconds.
    pub(super) fn decode_seconds(&self, eng: &Engine) -> f64 {
        let b = self.running.len() as u32;
        let sum = (self.sum_ctx + b as u64) as f64;
        let sum_min = if eng.windowed() {
            let w = eng.window.unwrap_or(0.0);
            self.running
                .iter()
                .map(|r| ((r.ctx + 1) as f64).min(w))
                .sum()
        } else {
            0.0
        };
        eng.decode_seconds(b, eng.effective_context(b, sum, sum_min))
    }

    /// Takes the first `admitted` waiting requests and charges their memory; returns them,
    /// their prompt tokens (with any tokens already emitted), prefilled in one pass, and how
    /// many of those are in the prefix cache (prefill skips them; their KV is still held).
    pub(super) fn admit(&mut self, reqs: &[Request], admitted: usize) -> (Vec<Running>, u64, u64) {
        let paged = self.scheduler.paged();
        let bs = self.block;
        let mut new: Vec<Running> = Vec::with_capacity(admitted);
        let mut prompt_tokens = 0u64;
        let mut cached = 0u64;
        let state = self.state_held();
        for _ in 0..admitted {
            let Some(id) = self.waiting.pop_front() else {
                break;
            };
            let r = &reqs[id as usize];
            let p = self.produced[id as usize];
            let prompt = r.input + p;
            // The KV's own blocks (or reserved tokens), and the fixed state beside them.
            let kv = if paged {
                blocks_for(prompt, bs)
            } else {
                r.input + r.output
            };
            let held = kv + state;
            self.free -= held as u64;
            self.held_total += held as u64;
            prompt_tokens += prompt as u64;
            cached += r.cached as u64;
            if self.admitted_at[id as usize].is_nan() {
                self.admitted_at[id as usize] = self.t;
            }
            new.push(Running {
                id,
                ctx: prompt,
                produced: p,
                held,
                out: r.output,
                slack: if paged { kv * bs - prompt } else { 1 },
            });
        }
        (new, prompt_tokens, cached)
    }

    /// Tokens out at the iteration's end: one per running request, the first (or next) for
    /// each admitted one (`new`); finished requests free their memory, the sums are rebuilt.
    pub(super) fn emit_tokens(&mut self, new: Vec<Running>) {
        let paged = self.scheduler.paged();
        let bs = self.block;
        let t = self.t;
        let mut running = std::mem::take(&mut self.running);
        let b = running.len() as u32;
        let (mut sum_ctx, mut held_total, mut need_next) = (0u64, 0u64, 0u64);
        let mut freed = 0u64;
        let mut finished = 0u32;
        running.retain_mut(|r| {
            if paged {
                if r.slack == 0 {
                    r.held += 1;
                    r.slack = bs;
                }
                r.slack -= 1;
            }
            r.ctx += 1;
            r.produced += 1;
            if r.produced == r.out {
                freed += r.held as u64;
                self.finished_at[r.id as usize] = t;
                self.produced[r.id as usize] = r.produced;
                finished += 1;
                false
            } else {
                sum_ctx += r.ctx as u64;
                held_total += r.held as u64;
                need_next += (r.slack == 0) as u64;
                true
            }
        });
        self.output_tokens += b as u64;
        self.finished += finished;
        for mut r in new {
            let i = r.id as usize;
            if r.produced == 0 {
                self.first_token_at[i] = t;
            }
            r.produced += 1;
            self.output_tokens += 1;
            if r.produced == r.out {
                freed += r.held as u64;
                self.produced[i] = r.produced;
                self.finished_at[i] = t;
                self.finished += 1;
            } else {
                sum_ctx += r.ctx as u64;
                held_total += r.held as u64;
                need_next += (r.slack == 0) as u64;
                running.push(r);
            }
        }
        self.free += freed;
        self.sum_ctx = sum_ctx;
        self.held_total = held_total;
        self.need_next = if paged { need_next } else { 0 };
        self.running = running;
    }
}
