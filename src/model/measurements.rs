//! Every public measurement the engine is checked against: `data/measurements.md` (the
//! TensorRT-LLM v0.9.0 offline-throughput table with stated batches, and GPT-J first-token
//! latencies) and `data/measurements-2.md` (newer TensorRT-LLM tables: DeepSeek-R1,
//! gpt-oss-120b and Qwen3-235B with expert parallelism and data-parallel attention, long
//! inputs, prefill latency). A test checks each row of the second set against the file.
//!
//! Each row is modelled as its source states it: one serving instance of `chips` chips
//! (data-parallel replicas are per-GPU figures), the stated batch or, where the source
//! states none ("the largest that fits"), the largest batch whose KV fits beside the
//! weights at the mean context.

use crate::scenario::{Parallelism, Precision};

/// What a row measured.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Metric {
    /// Offline output tokens/s per chip, prefill included.
    ThroughputPerChip(f64),
    /// Time to first token at batch 1, seconds.
    TtftSeconds(f64),
}

impl Metric {
    /// The measured number (tokens/s per chip, or seconds).
    pub fn value(self) -> f64 {
        match self {
            Metric::ThroughputPerChip(v) | Metric::TtftSeconds(v) => v,
        }
    }

    /// Whether a larger number is better (throughput) or worse (latency).
    pub fn higher_is_better(self) -> bool {
        matches!(self, Metric::ThroughputPerChip(_))
    }

    /// Unit of the number.
    pub fn unit(self) -> &'static str {
        match self {
            Metric::ThroughputPerChip(_) => "tok/s/chip",
            Metric::TtftSeconds(_) => "s",
        }
    }
}

/// One published measurement.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Measurement {
    /// Row id: the row number of data/measurements.md, or the id of data/measurements-2.md.
    pub id: &'static str,
    /// Model as the source names it.
    pub label: &'static str,
    /// Model preset id (`llama-2-70b`: the Llama 3.1 70B shape with a 32k vocabulary).
    pub model: &'static str,
    /// Hardware preset id.
    pub hardware: &'static str,
    /// Chips in one serving instance, N.
    pub chips: u32,
    pub parallelism: Parallelism,
    pub weights: Precision,
    pub kv_cache: Precision,
    /// Arithmetic precision of the GEMMs.
    pub compute: Precision,
    /// Stated batch; `None`: the largest that fits.
    pub batch: Option<u64>,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub metric: Metric,
    /// Where it was published.
    pub source: &'static str,
    /// When (the software release's date, approximately).
    pub date: &'static str,
}

impl Measurement {
    /// Whether the model is a mixture of experts.
    pub fn is_moe(&self) -> bool {
        matches!(
            self.model,
            "mixtral-8x7b" | "deepseek-v3" | "gpt-oss-120b" | "qwen3-235b-a22b"
        )
    }
}

use Metric::{ThroughputPerChip as Tput, TtftSeconds as Ttft};
use Parallelism::{Expert, Tensor};
use Precision::{Bf16, Fp16, Fp4, Fp8};

const V09: &str = "TensorRT-LLM v0.9.0 perf overview (docs/source/performance/perf-overview.md)";
const V05_BLOG: &str = "TensorRT-LLM v0.5.0, H200 launch blog (docs/source/blogs/H200launch.md)";
const NEW: &str = "TensorRT-LLM perf overview, PyTorch backend (NVIDIA/TensorRT-LLM@03e27c7)";
const V015: &str = "TensorRT-LLM v0.15.0 perf overview (trtllm-bench)";
const V05_LAT: &str = "TensorRT-LLM v0.5 performance doc, low-latency table";

