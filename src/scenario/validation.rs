//! Validation: every problem with a scenario, section by section, each bound read from the
//! field's one declaration in [`super::fields`].

use super::fields::{self, Field, Rule};
use super::{
    Attention, DraftModel, Efficiency, EnergyCosts, HardwareSpec, ModelSpec, Parallelism, Scenario,
    ScenarioError, Speculative, SpeculativeMethod, Workload, FORMAT_VERSION,
};

/// The problems found so far, in field order.
struct Problems(Vec<ScenarioError>);

impl Problems {
    fn err(&mut self, field: &str, problem: String) {
        self.0.push(ScenarioError::new(field, problem));
    }

    /// A whole number checked against its field's rule (`Count` fields are checked by
    /// their relations instead).
    fn int(&mut self, f: &Field, v: u64) {
        match f.rule {
            Rule::AtLeastOne => {
                let max = f.max as u64;
                if v == 0 {
                    self.err(f.path, "must be at least 1, got 0".into());
                } else if v > max {
                    self.err(f.path, format!("is absurdly large ({v}); at most {max}"));
                }
            }
            _ => self.real(f, v as f64),
        }
    }

    /// A real number checked against its field's rule.
    fn real(&mut self, f: &Field, v: f64) {
        let max = f.max;
        match f.rule {
            Rule::Free | Rule::Count => {}
            Rule::AtLeastOne | Rule::AboveZero | Rule::NonNegative => {
                let zero_ok = f.rule == Rule::NonNegative;
                if !v.is_finite() {
                    self.err(f.path, format!("must be a finite number, got {v}"));
                } else if zero_ok && v < 0.0 {
                    self.err(f.path, format!("must not be negative, got {v}"));
                } else if !zero_ok && v <= 0.0 {
                    self.err(f.path, format!("must be above 0, got {v}"));
                } else if v > max {
                    self.err(
                        f.path,
                        format!("is absurdly large ({v:e}); at most {max:e}"),
                    );
                }
            }
            Rule::Fraction => {
                if !(v.is_finite() && v > 0.0 && v <= max) {
                    self.err(f.path, format!("must be a fraction in (0, 1], got {v}"));
                }
            }
        }
    }

    /// A count that must not exceed the model's layers.
    fn at_most_layers(&mut self, f: &Field, v: u32, layers: u32) {
        if v > layers {
            self.err(
                f.path,
                format!("must not exceed layers ({layers}), got {v}"),
            );
        }
    }
}

impl Scenario {
    /// Every problem with this scenario, in field order (empty when valid).
    pub fn problems(&self) -> Vec<ScenarioError> {
        let mut p = Problems(Vec::new());
        if self.version != FORMAT_VERSION {
            p.err(
                "version",
                format!(
                    "unsupported format version {} (this app reads version {FORMAT_VERSION})",
                    self.version
                ),
            );
        }
        model(&mut p, &self.model);
        hardware(&mut p, &self.hardware);
        setup(&mut p, self);
        workload(&mut p, &self.workload);
        efficiency(&mut p, &self.efficiency);
        energy(&mut p, &self.energy);
        if let Some(spec) = &self.speculative {
            speculative(&mut p, spec);
        }
        disaggregation(&mut p, self);
        p.0
    }
}

/// The model's shape: sizes, attention, window, experts, parameter counts.
fn model(p: &mut Problems, m: &ModelSpec) {
    p.int(&fields::LAYERS, m.layers as u64);
    p.int(&fields::HIDDEN, m.hidden_size);
    p.int(&fields::FFN, m.intermediate_size);
    p.int(&fields::HEADS, m.attention_heads as u64);
    p.int(&fields::KV_HEADS, m.kv_heads as u64);
    p.int(&fields::HEAD_DIM, m.head_dim);
    p.int(&fields::VOCAB, m.vocab_size);
    if m.kv_heads > m.attention_heads && m.attention_heads > 0 {
        p.err(
            fields::KV_HEADS.path,
            format!(
                "must not exceed attention_heads ({}), got {}",
                m.attention_heads, m.kv_heads
            ),
        );
    }
    attention(p, m);
    window(p, m);
    layer_kinds(p, m);
    moe(p, m);
    params(p, m);
}

