//! Continuous batching with chunked prefill (Sarathi-Serve, vLLM's default): each step has a
//! budget of `chunk_tokens` tokens; the running decodes take one each and what is left goes
//! to a chunk of the one prompt being prefilled, all in one fused pass
//! ([`crate::model::mixed_step`]). KV is paged as under [`super::Scheduler::Paged`]: the
//! prompt's blocks are taken when its prefill starts, growth preempts the most recently
//! admitted, and a preempted request is prefilled again (in chunks) on readmission.

use super::paged::Growth;
use super::replica::Running;
use super::Replica;
use crate::sim::costs::Engine;
use crate::sim::Request;

/// The prompt being prefilled, chunk by chunk.
#[derive(Clone, Copy, Debug)]
pub(in crate::sim) struct Prefilling {
    /// The request, as it will run once its prompt is in (ctx = its prompt).
    run: Running,
    /// Prompt tokens prefilled so far.
    done: u32,
}

impl Replica {
    /// One step of chunked prefill.
    pub(super) fn chunked(&mut self, reqs: &[Request], eng: &Engine) -> u64 {
        let preempted = match self.make_room_to_grow() {
            Growth::Fits => false,
            Growth::Preempted => true,
            Growth::Stuck => {
                self.stuck = true;
                return 1;
            }
        };
        // A new prompt starts when none is in progress (first come, first served), if its
        // blocks fit beside this step's growth; a step that preempts starts none.
        if self.prefilling.is_none() && !preempted && self.admissible(reqs) > 0 {
            let (mut new, _, _) = self.admit(reqs, 1);
            if let Some(run) = new.pop() {
                // Its blocks are held apart from the running requests' until it runs; its
                // cached prefix counts as prefilled already (the chunks cover the rest).
                self.held_total -= run.held as u64;
                let done = reqs[run.id as usize].cached.min(run.ctx.saturating_sub(1));
                self.prefilling = Some(Prefilling { run, done });
            }
        }
        if self.running.is_empty() && self.prefilling.is_none() {
            self.stuck = true;
            return 1;
        }
        let b = self.running.len() as u32;
        let left = self.chunk_tokens.saturating_sub(b);
        let (chunk, prefix) = match &self.prefilling {
            Some(p) => ((p.run.ctx - p.done).min(left), p.done),
            None => (0, 0),
        };
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
        let ctx = eng.effective_context(b, sum, sum_min);
        let d = eng.mixed_seconds(b, ctx, chunk, prefix);
        // This step's new blocks for the running requests.
        self.free -= self.need_next;
        self.held_total += self.need_next;
        let bs = self.block as u64;
        let state = self.state_tokens as u64;
        let (pf_used, pf_held) = match &self.prefilling {
            Some(p) => ((p.done + chunk) as u64 + state, p.run.held as u64),
            None => (0, 0),
        };
        let used = self.sum_ctx + b as u64 * (1 + state) + pf_used;
        let held = (self.held_total + pf_held) * bs;
        self.t += d;
        self.iterations += 1;
        self.sampler.record(
            self.t,
            d,
            self.waiting.len() as u32,
            b + self.prefilling.is_some() as u32,
            used,
            held.saturating_sub(used),
        );
        // The prompt whose last chunk ran emits its first (or next) token with the others.
        let mut new = Vec::new();
        if let Some(p) = self.prefilling.as_mut() {
            p.done += chunk;
            if p.done == p.run.ctx {
                new.push(p.run);
                self.prefilling = None;
            }
        }
        self.emit_tokens(new);
        b as u64 + 1 + chunk as u64 / 256
    }
}
