//! Why each setup lands where it does, and the out-of-reach answer when none meets the
//! targets.

use super::search::Reach;
use super::{Budget, Candidate, Limit, OutOfReach, StepBound, Target, Targets};

fn sig(x: f64) -> String {
    crate::format::sig(x, 3)
}

fn tps(x: f64) -> String {
    crate::format::tokens_per_second(x)
}

/// The part of the step its bound names, seconds.
fn bound_part(c: &Candidate) -> f64 {
    match c.step_bound {
        StepBound::Bandwidth => c.memory_seconds,
        StepBound::Compute => c.compute_seconds,
        StepBound::Communication => c.comm_seconds,
        StepBound::Overhead => c.latency_seconds,
        StepBound::PipelineBubble => c.bubble_seconds,
    }
}

/// What stops the batch, in a sentence.
fn limit_sentence(c: &Candidate, targets: &Targets) -> String {
    match c.limit {
        Limit::MemoryCapacity => format!(
            "Batch {} fills the memory: {} of {} usable (weights, and KV at {} tokens each).",
            c.setup.batch,
            crate::format::bytes(c.memory_used_bytes),
            crate::format::bytes(c.memory_usable_bytes),
            crate::format::integer(
                targets.input_tokens as f64 + targets.output_tokens as f64 / 2.0
            )
        ),
        Limit::LatencyTarget => format!(
            "Batch {} is the most that keeps each user at {} or more (step {} ≤ {}).",
            c.setup.batch,
            tps(targets.min_user_tokens_per_second),
            crate::format::seconds(c.step_seconds),
            crate::format::seconds(1.0 / targets.min_user_tokens_per_second)
        ),
        Limit::BatchCap => format!(
            "Batch {} is the scheduler's cap; memory and speed would allow more.",
            c.setup.batch
        ),
    }
}

/// What speculative decoding buys a candidate, in a sentence.
fn speculation_sentence(u: &super::SpeculationUse, sp: &crate::scenario::Speculative) -> String {
    let secs = crate::format::seconds;
    format!(
        " Speculative decoding ({}, k = {}, acceptance {}): τ = {} tokens per round; the verify \
         step and {} draft step{} ({}) take {}, so {} per token against a plain step of {} \
         at this batch, {}× faster.",
        sp.method.name(),
        sp.draft_tokens,
        sig(sp.acceptance_rate),
        sig(u.tokens_per_step),
        sp.draft_tokens,
        if sp.draft_tokens == 1 { "" } else { "s" },
        u.draft_name,
        secs(u.round_seconds),
        secs(u.round_seconds / u.tokens_per_step),
        secs(u.plain_step_seconds),
        sig(u.speedup)
    )
}

/// Fills each candidate's `why`.
pub(super) fn explain_ranked(v: &mut [Candidate], targets: &Targets) {
    let Some(first) = v.first().cloned() else {
        return;
    };
    for (i, c) in v.iter_mut().enumerate() {
        let limit = limit_sentence(c, targets);
        let share = |x: f64| format!("{}%", sig(100.0 * x / c.step_seconds));
        let step = format!(
            " The step is {}-bound ({} of it).",
            c.step_bound.name(),
            share(bound_part(c))
        );
        let rank = if i == 0 {
            format!(
                " Cheapest: ${}/h serving {}.",
                sig(c.cost_per_hour),
                tps(c.tokens_per_second)
            )
        } else {
            format!(
                " {}× the cost of #1: ${}/h for {} against ${}/h for {}.",
                sig(c.cost_per_million_output_tokens / first.cost_per_million_output_tokens),
                sig(c.cost_per_hour),
                tps(c.tokens_per_second),
                sig(first.cost_per_hour),
                tps(first.tokens_per_second)
            )
        };
        let spec = c
            .speculation
            .as_ref()
            .zip(c.setup.speculative.as_ref())
            .map_or(String::new(), |(u, sp)| speculation_sentence(u, sp));
        c.why = format!("{limit}{step}{spec}{rank}");
    }
}

/// The answer when nothing meets every target: memory, the budget (with the cheapest setup
/// over it), or the speed targets (with the closest setup).
pub(super) fn out_of_reach(
    targets: &Targets,
    reach: Reach,
    over_budget: Vec<Candidate>,
) -> OutOfReach {
    if !reach.fits {
        return OutOfReach {
            targets: vec![Target::Memory],
            message: "Out of reach: memory. The model does not fit on any allowed chip at any \
                      count searched (up to 64), even with one request."
                .into(),
            closest: None,
        };
    }
    match over_budget.into_iter().next() {
        Some(cheapest) => budget_out_of_reach(targets, cheapest),
        None => speed_out_of_reach(targets, reach),
    }
}