/// MLA needs its latent rank and rope dimension.
fn attention(p: &mut Problems, m: &ModelSpec) {
    if m.attention == Attention::Mla {
        for (f, v) in [
            (&fields::KV_RANK, m.kv_lora_rank),
            (&fields::ROPE_DIM, m.qk_rope_head_dim),
        ] {
            match v {
                None => p.err(f.path, "is required for MLA attention".into()),
                Some(r) => p.int(f, r),
            }
        }
    }
    if let Some(r) = m.q_lora_rank {
        p.int(&fields::Q_RANK, r);
    }
}

/// The sliding window and the layers that use it.
fn window(p: &mut Problems, m: &ModelSpec) {
    if let Some(w) = m.sliding_window {
        p.int(&fields::WINDOW, w);
    }
    p.at_most_layers(&fields::WINDOW_LAYERS, m.sliding_window_layers, m.layers);
    if m.sliding_window_layers > 0 && m.sliding_window.is_none() {
        p.err(
            fields::WINDOW.path,
            "is required when sliding_window_layers is above 0".into(),
        );
    }
}

/// The linear-attention layers and their state's shape, and sparse attention's indexer.
fn layer_kinds(p: &mut Problems, m: &ModelSpec) {
    let k = &m.layer_kinds;
    let others = m.sliding_window_layers.min(m.layers);
    if k.linear_attention_layers > m.layers - others {
        p.err(
            fields::LINEAR_LAYERS.path,
            format!(
                "must not exceed layers − sliding_window_layers ({} − {others}), got {}",
                m.layers, k.linear_attention_layers
            ),
        );
    }
    let shape = [
        (&fields::LINEAR_KEY_HEADS, k.linear_key_heads.map(u64::from)),
        (
            &fields::LINEAR_VALUE_HEADS,
            k.linear_value_heads.map(u64::from),
        ),
        (&fields::LINEAR_KEY_DIM, k.linear_key_head_dim),
        (&fields::LINEAR_VALUE_DIM, k.linear_value_head_dim),
    ];
    for (f, v) in shape {
        match v {
            None if k.linear_attention_layers > 0 => p.err(
                f.path,
                "is required when linear_attention_layers is above 0".into(),
            ),
            None => {}
            Some(v) => p.int(f, v),
        }
    }
    if let Some(c) = k.linear_conv_kernel {
        p.int(&fields::LINEAR_CONV, c);
    }
    if let Some(top) = k.sparse_top_k {
        p.int(&fields::SPARSE_TOP_K, top);
    }
    for (f, v) in [
        (&fields::INDEXER_HEADS, k.indexer_heads.map(u64::from)),
        (&fields::INDEXER_DIM, k.indexer_head_dim),
    ] {
        match v {
            None if k.sparse_top_k.is_some() => {
                p.err(f.path, "is required when sparse_top_k is given".into())
            }
            None => {}
            Some(v) => p.int(f, v),
        }
    }
}

/// The MoE shape, when there is one.
fn moe(p: &mut Problems, m: &ModelSpec) {
    let Some(moe) = &m.moe else {
        return;
    };
    p.int(&fields::EXPERTS, moe.experts as u64);
    p.int(&fields::TOP_K, moe.experts_per_token as u64);
    p.int(&fields::EXPERT_FFN, moe.expert_intermediate_size);
    if moe.experts_per_token > moe.experts {
        p.err(
            fields::TOP_K.path,
            format!(
                "must not exceed experts ({}), got {}",
                moe.experts, moe.experts_per_token
            ),
        );
    }
    p.at_most_layers(&fields::DENSE_LAYERS, moe.dense_layers, m.layers);
}

/// Published parameter counts, when given.
fn params(p: &mut Problems, m: &ModelSpec) {
    for (f, v) in [
        (&fields::TOTAL_PARAMS, m.total_params),
        (&fields::ACTIVE_PARAMS, m.active_params),
    ] {
        if let Some(v) = v {
            p.real(f, v);
        }
    }
    if let (Some(t), Some(a)) = (m.total_params, m.active_params) {
        if a > t * 1.000001 && a.is_finite() && t.is_finite() {
            p.err(
                fields::ACTIVE_PARAMS.path,
                format!("must not exceed total_params ({t:e}), got {a:e}"),
            );
        }
    }
}

