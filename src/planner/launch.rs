//! Launch commands for a planned setup: vLLM and SGLang on GPUs.
//!
//! The flags are those of vLLM 0.10 and SGLang 0.4/0.5; both projects rename and add flags
//! between versions, which the notes say. Speculative decoding: vLLM's
//! `--speculative-config` JSON (`method` `deepseek_mtp` for DeepSeek's MTP head, or a draft
//! `model`, with `num_speculative_tokens` k), SGLang's `--speculative-algorithm` (EAGLE for
//! an MTP head, which SGLang also calls NEXTN; STANDALONE for a separate draft model, SGLang
//! 0.5) with `--speculative-num-steps` k, `--speculative-eagle-topk 1` (a chain, as the
//! planner models) and `--speculative-num-draft-tokens` k + 1. TPUs get no GPU command (a note about vLLM's TPU
//! backend instead).

use super::{ChipKind, Setup};
use crate::catalogue::presets::model_preset;
use crate::catalogue::presets::model_presets;
use crate::scenario::{
    DraftModel, ModelSpec, Parallelism, Precision, Speculative, SpeculativeMethod,
};
use serde::Serialize;

/// The note every command carries.
pub const VERSION_NOTE: &str = "Flags as of vLLM 0.10 and SGLang 0.4/0.5; they change between versions: check `vllm serve --help` and `python -m sglang.launch_server --help`.";

/// Ready-to-run commands and what to know about them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Launch {
    /// `vllm serve …`, for GPU setups.
    pub vllm: Option<String>,
    /// `python -m sglang.launch_server …`, for GPU setups.
    pub sglang: Option<String>,
    /// Caveats: versions, multi-server launches, checkpoints, TPUs.
    pub notes: Vec<String>,
}

/// The Hugging Face repository of a model: the preset with the same spec, else the same
/// name, else a placeholder `<hf-repo>`.
pub fn hf_repo(model: &ModelSpec) -> String {
    let presets = model_presets();
    presets
        .iter()
        .find(|p| p.spec == *model)
        .or_else(|| presets.iter().find(|p| p.spec.name == model.name))
        .map(|p| p.hf_repo.clone())
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| "<hf-repo>".into())
}

/// vLLM and SGLang commands for `setup` serving the model at `repo`.
pub fn commands(setup: &Setup, repo: &str) -> Launch {
    let mut notes = vec![VERSION_NOTE.to_string()];
    if setup.chip_kind == ChipKind::Tpu {
        notes.push(format!(
            "{} is a TPU: the vLLM and SGLang GPU commands do not apply. vLLM's TPU backend \
             takes `vllm serve {repo} --tensor-parallel-size {} --max-num-seqs {} \
             --max-model-len {}`; check its documentation for the model and quantization.",
            setup.chip_name, setup.chips, setup.batch, setup.max_model_len
        ));
        return Launch {
            vllm: None,
            sglang: None,
            notes,
        };
    }
    let quant = match setup.weights {
        Precision::Fp8 => Some("fp8"),
        _ => None,
    };
    if matches!(setup.weights, Precision::Fp4) {
        notes.push(
            "fp4 weights: serve a pre-quantized FP4 checkpoint (NVFP4 or MXFP4); both servers \
             read its quantization from the checkpoint, so no --quantization flag."
                .into(),
        );
    }
    let fp8_kv = setup.kv_cache == Precision::Fp8;
    let servers = setup.servers();
    let mut v = vllm_command(setup, repo, quant, fp8_kv);
    let mut g = sglang_command(setup, repo, quant, fp8_kv);
    if let Some(sp) = &setup.speculative {
        let (vf, gf) = speculative_flags(sp, repo);
        v.push_str(&vf);
        g.push_str(&gf);
        notes.push(SPECULATIVE_NOTE.to_string());
    }
    if servers > 1 {
        notes.push(multi_server_note(setup, servers));
    }
    if setup.pipeline > 1 {
        notes.push(format!(
            "Pipeline of {} stages: the planner assumed {} microbatches in flight; vLLM and \
             SGLang choose their own schedule.",
            setup.pipeline, setup.microbatches
        ));
    }
    Launch {
        vllm: Some(v),
        sglang: Some(g),
        notes,
    }
}

/// The note a speculating setup carries.
pub const SPECULATIVE_NOTE: &str = "Speculative decoding flags as of vLLM 0.10 (`--speculative-config` JSON; method names such as `deepseek_mtp` and `mtp` change between versions) and SGLang 0.4/0.5 (`--speculative-algorithm` EAGLE, alias NEXTN, for MTP heads; STANDALONE for a draft model from 0.5); the planner assumed the acceptance rate you set, which real prompts decide.";

/// The draft model's Hugging Face repository: its preset's, else a placeholder.
fn draft_repo(sp: &Speculative) -> String {
    match &sp.draft_model {
        Some(DraftModel::Preset(id)) => model_preset(id.trim())
            .map(|p| p.hf_repo.clone())
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| "<draft-hf-repo>".into()),
        _ => "<draft-hf-repo>".into(),
    }
}

