//! The search over chips × counts × precisions × layouts × microbatches, and the ranking.

use super::batch::explore;
use super::config::{configs, Config, Step};
use super::why::{explain_ranked, out_of_reach};
use super::{preset_chips, Budget, Candidate, Chip, Limit, Plan, SearchSpace, Targets};
use crate::model::shape;
use crate::scenario::{HardwareSpec, Parallelism, Scenario, ScenarioError};
use std::collections::BTreeMap;

/// (chip index, chips, expert parallel, tensor, pipeline): one ranked row each.
type KindKey = (usize, u32, bool, u32, u32);

/// Plans over the hardware presets with the default search space.
pub fn plan_presets(base: &Scenario, targets: &Targets) -> Result<Plan, ScenarioError> {
    plan(base, targets, &preset_chips(), &SearchSpace::default())
}

/// Searches `chips` for the cheapest setups of `base.model` meeting `targets`, with the
/// efficiency settings of `base` (see the module documentation).
pub fn plan(
    base: &Scenario,
    targets: &Targets,
    chips: &[Chip],
    space: &SearchSpace,
) -> Result<Plan, ScenarioError> {
    if let Some((field, problem)) = targets.problems().into_iter().next() {
        return Err(ScenarioError::new(format!("targets.{field}"), problem));
    }
    let base = planning_base(base, targets)?;
    let sh = shape(&base);
    let allowed = |c: &Chip| match &targets.chips {
        None => true,
        Some(ids) => ids.iter().any(|i| i == &c.id),
    };
    let mut search = Search::new(targets);
    for (chip_index, chip) in chips.iter().enumerate().filter(|(_, c)| allowed(c)) {
        for c in configs(&base, &sh, chip, space, &mut search.evals) {
            search.setups += 1;
            let o = explore(&c, targets, &mut search.evals);
            if let Some(f) = o.fastest {
                search.note_fastest(&c, f);
            }
            if let Some(best) = o.best {
                search.note_best(chip_index, &c, best);
            }
        }
    }
    Ok(search.finish(&base))
}

/// The scenario every setup starts from: the targets' lengths, one request, one chip,
/// tensor parallel for a dense model; its model and efficiency validated (the hardware is
/// replaced per chip).
fn planning_base(base: &Scenario, targets: &Targets) -> Result<Scenario, ScenarioError> {
    let mut base = base.clone();
    base.workload.input_tokens = targets.input_tokens;
    base.workload.output_tokens = targets.output_tokens;
    base.workload.context_length = None;
    base.workload.batch_size = 1;
    base.chips = 1;
    if base.model.moe.is_none() {
        base.parallelism = Parallelism::Tensor;
    }
    let mut check = base.clone();
    check.hardware = HardwareSpec::default();
    check.precision = Default::default();
    check.validate()?;
    Ok(base)
}

/// The search so far: the cheapest setup per (chip, count, layout), the cheapest over the
/// budget, and what the fastest batches reach.
struct Search<'t> {
    targets: &'t Targets,
    /// Setups considered.
    setups: usize,
    /// Decode steps and prefills evaluated.
    evals: usize,
    /// (cost per million output tokens, batch, candidate) per kind, within the budget.
    feasible: BTreeMap<KindKey, (f64, u64, Candidate)>,
    /// The cheapest meeting the speed targets but over the budget.
    over_budget: Option<(f64, u64, Candidate)>,
    reach: Reach,
}

impl<'t> Search<'t> {
    fn new(targets: &'t Targets) -> Self {
        Search {
            targets,
            setups: 0,
            evals: 0,
            feasible: BTreeMap::new(),
            over_budget: None,
            reach: Reach {
                fits: false,
                speed_ok: false,
                ttft_ok: false,
                best_speed: 0.0,
                best_ttft: f64::INFINITY,
                closest: None,
            },
        }
    }

