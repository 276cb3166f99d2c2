//! Static batching: a padded batch is prefilled, decoded to its longest output, then
//! released; nobody is admitted in between.

use super::Replica;
use crate::sim::costs::Engine;
use crate::sim::Request;

/// Decode steps of a static batch run per call, so a long batch yields to the caller.
const STATIC_STEPS_PER_CALL: u32 = 512;

/// A static batch between its prefill and its last step.
#[derive(Clone, Debug)]
pub(super) struct StaticBatch {
    ids: Vec<u32>,
    /// Output lengths, sorted.
    outs: Vec<u32>,
    max_in: u32,
    max_out: u32,
    /// The next decode step, 1 … max_out − 1.
    next_step: u32,
    /// Index in `outs` of the first request still generating.
    first_active: usize,
    /// KV tokens written so far.
    used: u64,
    /// KV tokens reserved for the padded batch.
    reserved: u64,
    /// End of the prefill, then of each decode step.
    ends: Vec<f64>,
}

impl Replica {
    /// Static batching, first part: forms a batch (FIFO while the batch padded to its longest
    /// prompt and output fits) and prefills its padded prompts; every request's first token
    /// comes at the prefill's end. The decode steps follow in [`Replica::static_steps`].
    pub(super) fn static_start(&mut self, reqs: &[Request], eng: &Engine) -> u64 {
        let capacity = self.free;
        // Each request's fixed state, beside its padded KV.
        let state = self.state_tokens as u64;
        let mut ids: Vec<u32> = Vec::new();
        let (mut max_in, mut max_out) = (0u32, 0u32);
        while let Some(&id) = self.waiting.front() {
            let r = &reqs[id as usize];
            let (mi, mo) = (max_in.max(r.input), max_out.max(r.output));
            let need = (ids.len() as u64 + 1) * (mi as u64 + mo as u64 + state);
            if need > capacity {
                break;
            }
            ids.push(id);
            (max_in, max_out) = (mi, mo);
            self.waiting.pop_front();
        }
        if ids.is_empty() {
            self.stuck = true;
            return 1;
        }
        let k = ids.len() as u32;
        let reserved = k as u64 * (max_in as u64 + max_out as u64 + state);
        for &id in &ids {
            self.admitted_at[id as usize] = self.t;
        }
        // Each padded prompt skips its own cached prefix.
        let cached: u64 = ids.iter().map(|&id| reqs[id as usize].cached as u64).sum();
        let d = eng.prefill_seconds(k as u64 * max_in as u64 - cached, k, cached);
        let used: u64 = ids
            .iter()
            .map(|&id| reqs[id as usize].input as u64 + state)
            .sum();
        self.t += d;
        self.iterations += 1;
        self.sampler.record(
            self.t,
            d,
            self.waiting.len() as u32,
            k,
            used,
            reserved - used,
        );
        // Requests still generating at step j are those with output > j: counted from the
        // outputs sorted once.
        let mut outs: Vec<u32> = ids.iter().map(|&id| reqs[id as usize].output).collect();
        outs.sort_unstable();
        let mut ends = Vec::with_capacity(max_out as usize);
        ends.push(self.t);
        self.batch = Some(StaticBatch {
            ids,
            outs,
            max_in,
            max_out,
            next_step: 1,
            first_active: 0,
            used,
            reserved,
            ends,
        });
        k as u64 + 1
    }

    /// Static batching, second part: up to [`STATIC_STEPS_PER_CALL`] decode steps
    /// j = 1 … max_out − 1 at the padded context max_in + j (`ends[j]` is when step j ends),
    /// then every request's last token and the batch's release.
    pub(super) fn static_steps(&mut self, reqs: &[Request], eng: &Engine) -> u64 {
        let Some(mut b) = self.batch.take() else {
            return 1;
        };
        let k = b.ids.len() as u32;
        let stop = b
            .max_out
            .min(b.next_step.saturating_add(STATIC_STEPS_PER_CALL));
        let steps = stop.saturating_sub(b.next_step) as u64;
        for j in b.next_step..stop {
            while b.first_active < b.outs.len() && b.outs[b.first_active] <= j {
                b.first_active += 1;
            }
            let d = eng.decode_seconds(k, (b.max_in + j) as f64);
            // Each request still generating writes one more token of KV.
            b.used += (b.outs.len() - b.first_active) as u64;
            self.t += d;
            self.iterations += 1;
            // Arrivals during the batch only wait.
            self.take_arrivals(reqs);
            self.sampler.record(
                self.t,
                d,
                self.waiting.len() as u32,
                k,
                b.used,
                b.reserved - b.used,
            );
            b.ends.push(self.t);
        }
        b.next_step = stop;
        if stop < b.max_out {
            self.batch = Some(b);
            return steps + 1;
        }
        for &id in &b.ids {
            let i = id as usize;
            let out = reqs[i].output;
            self.first_token_at[i] = b.ends[0];
            self.finished_at[i] = b.ends[(out - 1) as usize];
            self.produced[i] = out;
            self.output_tokens += out as u64;
            self.finished += 1;
        }
        steps + k as u64
    }
}