/// (vLLM flags, SGLang flags) for speculation `sp` of the model at `repo`: k draft tokens
/// in a chain (top-k 1), k + 1 positions verified per step.
pub fn speculative_flags(sp: &Speculative, repo: &str) -> (String, String) {
    let k = sp.draft_tokens.max(1);
    match sp.method {
        SpeculativeMethod::Mtp => {
            let method = if repo.to_ascii_lowercase().contains("deepseek") {
                "deepseek_mtp"
            } else {
                "mtp"
            };
            (
                format!(
                    " --speculative-config '{{\"method\": \"{method}\", \"num_speculative_tokens\": {k}}}'"
                ),
                format!(
                    " --speculative-algorithm EAGLE --speculative-num-steps {k} --speculative-eagle-topk 1 --speculative-num-draft-tokens {}",
                    k + 1
                ),
            )
        }
        SpeculativeMethod::Draft => {
            let draft = draft_repo(sp);
            (
                format!(
                    " --speculative-config '{{\"model\": \"{draft}\", \"num_speculative_tokens\": {k}}}'"
                ),
                format!(
                    " --speculative-algorithm STANDALONE --speculative-draft-model-path {draft} --speculative-num-steps {k} --speculative-eagle-topk 1 --speculative-num-draft-tokens {}",
                    k + 1
                ),
            )
        }
    }
}

/// `vllm serve …`: expert parallel with data-parallel attention is TP 1 × DP N with
/// --enable-expert-parallel; --max-num-seqs is per data-parallel engine.
fn vllm_command(setup: &Setup, repo: &str, quant: Option<&str>, fp8_kv: bool) -> String {
    let mut v = format!("vllm serve {repo}");
    match setup.parallelism {
        Parallelism::Expert => {
            let per_rank = setup.batch.div_ceil(setup.expert.max(1) as u64);
            v.push_str(&format!(
                " --tensor-parallel-size 1 --data-parallel-size {} --enable-expert-parallel --max-num-seqs {per_rank}",
                setup.expert
            ));
        }
        Parallelism::Tensor => {
            v.push_str(&format!(" --tensor-parallel-size {}", setup.tensor));
            if setup.pipeline > 1 {
                v.push_str(&format!(" --pipeline-parallel-size {}", setup.pipeline));
            }
            v.push_str(&format!(" --max-num-seqs {}", setup.batch));
        }
    }
    v.push_str(&format!(
        " --max-model-len {} --gpu-memory-utilization 0.9",
        setup.max_model_len
    ));
    if setup.weights == Precision::Fp16 {
        v.push_str(" --dtype float16");
    }
    if fp8_kv {
        v.push_str(" --kv-cache-dtype fp8");
    }
    if let Some(q) = quant {
        v.push_str(&format!(" --quantization {q}"));
    }
    v
}

/// `python -m sglang.launch_server …`: DP attention is --dp N --enable-dp-attention inside
/// --tp N; across servers, --nnodes with this server's --node-rank.
fn sglang_command(setup: &Setup, repo: &str, quant: Option<&str>, fp8_kv: bool) -> String {
    let mut g = format!("python -m sglang.launch_server --model-path {repo}");
    match setup.parallelism {
        Parallelism::Expert => g.push_str(&format!(
            " --tp {n} --dp {n} --enable-dp-attention --ep-size {n}",
            n = setup.expert
        )),
        Parallelism::Tensor => {
            g.push_str(&format!(" --tp {}", setup.tensor));
            if setup.pipeline > 1 {
                g.push_str(&format!(" --pp-size {}", setup.pipeline));
            }
        }
    }
    g.push_str(&format!(
        " --max-running-requests {} --context-length {} --mem-fraction-static 0.9",
        setup.batch, setup.max_model_len
    ));
    if setup.weights == Precision::Fp16 {
        g.push_str(" --dtype float16");
    }
    if fp8_kv {
        g.push_str(" --kv-cache-dtype fp8_e4m3");
    }
    if let Some(q) = quant {
        g.push_str(&format!(" --quantization {q}"));
    }
    let servers = setup.servers();
    if servers > 1 {
        g.push_str(&format!(
            " --nnodes {servers} --node-rank 0 --dist-init-addr HEAD_IP:5000"
        ));
    }
    g
}

/// How each server launches a setup spanning `servers` scale-up domains.
fn multi_server_note(setup: &Setup, servers: u32) -> String {
    let vllm_multi = match setup.parallelism {
        Parallelism::Expert => format!(
            "vLLM runs one data-parallel group across them: on the head add \
             --data-parallel-size-local {d} --data-parallel-address HEAD_IP, and on server k \
             the same with --data-parallel-start-rank {d}·k --headless",
            d = setup.domain
        ),
        Parallelism::Tensor => "vLLM runs across them on a Ray cluster (`ray start --head` \
             on one, `ray start --address HEAD_IP:6379` on the others, then the command on \
             the head)"
            .to_string(),
    };
    format!(
        "Spans {servers} servers of {} chips: {vllm_multi}; SGLang runs the command on \
         every server with its own --node-rank (0 to {}).",
        setup.domain,
        servers - 1
    )
}
