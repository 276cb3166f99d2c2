//! The three schedulers and the replica that runs them: static batching, continuous
//! batching with contiguous KV, and continuous batching with paged KV.

mod continuous;
mod paged;
mod replica;
mod static_batch;
mod summary;

pub(super) use replica::Replica;

use std::fmt;

/// The three schedulers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheduler {
    /// Static batching.
    Static,
    /// Continuous batching, contiguous KV reservations.
    Contiguous,
    /// Continuous batching, paged KV.
    Paged,
}

impl Scheduler {
    /// In report order.
    pub const ALL: [Scheduler; 3] = [Scheduler::Static, Scheduler::Contiguous, Scheduler::Paged];

    /// `"static"`, `"contiguous"`, `"paged"`.
    pub fn id(self) -> &'static str {
        match self {
            Scheduler::Static => "static",
            Scheduler::Contiguous => "contiguous",
            Scheduler::Paged => "paged",
        }
    }

    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Scheduler::Static => "Static batching",
            Scheduler::Contiguous => "Continuous, contiguous KV",
            Scheduler::Paged => "Continuous, paged KV",
        }
    }
}

impl fmt::Display for Scheduler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}
