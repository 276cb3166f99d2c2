//! What the planner shows: the last search and the lines describing it.

use crate::format as f;
use crate::planner::{Plan, Setup, Targets};
use crate::scenario::{Efficiency, ModelSpec};

/// What the last search returned.
#[derive(Clone, Debug, PartialEq)]
pub struct Searched {
    /// The answer (it holds the targets searched for).
    pub plan: Plan,
    /// How long the search took, milliseconds.
    pub ms: f64,
    /// The model's Hugging Face repository (for the launch commands).
    pub repo: String,
    /// The model searched for.
    pub model: ModelSpec,
    /// The efficiency settings searched with.
    pub efficiency: Efficiency,
}

impl Searched {
    /// Whether this search already answers these targets, model and efficiency.
    pub fn answers(&self, t: &Targets, m: &ModelSpec, e: &Efficiency) -> bool {
        self.plan.targets == *t && self.model == *m && self.efficiency == *e
    }

    /// "Model: Llama 3.1 70B (meta-llama/Llama-3.1-70B-Instruct)".
    pub fn model_line(&self) -> String {
        format!("Model: {} ({})", self.plan.model, self.repo)
    }
}

/// The status line: what is wrong with the targets, what the last search did, or what to do.
pub fn status_line(
    targets: Result<(), &str>,
    searched: Option<&Searched>,
    running: bool,
) -> String {
    if let Err(e) = targets {
        return format!("Fix the targets: {e}");
    }
    match searched {
        Some(s) => format!(
            "Searched {} setups ({} evaluations) in {} ms{}",
            f::integer(s.plan.setups as f64),
            f::integer(s.plan.evaluations as f64),
            f::sig(s.ms, 3),
            if running { "; searching again…" } else { "" }
        ),
        None if running => "Searching…".into(),
        None => "Press Find setups, or edit a target, to search.".into(),
    }
}

/// The note after loading a setup into the calculator, saying where their numbers differ.
pub fn loaded_note(s: &Setup) -> String {
    let differs = if s.pipeline > 1 {
        " The calculator has no pipeline stages: it models these chips as one tensor-parallel group, so its numbers differ from the planner's."
    } else if s.servers() > 1 {
        " It spans several servers: the calculator runs every collective over the scale-up link, where the planner used the slower scale-out link, so the calculator's communication time is lower."
    } else {
        " The calculator's numbers are the planner's."
    };
    format!("Loaded into the calculator: {}.{differs}", s.label())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines() {
        assert_eq!(
            status_line(Err("Allow at least one chip"), None, true),
            "Fix the targets: Allow at least one chip"
        );
        assert_eq!(status_line(Ok(()), None, true), "Searching…");
        assert_eq!(
            status_line(Ok(()), None, false),
            "Press Find setups, or edit a target, to search."
        );
    }
}