/// A row, in the order of the tables; private shorthand.
#[allow(clippy::too_many_arguments)]
const fn row(
    id: &'static str,
    label: &'static str,
    model: &'static str,
    hw: (&'static str, u32, Parallelism),
    prec: (Precision, Precision, Precision),
    batch: Option<u64>,
    io: (u64, u64),
    metric: Metric,
    source: (&'static str, &'static str),
) -> Measurement {
    Measurement {
        id,
        label,
        model,
        hardware: hw.0,
        chips: hw.1,
        parallelism: hw.2,
        weights: prec.0,
        kv_cache: prec.1,
        compute: prec.2,
        batch,
        input_tokens: io.0,
        output_tokens: io.1,
        metric,
        source: source.0,
        date: source.1,
    }
}

const FP8: (Precision, Precision, Precision) = (Fp8, Fp8, Fp8);
const FP16: (Precision, Precision, Precision) = (Fp16, Fp16, Fp16);
const S09: (&str, &str) = (V09, "2024-04");
const S015: (&str, &str) = (V015, "2024-12");
const SNEW: (&str, &str) = (NEW, "2025");

/// Every public row, both sets.
#[rustfmt::skip]
pub const MEASUREMENTS: &[Measurement] = &[
    row("13", "Mistral 7B", "mistral-7b", ("h100-sxm", 1, Tensor), FP8, Some(120), (128, 2048), Tput(8623.0), S09),
    row("14", "Mistral 7B", "mistral-7b", ("h100-sxm", 1, Tensor), FP8, Some(56), (2048, 2048), Tput(3731.0), S09),
    row("15", "Mistral 7B", "mistral-7b", ("h200-sxm", 1, Tensor), FP8, Some(120), (128, 2048), Tput(8950.0), S09),
    row("16", "Mistral 7B", "mistral-7b", ("a100-sxm-80gb", 1, Tensor), FP16, Some(120), (128, 2048), Tput(3776.0), S09),
    row("17", "Mistral 7B", "mistral-7b", ("l40s", 1, Tensor), FP8, Some(120), (128, 2048), Tput(4387.0), S09),
    row("18", "Mixtral 8x7B", "mixtral-8x7b", ("h100-sxm", 2, Tensor), FP8, Some(128), (128, 2048), Tput(3408.0), S09),
    row("19", "Mixtral 8x7B", "mixtral-8x7b", ("h200-sxm", 2, Tensor), FP8, Some(256), (128, 2048), Tput(4973.0), S09),
    row("20", "Mixtral 8x7B", "mixtral-8x7b", ("a100-sxm-80gb", 2, Tensor), FP16, Some(128), (128, 2048), Tput(1724.0), S09),
    row("21", "LLaMA 70B", "llama-2-70b", ("h100-sxm", 4, Tensor), FP8, Some(512), (128, 2048), Tput(2725.0), S09),
    row("22", "LLaMA 70B", "llama-2-70b", ("h200-sxm", 2, Tensor), FP8, Some(512), (128, 2048), Tput(3963.0), S09),
    row("23", "LLaMA 70B", "llama-2-70b", ("h200-sxm", 1, Tensor), FP8, Some(64), (2048, 2048), Tput(1458.0), S09),
    row("24", "LLaMA 70B", "llama-2-70b", ("a100-sxm-80gb", 8, Tensor), FP16, Some(512), (128, 2048), Tput(684.0), S09),
    row("25", "LLaMA 70B", "llama-2-70b", ("l40s", 4, Tensor), FP8, Some(256), (128, 2048), Tput(478.0), S09),
    row("26", "LLaMA 70B (v0.5)", "llama-2-70b", ("h200-sxm", 1, Tensor), FP8, Some(512), (128, 128), Tput(3014.0), (V05_BLOG, "2023-11")),
    row("GPTJ-TTFT-128", "GPT-J 6B", "gpt-j-6b", ("h200-sxm", 1, Tensor), FP8, Some(1), (128, 1), Ttft(5.0e-3), S09),
    row("GPTJ-TTFT-2048", "GPT-J 6B", "gpt-j-6b", ("h200-sxm", 1, Tensor), FP8, Some(1), (2048, 1), Ttft(23.5e-3), S09),
    row("TRTNEW-DSR1-B200-DEP4-1k1k", "DeepSeek-R1-0528 NVFP4", "deepseek-v3", ("b200-hgx", 4, Expert), (Fp4, Fp8, Fp4), None, (1000, 1000), Tput(6463.0), SNEW),
    row("TRTNEW-DSR1-H200-DEP8-1k1k", "DeepSeek-R1-0528", "deepseek-v3", ("h200-sxm", 8, Expert), FP8, None, (1000, 1000), Tput(1627.0), SNEW),
    row("TRTNEW-GPTOSS120B-H100-DEP4-1k1k", "gpt-oss-120b", "gpt-oss-120b", ("h100-sxm", 4, Expert), (Fp4, Bf16, Bf16), None, (1000, 1000), Tput(4685.0), SNEW),
    row("TRTNEW-L33-70B-H200-TP2-8k1k", "Llama 3.3 70B FP8", "llama-3.1-70b", ("h200-sxm", 2, Tensor), (Fp8, Bf16, Fp8), None, (8192, 1024), Tput(537.0), SNEW),
    row("TRTNEW-L33-70B-B200-TP1-32k1k", "Llama 3.3 70B FP4", "llama-3.1-70b", ("b200-hgx", 1, Tensor), (Fp4, Bf16, Fp4), None, (32768, 1024), Tput(274.0), SNEW),
    row("TRTNEW-QWEN3-235B-H200-DEP4-8k1k", "Qwen3-235B-A22B FP8", "qwen3-235b-a22b", ("h200-sxm", 4, Expert), (Fp8, Bf16, Fp8), None, (8192, 1024), Tput(627.0), SNEW),
    row("TRT015-L31-8B-A100-TP1-1k1k", "Llama 3.1 8B", "llama-3.1-8b", ("a100-sxm-80gb", 1, Tensor), FP16, None, (1000, 1000), Tput(3753.46), S015),
    row("TRT015-L31-8B-L40S-TP1-1k1k", "Llama 3.1 8B", "llama-3.1-8b", ("l40s", 1, Tensor), FP8, None, (1000, 1000), Tput(4013.95), S015),
    row("TRT015-L31-8B-H100-TP1-20k2k", "Llama 3.1 8B", "llama-3.1-8b", ("h100-sxm", 1, Tensor), FP8, None, (20000, 2000), Tput(1378.69), S015),
    row("TRT015-L31-70B-H100-TP4-1k1k", "Llama 3.1 70B", "llama-3.1-70b", ("h100-sxm", 4, Tensor), FP8, None, (1000, 1000), Tput(1826.6), S015),
    row("TRT015-MIXTRAL-H100-TP2-1k1k", "Mixtral 8x7B", "mixtral-8x7b", ("h100-sxm", 2, Tensor), FP8, None, (1000, 1000), Tput(7933.6), S015),
    row("TRT05-L2-70B-H100-TP4-TTFT-2048", "Llama 2 70B", "llama-2-70b", ("h100-sxm", 4, Tensor), FP8, Some(1), (2048, 1), Ttft(0.109), (V05_LAT, "2023-10")),
    row("TRT05-L2-70B-A100-TP4-TTFT-2048", "Llama 2 70B", "llama-2-70b", ("a100-sxm-80gb", 4, Tensor), FP16, Some(1), (2048, 1), Ttft(0.377), (V05_LAT, "2023-10")),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The second set as published in data/measurements-2.md: id, GPUs, parallelism,
    /// lengths and value of each row agree with the table.
    #[test]
    fn second_set_matches_its_file() {
        let text = include_str!("../../data/measurements-2.md");
        let mut seen = 0;
        for line in text.lines().filter(|l| l.starts_with("| TR")) {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let id = cells[1];
            let m = MEASUREMENTS
                .iter()
                .find(|m| m.id == id)
                .unwrap_or_else(|| panic!("{id} is in the file but not in MEASUREMENTS"));
            let gpus = format!("{} × {}", m.chips, m.hardware);
            assert_eq!(cells[3], gpus, "{id}: GPUs");
            let (i, o) = cells[6].split_once('/').unwrap();
            assert_eq!(i.trim().parse::<u64>().unwrap(), m.input_tokens, "{id}");
            assert_eq!(o.trim().parse::<u64>().unwrap(), m.output_tokens, "{id}");
            assert_eq!(cells[8].parse::<f64>().unwrap(), m.metric.value(), "{id}");
            let ep = cells[5].starts_with("expert");
            assert_eq!(ep, m.parallelism == Parallelism::Expert, "{id}");
            seen += 1;
        }
        assert_eq!(seen, 13);
    }

    #[test]
    fn ids_are_unique() {
        for (i, a) in MEASUREMENTS.iter().enumerate() {
            assert!(
                MEASUREMENTS[i + 1..].iter().all(|b| b.id != a.id),
                "{}",
                a.id
            );
        }
    }
}
