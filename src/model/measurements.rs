//! Every public measurement the engine is checked against: `data/measurements.md` (the
//! TensorRT-LLM v0.9.0 offline-throughput table with stated batches, and GPT-J first-token
//! latencies) and `data/measurements-2.md` (newer TensorRT-LLM tables: DeepSeek-R1,
//! gpt-oss-120b and Qwen3-235B with expert parallelism and data-parallel attention, long
//! inputs, prefill latency) and `data/measurements-3.md` (every other cell of the newest
//! TensorRT-LLM perf overview's tables: seven models on B200, GB200, H200 and H100 and three
//! on the RTX PRO 6000 at six input/output lengths; the pipeline-parallel RTX cells are left
//! out, as a scenario has no pipeline stages). Tests check each row of the second and third sets against its file.
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
    /// Row id: the row number of data/measurements.md, or the id in data/measurements-2.md or
    /// data/measurements-3.md.
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
    /// Whether the model is a mixture of experts: its preset has routed experts.
    pub fn is_moe(&self) -> bool {
        super::calibration::model_for(self.model)
            .is_ok_and(|m| m.moe.is_some_and(|e| e.experts > 0))
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

/// Every public row, all three sets.
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
    row("TRTNEW-L33-70B-H200-TP2-8k1k", "Llama 3.3 70B FP8", "llama-3.1-70b", ("h200-sxm", 2, Tensor), FP8, None, (8192, 1024), Tput(537.0), SNEW),
    row("TRTNEW-L33-70B-B200-TP1-32k1k", "Llama 3.3 70B FP4", "llama-3.1-70b", ("b200-hgx", 1, Tensor), (Fp4, Fp8, Fp4), None, (32768, 1024), Tput(274.0), SNEW),
    row("TRTNEW-QWEN3-235B-H200-DEP4-8k1k", "Qwen3-235B-A22B FP8", "qwen3-235b-a22b", ("h200-sxm", 4, Expert), FP8, None, (8192, 1024), Tput(627.0), SNEW),
    row("TRT015-L31-8B-A100-TP1-1k1k", "Llama 3.1 8B", "llama-3.1-8b", ("a100-sxm-80gb", 1, Tensor), FP16, None, (1000, 1000), Tput(3753.46), S015),
    row("TRT015-L31-8B-L40S-TP1-1k1k", "Llama 3.1 8B", "llama-3.1-8b", ("l40s", 1, Tensor), FP8, None, (1000, 1000), Tput(4013.95), S015),
    row("TRT015-L31-8B-H100-TP1-20k2k", "Llama 3.1 8B", "llama-3.1-8b", ("h100-sxm", 1, Tensor), FP8, None, (20000, 2000), Tput(1378.69), S015),
    row("TRT015-L31-70B-H100-TP4-1k1k", "Llama 3.1 70B", "llama-3.1-70b", ("h100-sxm", 4, Tensor), FP8, None, (1000, 1000), Tput(1826.6), S015),
    row("TRT015-MIXTRAL-H100-TP2-1k1k", "Mixtral 8x7B", "mixtral-8x7b", ("h100-sxm", 2, Tensor), FP8, None, (1000, 1000), Tput(7933.6), S015),
    row("TRT05-L2-70B-H100-TP4-TTFT-2048", "Llama 2 70B", "llama-2-70b", ("h100-sxm", 4, Tensor), FP8, Some(1), (2048, 1), Ttft(0.109), (V05_LAT, "2023-10")),
    row("TRT05-L2-70B-A100-TP4-TTFT-2048", "Llama 2 70B", "llama-2-70b", ("a100-sxm-80gb", 4, Tensor), FP16, Some(1), (2048, 1), Ttft(0.377), (V05_LAT, "2023-10")),
    // data/measurements-3.md: every other cell of the newest perf overview's tables (no PP).
    row("TRTNEW-DSR1-GB200-DEP4-1k1k", "DeepSeek-R1-0528 NVFP4", "deepseek-v3", ("gb200-per-gpu", 4, Expert), (Fp4, Fp8, Fp4), None, (1000, 1000), Tput(6939.0), SNEW),
    row("TRTNEW-DSR1-B200-DEP4-1024-1024", "DeepSeek-R1-0528 NVFP4", "deepseek-v3", ("b200-hgx", 4, Expert), (Fp4, Fp8, Fp4), None, (1024, 1024), Tput(6430.0), SNEW),
    row("TRTNEW-DSR1-GB200-DEP4-1024-1024", "DeepSeek-R1-0528 NVFP4", "deepseek-v3", ("gb200-per-gpu", 4, Expert), (Fp4, Fp8, Fp4), None, (1024, 1024), Tput(6924.0), SNEW),
    row("TRTNEW-DSR1-H200-DEP8-1024-1024", "DeepSeek-R1-0528", "deepseek-v3", ("h200-sxm", 8, Expert), FP8, None, (1024, 1024), Tput(1620.0), SNEW),
    row("TRTNEW-DSR1-B200-DEP4-1k8k", "DeepSeek-R1-0528 NVFP4", "deepseek-v3", ("b200-hgx", 4, Expert), (Fp4, Fp8, Fp4), None, (1024, 8192), Tput(3862.0), SNEW),
    row("TRTNEW-DSR1-GB200-DEP4-1k8k", "DeepSeek-R1-0528 NVFP4", "deepseek-v3", ("gb200-per-gpu", 4, Expert), (Fp4, Fp8, Fp4), None, (1024, 8192), Tput(4379.0), SNEW),
    row("TRTNEW-DSR1-H200-DEP8-1k8k", "DeepSeek-R1-0528", "deepseek-v3", ("h200-sxm", 8, Expert), FP8, None, (1024, 8192), Tput(1218.0), SNEW),
    row("TRTNEW-DSR1-B200-DEP4-1k32k", "DeepSeek-R1-0528 NVFP4", "deepseek-v3", ("b200-hgx", 4, Expert), (Fp4, Fp8, Fp4), None, (1024, 32768), Tput(1451.0), SNEW),
    row("TRTNEW-DSR1-GB200-DEP4-1k32k", "DeepSeek-R1-0528 NVFP4", "deepseek-v3", ("gb200-per-gpu", 4, Expert), (Fp4, Fp8, Fp4), None, (1024, 32768), Tput(1465.0), SNEW),
    row("TRTNEW-DSR1-H200-DEP8-1k32k", "DeepSeek-R1-0528", "deepseek-v3", ("h200-sxm", 8, Expert), FP8, None, (1024, 32768), Tput(438.0), SNEW),
    row("TRTNEW-DSR1-B200-DEP4-8k1k", "DeepSeek-R1-0528 NVFP4", "deepseek-v3", ("b200-hgx", 4, Expert), (Fp4, Fp8, Fp4), None, (8192, 1024), Tput(1168.0), SNEW),
    row("TRTNEW-DSR1-GB200-DEP4-8k1k", "DeepSeek-R1-0528 NVFP4", "deepseek-v3", ("gb200-per-gpu", 4, Expert), (Fp4, Fp8, Fp4), None, (8192, 1024), Tput(1192.0), SNEW),
    row("TRTNEW-GPTOSS120B-B200-DEP2-1k1k", "gpt-oss-120b", "gpt-oss-120b", ("b200-hgx", 2, Expert), (Fp4, Fp8, Fp8), None, (1000, 1000), Tput(25943.0), SNEW),
    row("TRTNEW-GPTOSS120B-GB200-TP1-1k1k", "gpt-oss-120b", "gpt-oss-120b", ("gb200-per-gpu", 1, Tensor), (Fp4, Fp8, Fp8), None, (1000, 1000), Tput(27198.0), SNEW),
    row("TRTNEW-GPTOSS120B-H200-TP1-1k1k", "gpt-oss-120b", "gpt-oss-120b", ("h200-sxm", 1, Tensor), (Fp4, Bf16, Bf16), None, (1000, 1000), Tput(6868.0), SNEW),
    row("TRTNEW-GPTOSS120B-B200-DEP2-1024-1024", "gpt-oss-120b", "gpt-oss-120b", ("b200-hgx", 2, Expert), (Fp4, Fp8, Fp8), None, (1024, 1024), Tput(25870.0), SNEW),
    row("TRTNEW-GPTOSS120B-GB200-TP1-1024-1024", "gpt-oss-120b", "gpt-oss-120b", ("gb200-per-gpu", 1, Tensor), (Fp4, Fp8, Fp8), None, (1024, 1024), Tput(26609.0), SNEW),
    row("TRTNEW-GPTOSS120B-H200-TP1-1024-1024", "gpt-oss-120b", "gpt-oss-120b", ("h200-sxm", 1, Tensor), (Fp4, Bf16, Bf16), None, (1024, 1024), Tput(6798.0), SNEW),
    row("TRTNEW-GPTOSS120B-H100-DEP4-1024-1024", "gpt-oss-120b", "gpt-oss-120b", ("h100-sxm", 4, Expert), (Fp4, Bf16, Bf16), None, (1024, 1024), Tput(4715.0), SNEW),
    row("TRTNEW-GPTOSS120B-B200-DEP2-1k8k", "gpt-oss-120b", "gpt-oss-120b", ("b200-hgx", 2, Expert), (Fp4, Fp8, Fp8), None, (1024, 8192), Tput(17289.0), SNEW),
    row("TRTNEW-GPTOSS120B-GB200-TP1-1k8k", "gpt-oss-120b", "gpt-oss-120b", ("gb200-per-gpu", 1, Tensor), (Fp4, Fp8, Fp8), None, (1024, 8192), Tput(14800.0), SNEW),
    row("TRTNEW-GPTOSS120B-H200-TP1-1k8k", "gpt-oss-120b", "gpt-oss-120b", ("h200-sxm", 1, Tensor), (Fp4, Bf16, Bf16), None, (1024, 8192), Tput(3543.0), SNEW),
    row("TRTNEW-GPTOSS120B-B200-DEP2-1k32k", "gpt-oss-120b", "gpt-oss-120b", ("b200-hgx", 2, Expert), (Fp4, Fp8, Fp8), None, (1024, 32768), Tput(6279.0), SNEW),
    row("TRTNEW-GPTOSS120B-GB200-TP1-1k32k", "gpt-oss-120b", "gpt-oss-120b", ("gb200-per-gpu", 1, Tensor), (Fp4, Fp8, Fp8), None, (1024, 32768), Tput(5556.0), SNEW),
    row("TRTNEW-GPTOSS120B-H100-DEP4-1k32k", "gpt-oss-120b", "gpt-oss-120b", ("h100-sxm", 4, Expert), (Fp4, Bf16, Bf16), None, (1024, 32768), Tput(1177.0), SNEW),
    row("TRTNEW-GPTOSS120B-B200-DEP2-8k1k", "gpt-oss-120b", "gpt-oss-120b", ("b200-hgx", 2, Expert), (Fp4, Fp8, Fp8), None, (8192, 1024), Tput(6111.0), SNEW),
    row("TRTNEW-GPTOSS120B-GB200-TP1-8k1k", "gpt-oss-120b", "gpt-oss-120b", ("gb200-per-gpu", 1, Tensor), (Fp4, Fp8, Fp8), None, (8192, 1024), Tput(6835.0), SNEW),
    row("TRTNEW-GPTOSS120B-H200-TP1-8k1k", "gpt-oss-120b", "gpt-oss-120b", ("h200-sxm", 1, Tensor), (Fp4, Bf16, Bf16), None, (8192, 1024), Tput(1828.0), SNEW),
    row("TRTNEW-GPTOSS120B-H100-DEP4-8k1k", "gpt-oss-120b", "gpt-oss-120b", ("h100-sxm", 4, Expert), (Fp4, Bf16, Bf16), None, (8192, 1024), Tput(1169.0), SNEW),
    row("TRTNEW-GPTOSS120B-B200-DEP2-32k1k", "gpt-oss-120b", "gpt-oss-120b", ("b200-hgx", 2, Expert), (Fp4, Fp8, Fp8), None, (32768, 1024), Tput(1392.0), SNEW),
    row("TRTNEW-GPTOSS120B-GB200-TP1-32k1k", "gpt-oss-120b", "gpt-oss-120b", ("gb200-per-gpu", 1, Tensor), (Fp4, Fp8, Fp8), None, (32768, 1024), Tput(1645.0), SNEW),
    row("TRTNEW-GPTOSS120B-H200-TP1-32k1k", "gpt-oss-120b", "gpt-oss-120b", ("h200-sxm", 1, Tensor), (Fp4, Bf16, Bf16), None, (32768, 1024), Tput(519.0), SNEW),
    row("TRTNEW-GPTOSS120B-H100-DEP4-32k1k", "gpt-oss-120b", "gpt-oss-120b", ("h100-sxm", 4, Expert), (Fp4, Bf16, Bf16), None, (32768, 1024), Tput(333.0), SNEW),
    row("TRTNEW-GPTOSS20B-B200-TP1-1k1k", "gpt-oss-20b", "gpt-oss-20b", ("b200-hgx", 1, Tensor), (Fp4, Fp8, Fp8), None, (1000, 1000), Tput(53812.0), SNEW),
    row("TRTNEW-GPTOSS20B-GB200-TP1-1k1k", "gpt-oss-20b", "gpt-oss-20b", ("gb200-per-gpu", 1, Tensor), (Fp4, Fp8, Fp8), None, (1000, 1000), Tput(55823.0), SNEW),
    row("TRTNEW-GPTOSS20B-H200-TP1-1k1k", "gpt-oss-20b", "gpt-oss-20b", ("h200-sxm", 1, Tensor), (Fp4, Bf16, Bf16), None, (1000, 1000), Tput(13858.0), SNEW),
    row("TRTNEW-GPTOSS20B-H100-TP1-1k1k", "gpt-oss-20b", "gpt-oss-20b", ("h100-sxm", 1, Tensor), (Fp4, Bf16, Bf16), None, (1000, 1000), Tput(11557.0), SNEW),
    row("TRTNEW-GPTOSS20B-B200-TP1-1024-1024", "gpt-oss-20b", "gpt-oss-20b", ("b200-hgx", 1, Tensor), (Fp4, Fp8, Fp8), None, (1024, 1024), Tput(53491.0), SNEW),
    row("TRTNEW-GPTOSS20B-GB200-TP1-1024-1024", "gpt-oss-20b", "gpt-oss-20b", ("gb200-per-gpu", 1, Tensor), (Fp4, Fp8, Fp8), None, (1024, 1024), Tput(56528.0), SNEW),
    row("TRTNEW-GPTOSS20B-H200-TP1-1024-1024", "gpt-oss-20b", "gpt-oss-20b", ("h200-sxm", 1, Tensor), (Fp4, Bf16, Bf16), None, (1024, 1024), Tput(13890.0), SNEW),
    row("TRTNEW-GPTOSS20B-H100-TP1-1024-1024", "gpt-oss-20b", "gpt-oss-20b", ("h100-sxm", 1, Tensor), (Fp4, Bf16, Bf16), None, (1024, 1024), Tput(11403.0), SNEW),
    row("TRTNEW-GPTOSS20B-B200-TP1-1k8k", "gpt-oss-20b", "gpt-oss-20b", ("b200-hgx", 1, Tensor), (Fp4, Fp8, Fp8), None, (1024, 8192), Tput(34702.0), SNEW),
    row("TRTNEW-GPTOSS20B-GB200-TP1-1k8k", "gpt-oss-20b", "gpt-oss-20b", ("gb200-per-gpu", 1, Tensor), (Fp4, Fp8, Fp8), None, (1024, 8192), Tput(38100.0), SNEW),
    row("TRTNEW-GPTOSS20B-H200-TP1-1k8k", "gpt-oss-20b", "gpt-oss-20b", ("h200-sxm", 1, Tensor), (Fp4, Bf16, Bf16), None, (1024, 8192), Tput(12743.0), SNEW),
    row("TRTNEW-GPTOSS20B-H100-TP1-1k8k", "gpt-oss-20b", "gpt-oss-20b", ("h100-sxm", 1, Tensor), (Fp4, Bf16, Bf16), None, (1024, 8192), Tput(8617.0), SNEW),
    row("TRTNEW-GPTOSS20B-B200-TP1-1k32k", "gpt-oss-20b", "gpt-oss-20b", ("b200-hgx", 1, Tensor), (Fp4, Fp8, Fp8), None, (1024, 32768), Tput(14589.0), SNEW),
    row("TRTNEW-GPTOSS20B-GB200-TP1-1k32k", "gpt-oss-20b", "gpt-oss-20b", ("gb200-per-gpu", 1, Tensor), (Fp4, Fp8, Fp8), None, (1024, 32768), Tput(16463.0), SNEW),
    row("TRTNEW-GPTOSS20B-B200-TP1-8k1k", "gpt-oss-20b", "gpt-oss-20b", ("b200-hgx", 1, Tensor), (Fp4, Fp8, Fp8), None, (8192, 1024), Tput(11904.0), SNEW),
    row("TRTNEW-GPTOSS20B-GB200-TP1-8k1k", "gpt-oss-20b", "gpt-oss-20b", ("gb200-per-gpu", 1, Tensor), (Fp4, Fp8, Fp8), None, (8192, 1024), Tput(12941.0), SNEW),
    row("TRTNEW-GPTOSS20B-H200-TP1-8k1k", "gpt-oss-20b", "gpt-oss-20b", ("h200-sxm", 1, Tensor), (Fp4, Bf16, Bf16), None, (8192, 1024), Tput(4015.0), SNEW),
    row("TRTNEW-GPTOSS20B-H100-TP1-8k1k", "gpt-oss-20b", "gpt-oss-20b", ("h100-sxm", 1, Tensor), (Fp4, Bf16, Bf16), None, (8192, 1024), Tput(3366.0), SNEW),
    row("TRTNEW-GPTOSS20B-B200-TP1-32k1k", "gpt-oss-20b", "gpt-oss-20b", ("b200-hgx", 1, Tensor), (Fp4, Fp8, Fp8), None, (32768, 1024), Tput(2645.0), SNEW),
    row("TRTNEW-GPTOSS20B-GB200-TP1-32k1k", "gpt-oss-20b", "gpt-oss-20b", ("gb200-per-gpu", 1, Tensor), (Fp4, Fp8, Fp8), None, (32768, 1024), Tput(2905.0), SNEW),
    row("TRTNEW-GPTOSS20B-H200-TP1-32k1k", "gpt-oss-20b", "gpt-oss-20b", ("h200-sxm", 1, Tensor), (Fp4, Bf16, Bf16), None, (32768, 1024), Tput(915.0), SNEW),
    row("TRTNEW-GPTOSS20B-H100-TP1-32k1k", "gpt-oss-20b", "gpt-oss-20b", ("h100-sxm", 1, Tensor), (Fp4, Bf16, Bf16), None, (32768, 1024), Tput(785.0), SNEW),
    row("TRTNEW-L33-70B-B200-TP1-1k1k", "Llama 3.3 70B FP4", "llama-3.1-70b", ("b200-hgx", 1, Tensor), (Fp4, Fp8, Fp4), None, (1000, 1000), Tput(6920.0), SNEW),
    row("TRTNEW-L33-70B-GB200-TP1-1k1k", "Llama 3.3 70B FP4", "llama-3.1-70b", ("gb200-per-gpu", 1, Tensor), (Fp4, Fp8, Fp4), None, (1000, 1000), Tput(7769.0), SNEW),
    row("TRTNEW-L33-70B-H200-TP2-1k1k", "Llama 3.3 70B FP8", "llama-3.1-70b", ("h200-sxm", 2, Tensor), FP8, None, (1000, 1000), Tput(2587.0), SNEW),
    row("TRTNEW-L33-70B-H100-TP2-1k1k", "Llama 3.3 70B FP8", "llama-3.1-70b", ("h100-sxm", 2, Tensor), FP8, None, (1000, 1000), Tput(2209.0), SNEW),
    row("TRTNEW-L33-70B-B200-TP1-1024-1024", "Llama 3.3 70B FP4", "llama-3.1-70b", ("b200-hgx", 1, Tensor), (Fp4, Fp8, Fp4), None, (1024, 1024), Tput(6842.0), SNEW),
    row("TRTNEW-L33-70B-GB200-TP1-1024-1024", "Llama 3.3 70B FP4", "llama-3.1-70b", ("gb200-per-gpu", 1, Tensor), (Fp4, Fp8, Fp4), None, (1024, 1024), Tput(7751.0), SNEW),
    row("TRTNEW-L33-70B-H200-TP2-1024-1024", "Llama 3.3 70B FP8", "llama-3.1-70b", ("h200-sxm", 2, Tensor), FP8, None, (1024, 1024), Tput(2582.0), SNEW),
    row("TRTNEW-L33-70B-B200-TP1-1k8k", "Llama 3.3 70B FP4", "llama-3.1-70b", ("b200-hgx", 1, Tensor), (Fp4, Fp8, Fp4), None, (1024, 8192), Tput(3242.0), SNEW),
    row("TRTNEW-L33-70B-GB200-TP1-1k8k", "Llama 3.3 70B FP4", "llama-3.1-70b", ("gb200-per-gpu", 1, Tensor), (Fp4, Fp8, Fp4), None, (1024, 8192), Tput(3805.0), SNEW),
    row("TRTNEW-L33-70B-H200-TP2-1k8k", "Llama 3.3 70B FP8", "llama-3.1-70b", ("h200-sxm", 2, Tensor), FP8, None, (1024, 8192), Tput(2009.0), SNEW),
    row("TRTNEW-L33-70B-B200-TP1-8k1k", "Llama 3.3 70B FP4", "llama-3.1-70b", ("b200-hgx", 1, Tensor), (Fp4, Fp8, Fp4), None, (8192, 1024), Tput(1362.0), SNEW),
    row("TRTNEW-L33-70B-GB200-TP1-8k1k", "Llama 3.3 70B FP4", "llama-3.1-70b", ("gb200-per-gpu", 1, Tensor), (Fp4, Fp8, Fp4), None, (8192, 1024), Tput(1491.0), SNEW),
    row("TRTNEW-L33-70B-H100-TP2-8k1k", "Llama 3.3 70B FP8", "llama-3.1-70b", ("h100-sxm", 2, Tensor), FP8, None, (8192, 1024), Tput(398.0), SNEW),
    row("TRTNEW-L33-70B-GB200-TP1-32k1k", "Llama 3.3 70B FP4", "llama-3.1-70b", ("gb200-per-gpu", 1, Tensor), (Fp4, Fp8, Fp4), None, (32768, 1024), Tput(302.0), SNEW),
    row("TRTNEW-L33-70B-H200-TP2-32k1k", "Llama 3.3 70B FP8", "llama-3.1-70b", ("h200-sxm", 2, Tensor), FP8, None, (32768, 1024), Tput(120.0), SNEW),
    row("TRTNEW-QWEN3-235B-B200-DEP4-1k1k", "Qwen3-235B-A22B FP4", "qwen3-235b-a22b", ("b200-hgx", 4, Expert), (Fp4, Fp8, Fp4), None, (1000, 1000), Tput(5764.0), SNEW),
    row("TRTNEW-QWEN3-235B-GB200-DEP4-1k1k", "Qwen3-235B-A22B FP4", "qwen3-235b-a22b", ("gb200-per-gpu", 4, Expert), (Fp4, Fp8, Fp4), None, (1000, 1000), Tput(6172.0), SNEW),
    row("TRTNEW-QWEN3-235B-H200-DEP4-1k1k", "Qwen3-235B-A22B FP8", "qwen3-235b-a22b", ("h200-sxm", 4, Expert), FP8, None, (1000, 1000), Tput(3288.0), SNEW),
    row("TRTNEW-QWEN3-235B-H100-DEP8-1k1k", "Qwen3-235B-A22B FP8", "qwen3-235b-a22b", ("h100-sxm", 8, Expert), FP8, None, (1000, 1000), Tput(1932.0), SNEW),
    row("TRTNEW-QWEN3-235B-B200-DEP4-1024-1024", "Qwen3-235B-A22B FP4", "qwen3-235b-a22b", ("b200-hgx", 4, Expert), (Fp4, Fp8, Fp4), None, (1024, 1024), Tput(5756.0), SNEW),
    row("TRTNEW-QWEN3-235B-GB200-DEP4-1024-1024", "Qwen3-235B-A22B FP4", "qwen3-235b-a22b", ("gb200-per-gpu", 4, Expert), (Fp4, Fp8, Fp4), None, (1024, 1024), Tput(5862.0), SNEW),
    row("TRTNEW-QWEN3-235B-H200-DEP4-1024-1024", "Qwen3-235B-A22B FP8", "qwen3-235b-a22b", ("h200-sxm", 4, Expert), FP8, None, (1024, 1024), Tput(3268.0), SNEW),
    row("TRTNEW-QWEN3-235B-H100-DEP8-1024-1024", "Qwen3-235B-A22B FP8", "qwen3-235b-a22b", ("h100-sxm", 8, Expert), FP8, None, (1024, 1024), Tput(1935.0), SNEW),
    row("TRTNEW-QWEN3-235B-B200-DEP4-1k8k", "Qwen3-235B-A22B FP4", "qwen3-235b-a22b", ("b200-hgx", 4, Expert), (Fp4, Fp8, Fp4), None, (1024, 8192), Tput(3389.0), SNEW),
    row("TRTNEW-QWEN3-235B-GB200-DEP4-1k8k", "Qwen3-235B-A22B FP4", "qwen3-235b-a22b", ("gb200-per-gpu", 4, Expert), (Fp4, Fp8, Fp4), None, (1024, 8192), Tput(3423.0), SNEW),
    row("TRTNEW-QWEN3-235B-H200-DEP4-1k8k", "Qwen3-235B-A22B FP8", "qwen3-235b-a22b", ("h200-sxm", 4, Expert), FP8, None, (1024, 8192), Tput(1417.0), SNEW),
    row("TRTNEW-QWEN3-235B-H100-DEP8-1k8k", "Qwen3-235B-A22B FP8", "qwen3-235b-a22b", ("h100-sxm", 8, Expert), FP8, None, (1024, 8192), Tput(873.0), SNEW),
    row("TRTNEW-QWEN3-235B-B200-DEP4-1k32k", "Qwen3-235B-A22B FP4", "qwen3-235b-a22b", ("b200-hgx", 4, Expert), (Fp4, Fp8, Fp4), None, (1024, 32768), Tput(1255.0), SNEW),
    row("TRTNEW-QWEN3-235B-B200-DEP4-8k1k", "Qwen3-235B-A22B FP4", "qwen3-235b-a22b", ("b200-hgx", 4, Expert), (Fp4, Fp8, Fp4), None, (8192, 1024), Tput(1410.0), SNEW),
    row("TRTNEW-QWEN3-235B-GB200-DEP4-8k1k", "Qwen3-235B-A22B FP4", "qwen3-235b-a22b", ("gb200-per-gpu", 4, Expert), (Fp4, Fp8, Fp4), None, (8192, 1024), Tput(1464.0), SNEW),
    row("TRTNEW-QWEN3-235B-B200-DEP4-32k1k", "Qwen3-235B-A22B FP4", "qwen3-235b-a22b", ("b200-hgx", 4, Expert), (Fp4, Fp8, Fp4), None, (32768, 1024), Tput(319.0), SNEW),
    row("TRTNEW-QWEN3-235B-GB200-DEP4-32k1k", "Qwen3-235B-A22B FP4", "qwen3-235b-a22b", ("gb200-per-gpu", 4, Expert), (Fp4, Fp8, Fp4), None, (32768, 1024), Tput(333.0), SNEW),
    row("TRTNEW-QWEN3-235B-H200-DEP4-32k1k", "Qwen3-235B-A22B FP8", "qwen3-235b-a22b", ("h200-sxm", 4, Expert), FP8, None, (32768, 1024), Tput(134.0), SNEW),
    row("TRTNEW-QWEN3-30B-B200-TP1-1k1k", "Qwen3-30B-A3B FP4", "qwen3-30b-a3b", ("b200-hgx", 1, Tensor), (Fp4, Fp8, Fp4), None, (1000, 1000), Tput(26971.0), SNEW),
    row("TRTNEW-QWEN3-30B-GB200-TP1-1k1k", "Qwen3-30B-A3B FP4", "qwen3-30b-a3b", ("gb200-per-gpu", 1, Tensor), (Fp4, Fp8, Fp4), None, (1000, 1000), Tput(22856.0), SNEW),
    row("TRTNEW-QWEN3-30B-B200-TP1-1024-1024", "Qwen3-30B-A3B FP4", "qwen3-30b-a3b", ("b200-hgx", 1, Tensor), (Fp4, Fp8, Fp4), None, (1024, 1024), Tput(26611.0), SNEW),
    row("TRTNEW-QWEN3-30B-GB200-TP1-1024-1024", "Qwen3-30B-A3B FP4", "qwen3-30b-a3b", ("gb200-per-gpu", 1, Tensor), (Fp4, Fp8, Fp4), None, (1024, 1024), Tput(22201.0), SNEW),
    row("TRTNEW-QWEN3-30B-B200-TP1-1k8k", "Qwen3-30B-A3B FP4", "qwen3-30b-a3b", ("b200-hgx", 1, Tensor), (Fp4, Fp8, Fp4), None, (1024, 8192), Tput(13497.0), SNEW),
    row("TRTNEW-QWEN3-30B-GB200-TP1-1k8k", "Qwen3-30B-A3B FP4", "qwen3-30b-a3b", ("gb200-per-gpu", 1, Tensor), (Fp4, Fp8, Fp4), None, (1024, 8192), Tput(14272.0), SNEW),
    row("TRTNEW-QWEN3-30B-B200-TP1-1k32k", "Qwen3-30B-A3B FP4", "qwen3-30b-a3b", ("b200-hgx", 1, Tensor), (Fp4, Fp8, Fp4), None, (1024, 32768), Tput(4494.0), SNEW),
    row("TRTNEW-QWEN3-30B-GB200-TP1-1k32k", "Qwen3-30B-A3B FP4", "qwen3-30b-a3b", ("gb200-per-gpu", 1, Tensor), (Fp4, Fp8, Fp4), None, (1024, 32768), Tput(4925.0), SNEW),
    row("TRTNEW-QWEN3-30B-B200-TP1-8k1k", "Qwen3-30B-A3B FP4", "qwen3-30b-a3b", ("b200-hgx", 1, Tensor), (Fp4, Fp8, Fp4), None, (8192, 1024), Tput(5735.0), SNEW),
    row("TRTNEW-QWEN3-30B-GB200-TP1-8k1k", "Qwen3-30B-A3B FP4", "qwen3-30b-a3b", ("gb200-per-gpu", 1, Tensor), (Fp4, Fp8, Fp4), None, (8192, 1024), Tput(6201.0), SNEW),
    row("TRTNEW-QWEN3-30B-B200-TP1-32k1k", "Qwen3-30B-A3B FP4", "qwen3-30b-a3b", ("b200-hgx", 1, Tensor), (Fp4, Fp8, Fp4), None, (32768, 1024), Tput(1265.0), SNEW),
    row("TRTNEW-QWEN3-30B-GB200-TP1-32k1k", "Qwen3-30B-A3B FP4", "qwen3-30b-a3b", ("gb200-per-gpu", 1, Tensor), (Fp4, Fp8, Fp4), None, (32768, 1024), Tput(1380.0), SNEW),
    row("TRTNEW-L4MAV-B200-DEP4-1k1k", "Llama 4 Maverick NVFP4", "llama-4-maverick", ("b200-hgx", 4, Expert), (Fp4, Fp8, Fp4), None, (1000, 1000), Tput(11337.0), SNEW),
    row("TRTNEW-L4MAV-B200-DEP4-1024-1024", "Llama 4 Maverick NVFP4", "llama-4-maverick", ("b200-hgx", 4, Expert), (Fp4, Fp8, Fp4), None, (1024, 1024), Tput(11227.0), SNEW),
    row("TRTNEW-L4MAV-B200-DEP4-1k8k", "Llama 4 Maverick NVFP4", "llama-4-maverick", ("b200-hgx", 4, Expert), (Fp4, Fp8, Fp4), None, (1024, 8192), Tput(5174.0), SNEW),
    row("TRTNEW-L4MAV-B200-DEP4-1k32k", "Llama 4 Maverick NVFP4", "llama-4-maverick", ("b200-hgx", 4, Expert), (Fp4, Fp8, Fp4), None, (1024, 32768), Tput(2204.0), SNEW),
    row("TRTNEW-L4MAV-B200-DEP4-8k1k", "Llama 4 Maverick NVFP4", "llama-4-maverick", ("b200-hgx", 4, Expert), (Fp4, Fp8, Fp4), None, (8192, 1024), Tput(3279.0), SNEW),
    row("TRTNEW-L4MAV-B200-DEP4-32k1k", "Llama 4 Maverick NVFP4", "llama-4-maverick", ("b200-hgx", 4, Expert), (Fp4, Fp8, Fp4), None, (32768, 1024), Tput(859.0), SNEW),
    row("TRTNEW-L4MAV-GB200-DEP4-1k1k", "Llama 4 Maverick NVFP4", "llama-4-maverick", ("gb200-per-gpu", 4, Expert), (Fp4, Fp8, Fp4), None, (1000, 1000), Tput(11828.0), SNEW),
    row("TRTNEW-L4MAV-GB200-DEP4-1024-1024", "Llama 4 Maverick NVFP4", "llama-4-maverick", ("gb200-per-gpu", 4, Expert), (Fp4, Fp8, Fp4), None, (1024, 1024), Tput(11905.0), SNEW),
    row("TRTNEW-L4MAV-GB200-DEP4-1k8k", "Llama 4 Maverick NVFP4", "llama-4-maverick", ("gb200-per-gpu", 4, Expert), (Fp4, Fp8, Fp4), None, (1024, 8192), Tput(5508.0), SNEW),
    row("TRTNEW-L4MAV-GB200-DEP4-1k32k", "Llama 4 Maverick NVFP4", "llama-4-maverick", ("gb200-per-gpu", 4, Expert), (Fp4, Fp8, Fp4), None, (1024, 32768), Tput(2300.0), SNEW),
    row("TRTNEW-L4MAV-GB200-DEP4-8k1k", "Llama 4 Maverick NVFP4", "llama-4-maverick", ("gb200-per-gpu", 4, Expert), (Fp4, Fp8, Fp4), None, (8192, 1024), Tput(3444.0), SNEW),
    row("TRTNEW-L4MAV-GB200-DEP4-32k1k", "Llama 4 Maverick NVFP4", "llama-4-maverick", ("gb200-per-gpu", 4, Expert), (Fp4, Fp8, Fp4), None, (32768, 1024), Tput(963.0), SNEW),
    row("TRTNEW-L4MAV-H200-DEP8-1k1k", "Llama 4 Maverick FP8", "llama-4-maverick", ("h200-sxm", 8, Expert), FP8, None, (1000, 1000), Tput(4146.0), SNEW),
    row("TRTNEW-L4MAV-H200-DEP8-1024-1024", "Llama 4 Maverick FP8", "llama-4-maverick", ("h200-sxm", 8, Expert), FP8, None, (1024, 1024), Tput(4180.0), SNEW),
    row("TRTNEW-L4MAV-H200-DEP8-1k8k", "Llama 4 Maverick FP8", "llama-4-maverick", ("h200-sxm", 8, Expert), FP8, None, (1024, 8192), Tput(1157.0), SNEW),
    row("TRTNEW-L4MAV-H200-DEP8-1k32k", "Llama 4 Maverick FP8", "llama-4-maverick", ("h200-sxm", 8, Expert), FP8, None, (1024, 32768), Tput(679.0), SNEW),
    row("TRTNEW-L4MAV-H200-DEP8-8k1k", "Llama 4 Maverick FP8", "llama-4-maverick", ("h200-sxm", 8, Expert), FP8, None, (8192, 1024), Tput(1276.0), SNEW),
    row("TRTNEW-L33-70B-RTX6000-TP1-1k1k", "Llama 3.3 70B FP4", "llama-3.1-70b", ("rtx-pro-6000-blackwell", 1, Tensor), (Fp4, Fp8, Fp4), None, (1000, 1000), Tput(1724.0), SNEW),
    row("TRTNEW-L33-70B-RTX6000-TP1-1024-1024", "Llama 3.3 70B FP4", "llama-3.1-70b", ("rtx-pro-6000-blackwell", 1, Tensor), (Fp4, Fp8, Fp4), None, (1024, 1024), Tput(1708.0), SNEW),
    row("TRTNEW-L33-70B-RTX6000-TP1-8k1k", "Llama 3.3 70B FP4", "llama-3.1-70b", ("rtx-pro-6000-blackwell", 1, Tensor), (Fp4, Fp8, Fp4), None, (8192, 1024), Tput(296.0), SNEW),
    row("TRTNEW-QWEN3-235B-RTX6000-DEP8-1k1k", "Qwen3-235B-A22B FP4", "qwen3-235b-a22b", ("rtx-pro-6000-blackwell", 8, Expert), (Fp4, Fp8, Fp4), None, (1000, 1000), Tput(969.0), SNEW),
    row("TRTNEW-QWEN3-235B-RTX6000-DEP8-1024-1024", "Qwen3-235B-A22B FP4", "qwen3-235b-a22b", ("rtx-pro-6000-blackwell", 8, Expert), (Fp4, Fp8, Fp4), None, (1024, 1024), Tput(963.0), SNEW),
    row("TRTNEW-QWEN3-235B-RTX6000-DEP8-1k8k", "Qwen3-235B-A22B FP4", "qwen3-235b-a22b", ("rtx-pro-6000-blackwell", 8, Expert), (Fp4, Fp8, Fp4), None, (1024, 8192), Tput(711.0), SNEW),
    row("TRTNEW-QWEN3-30B-RTX6000-DEP2-1k1k", "Qwen3-30B-A3B FP4", "qwen3-30b-a3b", ("rtx-pro-6000-blackwell", 2, Expert), (Fp4, Fp8, Fp4), None, (1000, 1000), Tput(8409.0), SNEW),
    row("TRTNEW-QWEN3-30B-RTX6000-DEP2-1k8k", "Qwen3-30B-A3B FP4", "qwen3-30b-a3b", ("rtx-pro-6000-blackwell", 2, Expert), (Fp4, Fp8, Fp4), None, (1024, 8192), Tput(3577.0), SNEW),
    row("TRTNEW-QWEN3-30B-RTX6000-DEP8-1k1k", "Qwen3-30B-A3B FP4", "qwen3-30b-a3b", ("rtx-pro-6000-blackwell", 8, Expert), (Fp4, Fp8, Fp4), None, (1000, 1000), Tput(3985.0), SNEW),
    row("TRTNEW-QWEN3-30B-RTX6000-DEP8-1k8k", "Qwen3-30B-A3B FP4", "qwen3-30b-a3b", ("rtx-pro-6000-blackwell", 8, Expert), (Fp4, Fp8, Fp4), None, (1024, 8192), Tput(2406.0), SNEW),
    row("TRTNEW-QWEN3-30B-RTX6000-DEP8-32k1k", "Qwen3-30B-A3B FP4", "qwen3-30b-a3b", ("rtx-pro-6000-blackwell", 8, Expert), (Fp4, Fp8, Fp4), None, (32768, 1024), Tput(180.0), SNEW),
    row("TRTNEW-QWEN3-30B-RTX6000-TP1-1k1k", "Qwen3-30B-A3B FP4", "qwen3-30b-a3b", ("rtx-pro-6000-blackwell", 1, Tensor), (Fp4, Fp8, Fp4), None, (1000, 1000), Tput(9938.0), SNEW),
    row("TRTNEW-QWEN3-30B-RTX6000-TP1-1024-1024", "Qwen3-30B-A3B FP4", "qwen3-30b-a3b", ("rtx-pro-6000-blackwell", 1, Tensor), (Fp4, Fp8, Fp4), None, (1024, 1024), Tput(9755.0), SNEW),
    row("TRTNEW-QWEN3-30B-RTX6000-TP1-1k8k", "Qwen3-30B-A3B FP4", "qwen3-30b-a3b", ("rtx-pro-6000-blackwell", 1, Tensor), (Fp4, Fp8, Fp4), None, (1024, 8192), Tput(3621.0), SNEW),
    row("TRTNEW-QWEN3-30B-RTX6000-TP1-8k1k", "Qwen3-30B-A3B FP4", "qwen3-30b-a3b", ("rtx-pro-6000-blackwell", 1, Tensor), (Fp4, Fp8, Fp4), None, (8192, 1024), Tput(1914.0), SNEW),
    row("TRTNEW-QWEN3-30B-RTX6000-TP1-32k1k", "Qwen3-30B-A3B FP4", "qwen3-30b-a3b", ("rtx-pro-6000-blackwell", 1, Tensor), (Fp4, Fp8, Fp4), None, (32768, 1024), Tput(374.0), SNEW),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks every `| TR…` table row of a measurements file against MEASUREMENTS: id, GPUs,
    /// parallelism, lengths, value, and the weights / KV precisions; returns the rows seen.
    fn check_file(text: &str) -> usize {
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
            let (w, kv) = cells[4].split_once('/').unwrap();
            let prec = |p: &str| match p.trim() {
                "fp4" | "mxfp4" => Some(Precision::Fp4),
                "fp8" => Some(Precision::Fp8),
                "fp16" => Some(Precision::Fp16),
                // "auto" / "not": the checkpoint's, not quantised: bf16.
                "auto" | "not" => Some(Bf16),
                _ => None,
            };
            assert_eq!(prec(w), Some(m.weights), "{id}: weights");
            let kv_want = if m.kv_cache == Precision::Fp16 {
                Bf16
            } else {
                m.kv_cache
            };
            let kv_have = prec(kv).map(|p| if p == Precision::Fp16 { Bf16 } else { p });
            assert_eq!(kv_have, Some(kv_want), "{id}: KV cache");
            let (i, o) = cells[6].split_once('/').unwrap();
            assert_eq!(i.trim().parse::<u64>().unwrap(), m.input_tokens, "{id}");
            assert_eq!(o.trim().parse::<u64>().unwrap(), m.output_tokens, "{id}");
            assert_eq!(cells[8].parse::<f64>().unwrap(), m.metric.value(), "{id}");
            let ep = cells[5].starts_with("expert");
            assert_eq!(ep, m.parallelism == Parallelism::Expert, "{id}");
            let n: u32 = cells[5]
                .trim_start_matches(|c: char| !c.is_ascii_digit())
                .parse()
                .unwrap();
            assert_eq!(n, m.chips, "{id}: parallel degree");
            seen += 1;
        }
        seen
    }

    /// The second set as published in data/measurements-2.md.
    #[test]
    fn second_set_matches_its_file() {
        assert_eq!(check_file(include_str!("../../data/measurements-2.md")), 13);
    }

    /// The third set as published in data/measurements-3.md: every row is in MEASUREMENTS as
    /// the file states it, and the cells it leaves to the second set are there.
    #[test]
    fn third_set_matches_its_file() {
        let text = include_str!("../../data/measurements-3.md");
        assert_eq!(check_file(text), 133);
        let second = include_str!("../../data/measurements-2.md");
        let intro = text.split("| id |").next().unwrap();
        let referenced: Vec<&str> = intro
            .split(|c: char| c.is_whitespace() || c == ',' || c == ':' || c == '.')
            .filter(|w| w.starts_with("TRTNEW-"))
            .collect();
        assert_eq!(referenced.len(), 6, "{referenced:?}");
        for id in referenced {
            assert!(
                second.contains(&format!("| {id} |")),
                "{id} is not in measurements-2.md"
            );
            assert!(MEASUREMENTS.iter().any(|m| m.id == id), "{id}");
        }
        // Every perf-overview row: 106 cells of the six main tables, 17 of the Llama 4
        // Maverick table and the 16 RTX PRO 6000 cells without pipeline stages.
        assert_eq!(MEASUREMENTS.iter().filter(|m| m.source == NEW).count(), 139);
    }

    /// MoE is the preset's, not a list: the MoE presets are MoE and the dense ones dense.
    #[test]
    fn moe_comes_from_the_preset() {
        let moe = |id: &str| MEASUREMENTS.iter().find(|m| m.id == id).unwrap().is_moe();
        assert!(moe("TRTNEW-QWEN3-30B-B200-TP1-1k1k"));
        assert!(moe("TRTNEW-GPTOSS20B-H100-TP1-1k1k"));
        assert!(moe("18"));
        assert!(!moe("TRTNEW-L33-70B-B200-TP1-1k1k"));
        assert!(!moe("21") && !moe("GPTJ-TTFT-128"));
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