    /// Records what `c` reaches at its smallest batch, step `f`.
    fn note_fastest(&mut self, c: &Config<'_>, f: Step) {
        let speed = self.targets.min_user_tokens_per_second;
        let max_ttft = self.targets.max_ttft_seconds;
        let reach = &mut self.reach;
        let user = 1.0 / f.seconds;
        reach.fits = true;
        reach.speed_ok |= user >= speed;
        reach.ttft_ok |= c.ttft <= max_ttft;
        reach.best_speed = reach.best_speed.max(user);
        reach.best_ttft = reach.best_ttft.min(c.ttft);
        // Closest: the smallest worst shortfall over the two speed targets, then the
        // cheapest; built only when it improves.
        let short = (speed / user).max(c.ttft / max_ttft).max(1.0);
        let unit = c.batch_of(1);
        let cost = c.chips as f64 * c.chip.spec.price_per_hour * f.seconds / unit as f64;
        let better = match &reach.closest {
            None => true,
            Some((s0, c0, _)) => short < *s0 || (short == *s0 && cost < *c0),
        };
        if better {
            let cand = c.candidate(unit, f, c.ttft, Limit::LatencyTarget);
            reach.closest = Some((short, cost, cand));
        }
    }

    /// Keeps `c` at its best batch when it beats the best of its kind (within the budget) or
    /// the cheapest over the budget; candidates are built only then.
    fn note_best(&mut self, chip_index: usize, c: &Config<'_>, best: (u64, Step, Limit)) {
        let (batch, step, limit) = best;
        let per_hour = c.chips as f64 * c.chip.spec.price_per_hour;
        let cost = per_hour / 3600.0 * step.seconds / batch as f64 * 1e6;
        let in_budget = match self.targets.budget {
            None => true,
            Some(Budget::PerMillionOutputTokens(v)) => cost <= v,
            Some(Budget::PerHour(v)) => per_hour <= v,
        };
        let beats = |old: Option<&(f64, u64, Candidate)>| match old {
            None => true,
            Some((c0, b0, _)) => cost < *c0 || (cost == *c0 && batch > *b0),
        };
        if in_budget {
            let key = (
                chip_index,
                c.chips,
                c.layout.parallelism == Parallelism::Expert,
                c.layout.tensor,
                c.layout.pipeline,
            );
            if beats(self.feasible.get(&key)) {
                let cand = c.candidate(batch, step, c.ttft, limit);
                self.feasible.insert(key, (cost, batch, cand));
            }
        } else if beats(self.over_budget.as_ref()) {
            let cand = c.candidate(batch, step, c.ttft, limit);
            self.over_budget = Some((cost, batch, cand));
        }
    }

    /// The plan: the feasible setups ranked and explained, or the out-of-reach answer.
    fn finish(self, base: &Scenario) -> Plan {
        let targets = self.targets;
        let ranked = rank(self.feasible.into_values().map(|(_, _, c)| c).collect());
        let out_of_reach = if ranked.is_empty() {
            Some(out_of_reach(
                targets,
                self.reach,
                self.over_budget.map(|(_, _, c)| c).into_iter().collect(),
            ))
        } else {
            None
        };
        let mut ranked = ranked;
        explain_ranked(&mut ranked, targets);
        Plan {
            model: base.model.name.clone(),
            targets: targets.clone(),
            ranked,
            setups: self.setups,
            evaluations: self.evals,
            out_of_reach,
        }
    }
}

/// Cheapest first, then fewer chips, then the larger batch.
fn rank(mut v: Vec<Candidate>) -> Vec<Candidate> {
    v.sort_by(|a, b| {
        a.cost_per_million_output_tokens
            .total_cmp(&b.cost_per_million_output_tokens)
            .then(a.setup.chips.cmp(&b.setup.chips))
            .then(b.setup.batch.cmp(&a.setup.batch))
    });
    v
}

/// What the fastest batch of every setup that fits reaches (for the out-of-reach answer).
pub(super) struct Reach {
    /// Some setup fits one request.
    pub(super) fits: bool,
    /// Some setup reaches the per-user speed.
    pub(super) speed_ok: bool,
    /// Some setup reaches the TTFT.
    pub(super) ttft_ok: bool,
    /// Highest tokens per second per user any setup reaches.
    pub(super) best_speed: f64,
    /// Shortest time to first token any setup reaches, seconds.
    pub(super) best_ttft: f64,
    /// (worst shortfall ratio, cost rate, candidate at its smallest batch).
    pub(super) closest: Option<(f64, f64, Candidate)>,
}
