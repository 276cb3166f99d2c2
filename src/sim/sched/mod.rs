//! The five schedulers and the replica that runs them: static batching, continuous
//! batching with contiguous KV, with paged KV, with paged KV and chunked prefill, and
//! disaggregated prefill and decode pools.

mod chunked;
mod continuous;
mod disaggregated;
mod paged;
mod replica;
mod static_batch;
mod summary;

pub(super) use disaggregated::{PoolSpec, Pools};
pub(super) use replica::Replica;

use std::fmt;

/// The schedulers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheduler {
    /// Static batching.
    Static,
    /// Continuous batching, contiguous KV reservations.
    Contiguous,
    /// Continuous batching, paged KV.
    Paged,
    /// Continuous batching, paged KV, chunked prefill: a token budget per step shared by
    /// the running decodes and a chunk of one waiting prompt.
    Chunked,
    /// Prefill and decode on separate pools, the KV shipped between them.
    Disaggregated,
}

impl Scheduler {
    /// In report order.
    pub const ALL: [Scheduler; 5] = [
        Scheduler::Static,
        Scheduler::Contiguous,
        Scheduler::Paged,
        Scheduler::Chunked,
        Scheduler::Disaggregated,
    ];

    /// The schedulers the whole run's digest covers (the lab's first three, so that their
    /// frozen digests stay as they were); each scheduler also has its own digest.
    pub const DIGESTED: [Scheduler; 3] =
        [Scheduler::Static, Scheduler::Contiguous, Scheduler::Paged];

    /// Whether its KV memory is paged (blocks charged as requests grow).
    pub fn paged(self) -> bool {
        matches!(self, Scheduler::Paged | Scheduler::Chunked)
    }

    /// `"static"`, `"contiguous"`, `"paged"`, `"chunked"`, `"disaggregated"`.
    pub fn id(self) -> &'static str {
        match self {
            Scheduler::Static => "static",
            Scheduler::Contiguous => "contiguous",
            Scheduler::Paged => "paged",
            Scheduler::Chunked => "chunked",
            Scheduler::Disaggregated => "disaggregated",
        }
    }

    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Scheduler::Static => "Static batching",
            Scheduler::Contiguous => "Continuous, contiguous KV",
            Scheduler::Paged => "Continuous, paged KV",
            Scheduler::Chunked => "Chunked prefill, paged KV",
            Scheduler::Disaggregated => "Disaggregated prefill/decode",
        }
    }

    /// From its id.
    pub fn from_id(id: &str) -> Option<Scheduler> {
        Scheduler::ALL.into_iter().find(|s| s.id() == id)
    }
}

impl fmt::Display for Scheduler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}