/// The chip.
fn hardware(p: &mut Problems, h: &HardwareSpec) {
    if h.peak_flops.is_empty() {
        p.err(
            "hardware.peak_flops",
            "needs at least one precision's peak FLOP/s".into(),
        );
    }
    for (precision, v) in &h.peak_flops {
        p.real(fields::peak_flops(*precision), *v);
    }
    p.real(&fields::BANDWIDTH, h.memory_bandwidth);
    p.real(&fields::CAPACITY, h.memory_capacity);
    p.real(&fields::LINK_BANDWIDTH, h.interconnect_bandwidth);
    p.real(&fields::PRICE, h.price_per_hour);
    p.real(&fields::POWER, h.power);
    p.int(&fields::TILE, h.tile_size as u64);
    p.int(&fields::SMS, h.streaming_multiprocessors as u64);
    p.int(&fields::SCALE_UP_DOMAIN, h.scale_up_domain as u64);
    p.real(&fields::SCALE_OUT_BANDWIDTH, h.scale_out_bandwidth);
    p.real(&fields::HOST_MEMORY, h.host_memory_capacity);
    p.real(&fields::HOST_LINK_BANDWIDTH, h.host_link_bandwidth);
}

/// What ties the parts together: the compute precision the chip must have, chips, and
/// expert parallelism (MoE only).
fn setup(p: &mut Problems, s: &Scenario) {
    let h = &s.hardware;
    if !h.peak_flops.is_empty() && !h.peak_flops.contains_key(&s.precision.compute) {
        p.err(
            fields::COMPUTE_PRECISION.path,
            format!(
                "{} has no {} peak FLOP/s; add it to hardware.peak_flops or choose another",
                h.name, s.precision.compute
            ),
        );
    }
    p.int(&fields::CHIPS, s.chips as u64);
    if s.parallelism == Parallelism::Expert && s.model.moe.is_none() {
        p.err(
            fields::PARALLELISM.path,
            "expert parallelism needs an MoE model (model.moe is null)".into(),
        );
    }
}

/// The requests.
fn workload(p: &mut Problems, w: &Workload) {
    p.int(&fields::BATCH, w.batch_size);
    p.int(&fields::INPUT, w.input_tokens);
    p.int(&fields::OUTPUT, w.output_tokens);
    if let Some(c) = w.context_length {
        p.int(&fields::CONTEXT, c);
    }
    p.int(&fields::CACHED_INPUT, w.cached_input_tokens);
    if w.cached_input_tokens > w.input_tokens {
        p.err(
            fields::CACHED_INPUT.path,
            format!(
                "must not exceed input_tokens ({}), got {}",
                w.input_tokens, w.cached_input_tokens
            ),
        );
    }
}

/// Speculative decoding: k, the acceptance rate, and the draft model its method needs.
fn speculative(p: &mut Problems, s: &Speculative) {
    p.int(&fields::SPEC_TOKENS, s.draft_tokens as u64);
    p.real(&fields::SPEC_ACCEPTANCE, s.acceptance_rate);
    let path = fields::SPEC_DRAFT.path;
    match (s.method, &s.draft_model) {
        (SpeculativeMethod::Mtp, None) => {}
        (SpeculativeMethod::Mtp, Some(_)) => p.err(
            path,
            "is only for method draft (mtp uses the model's own prediction heads)".into(),
        ),
        (SpeculativeMethod::Draft, None) => p.err(
            path,
            "is required for method draft: a model preset id or a shape".into(),
        ),
        (SpeculativeMethod::Draft, Some(DraftModel::Preset(id))) => {
            if crate::catalogue::presets::model_preset(id.trim()).is_none() {
                p.err(
                    path,
                    format!(
                        "unknown model preset {id:?}; use an id from `roofline presets` or a shape"
                    ),
                );
            }
        }
        (SpeculativeMethod::Draft, Some(DraftModel::Shape(shape))) => {
            // The shape's problems, named under the draft model's path.
            let mut inner = Problems(Vec::new());
            model(&mut inner, &shape.model());
            for e in inner.0 {
                let rest = e.field.strip_prefix("model.").unwrap_or(&e.field);
                p.err(&format!("{path}.{rest}"), e.problem);
            }
        }
    }
}

