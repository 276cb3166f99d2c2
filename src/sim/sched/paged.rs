//! Paged KV: memory in blocks of `block` tokens, charged as requests grow, a watermark of
//! free blocks, and preemption (vLLM's recompute policy) when growth runs out of blocks.
//!
//! Paged admits each request no later than contiguous would in steps, but not always in
//! wall-clock time: it runs more requests at once, every step pays host work per request
//! (`efficiency.request_overhead_seconds`) and longer KV reads, so its steps are longer and
//! a later request can wait longer. The tests check the step-cost-independent property with
//! that overhead off.

use super::Replica;

/// Blocks of `block` tokens that hold `tokens` tokens.
pub(super) fn blocks_for(tokens: u32, block: u32) -> u32 {
    tokens.div_ceil(block.max(1))
}

/// What freeing blocks for this step's growth came to.
pub(super) enum Growth {
    /// The running requests grow without preempting anyone.
    Fits,
    /// Some were preempted; the iteration admits nobody.
    Preempted,
    /// Even with nobody left running the growth does not fit (cannot happen for a validated
    /// run).
    Stuck,
}

impl Replica {
    /// Frees blocks for the running requests to grow by one token this step, preempting the
    /// most recently admitted ones (freed, back to the head of the queue, their tokens so far
    /// kept) until the growth fits. `need_next` is left at the blocks still needed.
    pub(super) fn make_room_to_grow(&mut self) -> Growth {
        // Blocks the running requests need to grow by one token this step (those whose KV
        // fills their last block exactly), kept as a running count.
        let mut need = self.need_next;
        let mut preempted = false;
        while need > self.free {
            let Some(v) = self.running.pop() else {
                break;
            };
            if v.slack == 0 {
                need -= 1;
            }
            self.free += v.held as u64;
            self.held_total -= v.held as u64;
            self.sum_ctx -= v.ctx as u64;
            self.produced[v.id as usize] = v.produced;
            self.waiting.push_front(v.id);
            self.preemptions += 1;
            preempted = true;
        }
        self.need_next = need;
        if need > self.free {
            Growth::Stuck
        } else if preempted {
            Growth::Preempted
        } else {
            Growth::Fits
        }
    }

    /// Blocks kept free at admission: 1% of all blocks while others are running (as vLLM
    /// does), so that growth rarely forces a preemption right after an admission.
    pub(super) fn watermark_blocks(&self) -> u64 {
        if !self.running.is_empty() {
            self.total_blocks / 100
        } else {
            0
        }
    }
}