/// Out of reach on the budget alone: `cheapest` meets the speed targets but costs more.
fn budget_out_of_reach(targets: &Targets, mut cheapest: Candidate) -> OutOfReach {
    explain_ranked(std::slice::from_mut(&mut cheapest), targets);
    cheapest.binding = "budget (out of reach)".into();
    let budget = match targets.budget {
        Some(Budget::PerMillionOutputTokens(v)) => format!("${} per 1M output tokens", sig(v)),
        Some(Budget::PerHour(v)) => format!("${} per hour", sig(v)),
        None => String::new(),
    };
    OutOfReach {
        targets: vec![Target::Budget],
        message: format!(
            "Out of reach: the budget of {budget}. The cheapest setup meeting the speed \
             targets, {}, costs ${} per 1M output tokens (${}/h).",
            cheapest.setup.label(),
            sig(cheapest.cost_per_million_output_tokens),
            sig(cheapest.cost_per_hour)
        ),
        closest: Some(cheapest),
    }
}

/// Out of reach on the per-user speed, the time to first token, or both together.
fn speed_out_of_reach(targets: &Targets, reach: Reach) -> OutOfReach {
    let (speed_ok, ttft_ok) = (reach.speed_ok, reach.ttft_ok);
    let mut out = Vec::new();
    if !speed_ok {
        out.push(Target::UserSpeed);
    }
    if !ttft_ok {
        out.push(Target::Ttft);
    }
    if out.is_empty() {
        out = vec![Target::UserSpeed, Target::Ttft];
    }
    let names: Vec<&str> = out.iter().map(|t| t.name()).collect();
    let what = what_is_missing(targets, &reach);
    let closest = reach.closest.map(|(_, _, mut c)| {
        c.binding = format!("{} (out of reach)", names.join(" and "));
        c.why = fastest_why(&c);
        c
    });
    let closer = match &closest {
        Some(c) => format!(
            " Closest: {} reaches {} per user with a first token in {} (${} per 1M output tokens).",
            c.setup.label(),
            tps(c.user_tokens_per_second),
            crate::format::seconds(c.ttft_seconds),
            sig(c.cost_per_million_output_tokens)
        ),
        None => String::new(),
    };
    OutOfReach {
        targets: out,
        message: format!("Out of reach: {what}.{closer}"),
        closest,
    }
}

/// The fastest a setup goes, in a sentence (the closest setup's `why`).
fn fastest_why(c: &Candidate) -> String {
    format!(
        "The fastest this setup goes: batch {}, a step of {} ({}-bound, {}% of it), so {} \
         per user; first token in {}.",
        c.setup.batch,
        crate::format::seconds(c.step_seconds),
        c.step_bound.name(),
        sig(100.0 * bound_part(c) / c.step_seconds),
        tps(c.user_tokens_per_second),
        crate::format::seconds(c.ttft_seconds)
    )
}

/// The speed targets nobody meets and the best any setup reaches.
fn what_is_missing(targets: &Targets, reach: &Reach) -> String {
    let speed = targets.min_user_tokens_per_second;
    let ttft = targets.max_ttft_seconds;
    let (best_speed, best_ttft) = (reach.best_speed, reach.best_ttft);
    match (reach.speed_ok, reach.ttft_ok) {
        (false, false) => format!(
            "{} per user and a time to first token of {}. No setup goes above {} per user or below {} to the first token",
            tps(speed),
            crate::format::seconds(ttft),
            tps(best_speed),
            crate::format::seconds(best_ttft)
        ),
        (false, true) => format!(
            "{} per user. No setup goes above {} per user",
            tps(speed),
            tps(best_speed)
        ),
        (true, false) => format!(
            "a time to first token of {}. No setup gets below {}",
            crate::format::seconds(ttft),
            crate::format::seconds(best_ttft)
        ),
        (true, true) => format!(
            "{} per user together with a time to first token of {}. Each is met by some setup, but not both by the same one",
            tps(speed),
            crate::format::seconds(ttft)
        ),
    }
}