/// Efficiencies and overheads.
fn efficiency(p: &mut Problems, e: &Efficiency) {
    p.real(&fields::EFF_COMPUTE, e.compute);
    p.real(&fields::EFF_BANDWIDTH, e.bandwidth);
    p.real(&fields::STEP_OVERHEAD, e.step_overhead_seconds);
    p.real(&fields::COLLECTIVE_LATENCY, e.collective_latency_seconds);
    for (f, v) in [
        (&fields::EFF_PREFILL, e.prefill_compute),
        (&fields::EFF_ATTENTION, e.attention_compute),
        (&fields::EFF_EXPERT, e.expert_compute),
        (&fields::EFF_ALL_TO_ALL, e.all_to_all),
        (&fields::EXPERT_IMBALANCE, e.expert_imbalance),
    ] {
        if let Some(v) = v {
            p.real(f, v);
        }
    }
    if let Some(x) = e.expert_imbalance {
        if x.is_finite() && x < 1.0 {
            p.err(
                fields::EXPERT_IMBALANCE.path,
                format!("must be at least 1 (the busiest chip carries at least the mean), not {x}"),
            );
        }
    }
    p.int(&fields::TOKEN_TILE, e.token_tile as u64);
    p.real(&fields::COMM_OVERLAP, e.comm_overlap);
    p.real(&fields::SCALE_OUT_LATENCY, e.scale_out_latency_seconds);
    p.real(&fields::REQUEST_OVERHEAD, e.request_overhead_seconds);
    p.real(&fields::SEQUENCE_LAYER, e.sequence_layer_seconds);
}

/// Energy costs.
fn energy(p: &mut Problems, e: &EnergyCosts) {
    p.real(&fields::JOULES_PER_BYTE, e.joules_per_byte);
    p.real(&fields::JOULES_PER_FLOP, e.joules_per_flop);
}

/// The disaggregated setup: each number within its field's bounds; when switched on, each
/// pool's chip a known preset with the compute precision, and expert parallelism only for an
/// MoE model.
fn disaggregation(p: &mut Problems, s: &Scenario) {
    let d = &s.disaggregation;
    for (pool, f_n, f_chips, f_hw, f_par) in [
        (
            &d.prefill,
            &fields::PD_PREFILL_INSTANCES,
            &fields::PD_PREFILL_CHIPS,
            &fields::PD_PREFILL_HARDWARE,
            &fields::PD_PREFILL_PARALLELISM,
        ),
        (
            &d.decode,
            &fields::PD_DECODE_INSTANCES,
            &fields::PD_DECODE_CHIPS,
            &fields::PD_DECODE_HARDWARE,
            &fields::PD_DECODE_PARALLELISM,
        ),
    ] {
        p.int(f_n, pool.instances as u64);
        if let Some(c) = pool.chips {
            p.int(f_chips, c as u64);
        }
        let chip = match &pool.hardware {
            None => Some(&s.hardware),
            Some(id) => match crate::catalogue::presets::hardware_preset(id.trim()) {
                Some(h) => Some(&h.spec),
                None => {
                    p.err(
                        f_hw.path,
                        format!(
                            "unknown hardware preset {:?}; give a preset id (h100-sxm, h200-sxm, …) or none for the setup's chip",
                            crate::format::truncate(id, 40)
                        ),
                    );
                    None
                }
            },
        };
        if !d.enabled {
            continue;
        }
        if let Some(h) = chip {
            if !h.peak_flops.contains_key(&s.precision.compute) {
                p.err(
                    f_hw.path,
                    format!(
                        "{} has no {} peak FLOP/s; choose another chip or compute precision",
                        h.name, s.precision.compute
                    ),
                );
            }
        }
        if pool.parallelism.unwrap_or(s.parallelism) == Parallelism::Expert && s.model.moe.is_none()
        {
            p.err(
                f_par.path,
                "expert parallelism needs an MoE model (model.moe is null)".into(),
            );
        }
    }
    if let Some(bw) = d.link_bandwidth {
        p.real(&fields::PD_LINK_BANDWIDTH, bw);
    }
    p.real(&fields::PD_LINK_LATENCY, d.link_latency_seconds);
    if let Some(r) = d.arrival_rate {
        p.real(&fields::PD_ARRIVAL_RATE, r);
    }
}
