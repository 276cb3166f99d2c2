//! Build script.
//!
//! 1. Compiles the presets and prices in `data/` (the single source, with their notes) into
//!    Rust tables: `$OUT_DIR/presets_data.rs` (read by src/catalogue/presets.rs) and
//!    `$OUT_DIR/pricing_data.rs` (src/catalogue/pricing.rs). So neither the page nor the
//!    command line parses JSON for them, and the notes sit in tables of their own that only
//!    the code showing them (the command line, the tests) reads, which keeps them out of the
//!    web page's WebAssembly. Invalid data fails the build with a message naming the file and
//!    the entry. What this adds to the JSON (halved link bandwidth, price midpoints, the
//!    estimates of src/catalogue/estimates.rs) is what src/catalogue/presets.rs documents; a
//!    unit test there checks the tables equal the JSON read by the parser they replaced
//!    (src/catalogue/oracle.rs).
//! 2. For the web app (the `roofline-web` binary on wasm32) asks the linker to keep its
//!    relocations (`--emit-relocs`), which wasm-split needs to cut the lazily loaded panels
//!    (`#[lazy]` in src/ui/lazy.rs) into chunks of their own (scripts/trunk_post_build.mjs).
//!    The relocation sections are dropped again by wasm-bindgen and wasm-opt.

#[path = "src/catalogue/estimates.rs"]
mod estimates;

use estimates::{HARDWARE_ESTIMATES, PARALLEL_UNITS};
use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/catalogue/estimates.rs");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bin=roofline-web=--emit-relocs");
    }
    let out = std::env::var("OUT_DIR").expect("OUT_DIR");
    let out = Path::new(&out);
    let result = (|| -> Result<(), String> {
        let hardware = hardware(&read("data/hardware.json")?)?;
        let models = models(&read("data/models.json")?)?;
        write(&out.join("presets_data.rs"), &(hardware + &models))?;
        write(
            &out.join("pricing_data.rs"),
            &pricing(&read("data/pricing.json")?)?,
        )
    })();
    if let Err(e) = result {
        // cargo shows a build script's stderr when it fails.
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

/// The JSON of `path` (relative to the package), watched for changes.
fn read(path: &str) -> Result<Value, String> {
    println!("cargo:rerun-if-changed={path}");
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// A string value, or the strings of an array joined with "; ", or "" (as the run-time
/// parser read them).
fn text(v: &Value, key: &str) -> String {
    match &v[key] {
        Value::String(s) => s.clone(),
        Value::Array(a) => a
            .iter()
            .filter_map(|x| x.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        _ => String::new(),
    }
}

/// A finite positive number, else `None`.
fn num(v: &Value, key: &str) -> Option<f64> {
    v[key].as_f64().filter(|x| x.is_finite() && *x > 0.0)
}

fn int(v: &Value, key: &str) -> Option<u64> {
    v[key].as_u64()
}

/// A Rust string literal.
fn lit(s: &str) -> String {
    format!("{s:?}")
}

/// A Rust f64 literal that reads back as exactly `x` (`{:?}` round-trips).
fn f(x: f64) -> String {
    let s = format!("{x:?}");
    if s.contains(['.', 'e']) {
        s
    } else {
        format!("{s}.0")
    }
}

fn opt<T>(v: Option<T>, show: impl Fn(T) -> String) -> String {
    v.map_or("None".into(), |x| format!("Some({})", show(x)))
}

fn opt_u(v: Option<u64>) -> String {
    opt(v, |x| x.to_string())
}

/// One field mark as Rust: `FieldMark { field, mark, note }`.
fn mark(field: &str, sourced: bool, note: &str) -> String {
    let m = if sourced { "Sourced" } else { "Estimated" };
    format!(
        "FieldMark {{ field: {}, mark: Mark::{m}, note: {} }}",
        lit(field),
        lit(note)
    )
}

/// The entry's `id`: present, not blank and not seen before in `file`.
fn entry_id(
    file: &str,
    what: &str,
    i: usize,
    v: &Value,
    seen: &mut BTreeSet<String>,
) -> Result<String, String> {
    let id = text(v, "id");
    if id.trim().is_empty() {
        return Err(format!("{file}: {what} #{} has no id", i + 1));
    }
    if !seen.insert(id.clone()) {
        return Err(format!("{file}: {what} {id:?} appears twice"));
    }
    if text(v, "name").trim().is_empty() {
        return Err(format!("{file}: {what} {id:?} has no name"));
    }
    Ok(id)
}

/// `data/hardware.json` as `HARDWARE_ROWS` and `HARDWARE_NOTES`; accelerators lacking
/// bf16/fp16 peak, bandwidth, capacity or link bandwidth are left out (Groq, Cerebras and
/// Apple entries), as are those with no price and no estimate.
fn hardware(root: &Value) -> Result<String, String> {
    const FILE: &str = "data/hardware.json";
    let list = root["accelerators"]
        .as_array()
        .ok_or(format!("{FILE}: no accelerators array"))?;
    let mut rows = String::new();
    let mut notes = String::new();
    let mut seen = BTreeSet::new();
    for (i, a) in list.iter().enumerate() {
        let id = entry_id(FILE, "accelerator", i, a, &mut seen)?;
        let mut peak = Vec::new();
        for (key, p) in [
            ("fp32_dense_tflops", "Fp32"),
            ("bf16_dense_tflops", "Bf16"),
            ("fp16_dense_tflops", "Fp16"),
            ("fp8_dense_tflops", "Fp8"),
            ("int8_dense_tops", "Int8"),
            ("fp4_dense_tflops", "Fp4"),
            ("int4_dense_tops", "Int4"),
        ] {
            if let Some(t) = num(a, key) {
                peak.push((p, t * 1e12));
            }
        }
        let (Some(bw), Some(mem), Some(link)) = (
            num(a, "hbm_bandwidth_tbps"),
            num(a, "memory_gb"),
            num(a, "scale_up_bw_gbps"),
        ) else {
            continue;
        };
        if !peak.iter().any(|(p, _)| *p == "Bf16" || *p == "Fp16") {
            continue;
        }
        let mut marks = vec![
            mark(
                "hardware.peak_flops",
                true,
                "dense figures (*_dense_tflops / *_dense_tops) × 1e12",
            ),
            mark(
                "hardware.interconnect_bandwidth",
                false,
                &format!(
                    "half of scale_up_bw_gbps {link} GB/s ({}), one direction",
                    text(a, "scale_up_bw_direction")
                ),
            ),
        ];
        let price = &a["cloud_usd_per_gpu_hour"];
        let price_per_hour = if let Some(r) = price["approx_range"].as_array() {
            let lo = r.first().and_then(Value::as_f64).unwrap_or(0.0);
            let hi = r.last().and_then(Value::as_f64).unwrap_or(lo);
            marks.push(mark(
                "hardware.price_per_hour",
                true,
                &format!(
                    "midpoint of the cloud range ${lo}–${hi} ({}, {})",
                    text(price, "as_of"),
                    text(price, "source")
                ),
            ));
            (lo + hi) / 2.0
        } else if let Some(p) = num(price, "usd_per_chip_hour") {
            marks.push(mark(
                "hardware.price_per_hour",
                true,
                &format!("${p} ({}, {})", text(price, "as_of"), text(price, "source")),
            ));
            p
        } else if let Some((_, _, p, note)) = HARDWARE_ESTIMATES
            .iter()
            .find(|(i, f, _, _)| *i == id && *f == "price_per_hour")
        {
            marks.push(mark("hardware.price_per_hour", false, note));
            *p
        } else {
            continue;
        };
        let power = match num(a, "tdp_w") {
            Some(w) => {
                marks.push(mark("hardware.power", true, "tdp_w"));
                w
            }
            None => {
                marks.push(mark(
                    "hardware.power",
                    false,
                    "not published; 0 means unknown",
                ));
                0.0
            }
        };
        let units = match PARALLEL_UNITS.iter().find(|(i, ..)| *i == id) {
            Some((_, sms, tile, note)) => {
                marks.push(mark("hardware.streaming_multiprocessors", false, note));
                format!("Some(({sms}, {tile}))")
            }
            None => "None".into(),
        };
        let note = text(a, "host_note");
        let host_memory = match num(a, "host_memory_gb_per_chip") {
            Some(gb) => {
                marks.push(mark(
                    "hardware.host_memory_capacity",
                    false,
                    &format!("host_memory_gb_per_chip {gb} GB: {note}"),
                ));
                f(gb * 1e9)
            }
            None => {
                marks.push(mark(
                    "hardware.host_memory_capacity",
                    false,
                    "not in data/hardware.json; assumed 256 GB per chip (an HGX server's 2 TB over 8 GPUs)",
                ));
                "HardwareSpec::DEFAULT_HOST_MEMORY_CAPACITY".into()
            }
        };
        let host_link = match num(a, "host_link_gbps_each_way") {
            Some(g) => {
                marks.push(mark(
                    "hardware.host_link_bandwidth",
                    true,
                    &format!(
                        "host_link_gbps_each_way {g} GB/s ({})",
                        text(a, "host_link")
                    ),
                ));
                f(g * 1e9)
            }
            None => {
                marks.push(mark(
                    "hardware.host_link_bandwidth",
                    false,
                    "not in data/hardware.json; assumed PCIe Gen5 x16, 64 GB/s each way",
                ));
                "HardwareSpec::DEFAULT_HOST_LINK_BANDWIDTH".into()
            }
        };
        let verification = text(a, "verification");
        let level = verification.split([' ', ';', '(']).next().unwrap_or("");
        let peak = peak
            .iter()
            .map(|(p, v)| format!("(Precision::{p}, {})", f(*v)))
            .collect::<Vec<_>>()
            .join(", ");
        writeln!(
            rows,
            "    HardwareRow {{ id: {}, name: {}, vendor: {}, level: {}, peak_flops: &[{peak}], \
             memory_bandwidth: {}, memory_capacity: {}, interconnect_bandwidth: {}, \
             price_per_hour: {}, power: {}, units: {units}, host_memory_capacity: {host_memory}, \
             host_link_bandwidth: {host_link} }},",
            lit(&id),
            lit(&text(a, "name")),
            lit(&text(a, "vendor")),
            lit(level),
            f(bw * 1e12),
            f(mem * 1e9),
            f(link * 1e9 / 2.0),
            f(price_per_hour),
            f(power),
        )
        .unwrap();
        writeln!(
            notes,
            "    Notes {{ source: {}, verification: {}, marks: &[{}] }},",
            lit(&text(a, "sources")),
            lit(&verification),
            marks.join(", ")
        )
        .unwrap();
    }
    for (id, ..) in HARDWARE_ESTIMATES {
        if !seen.contains(*id) {
            return Err(format!("src/catalogue/estimates.rs: HARDWARE_ESTIMATES names {id:?}, which {FILE} does not have"));
        }
    }
    for (id, ..) in PARALLEL_UNITS {
        if !seen.contains(*id) {
            return Err(format!("src/catalogue/estimates.rs: PARALLEL_UNITS names {id:?}, which {FILE} does not have"));
        }
    }
    Ok(format!(
        "// Generated by build.rs from {FILE} and src/catalogue/estimates.rs: do not edit.\n\n\
         /// The hardware presets, in the file's order.\n\
         static HARDWARE_ROWS: &[HardwareRow] = &[\n{rows}];\n\n\
         /// Each hardware preset's sources and marks (same order).\n\
         static HARDWARE_NOTES: &[Notes] = &[\n{notes}];\n\n"
    ))
}

/// A precision's name as the files write it (`fp8`), as the `Precision` variant.
fn precision(name: &str) -> Option<&'static str> {
    [
        ("fp32", "Fp32"),
        ("bf16", "Bf16"),
        ("fp16", "Fp16"),
        ("fp8", "Fp8"),
        ("int8", "Int8"),
        ("fp4", "Fp4"),
        ("int4", "Int4"),
    ]
    .into_iter()
    .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
    .map(|(_, v)| v)
}

/// `data/models.json` as `MODEL_ROWS` and `MODEL_NOTES`.
fn models(root: &Value) -> Result<String, String> {
    const FILE: &str = "data/models.json";
    let list = root["models"]
        .as_array()
        .ok_or(format!("{FILE}: no models array"))?;
    let mut rows = String::new();
    let mut notes = String::new();
    let mut seen = BTreeSet::new();
    for (i, m) in list.iter().enumerate() {
        let id = entry_id(FILE, "model", i, m, &mut seen)?;
        let (row, marks) = model(m, &id).map_err(|e| format!("{FILE}: model {id:?}: {e}"))?;
        rows.push_str(&row);
        writeln!(
            notes,
            "    Notes {{ source: {}, verification: {}, marks: &[{}] }},",
            lit(&text(m, "source")),
            lit(&text(m, "verification")),
            marks.join(", ")
        )
        .unwrap();
    }
    Ok(format!(
        "/// The model presets, in the file's order.\n\
         static MODEL_ROWS: &[ModelRow] = &[\n{rows}];\n\n\
         /// Each model preset's sources and marks (same order).\n\
         static MODEL_NOTES: &[Notes] = &[\n{notes}];\n"
    ))
}

/// One model entry as a `ModelRow` literal, and its marks.
fn model(m: &Value, id: &str) -> Result<(String, Vec<String>), String> {
    let need = |key: &str| int(m, key).ok_or_else(|| format!("missing {key} (a whole number)"));
    let small = |key: &str| -> Result<Option<u32>, String> {
        match int(m, key) {
            None => Ok(None),
            Some(v) => u32::try_from(v)
                .map(Some)
                .map_err(|_| format!("{key} {v} is too large")),
        }
    };
    let layers = need("num_hidden_layers")?;
    let heads = need("num_attention_heads")?;
    let mut marks = Vec::new();
    let mla = m["kv_lora_rank"].is_u64();
    let head_dim = if mla {
        let hd = need("qk_nope_head_dim")? + need("qk_rope_head_dim")?;
        marks.push(mark(
            "model.head_dim",
            true,
            "qk_nope_head_dim + qk_rope_head_dim (the query/key head width)",
        ));
        hd
    } else {
        need("head_dim")?
    };
    let moe = match int(m, "n_routed_experts") {
        Some(e) => {
            let dense_layers = match int(m, "interleave_moe_layer_step") {
                // Llama 4: MoE on every step-th layer (moe_layers = range(step − 1, L, step),
                // ⌊L / step⌋ of them); the counts are per-layer sums, so the dense layers
                // are counted as if they came first.
                Some(step) if step > 0 => {
                    let dense = layers - layers / step;
                    marks.push(mark(
                        "model.moe.dense_layers",
                        true,
                        &format!(
                            "{dense}: layers − ⌊layers ÷ interleave_moe_layer_step {step}⌋ (MoE on every {step}th layer; counted as if the dense layers came first, which changes no per-layer sum)"
                        ),
                    ));
                    dense as u32
                }
                _ => int(m, "first_k_dense_replace").unwrap_or(0) as u32,
            };
            format!(
                "Some(Moe {{ experts: {}, experts_per_token: {}, shared_experts: {}, \
                 expert_intermediate_size: {}, dense_layers: {dense_layers} }})",
                e as u32,
                need("num_experts_per_tok")? as u32,
                int(m, "n_shared_experts").unwrap_or(0) as u32,
                need("moe_intermediate_size")?,
            )
        }
        None => "None".into(),
    };
    let attention_desc = text(m, "attention");
    // Llama 4's chunked local attention: a chunk of attention_chunk_size caches at most that
    // many tokens, modelled as a sliding window of the same size on the chunked layers.
    let chunk = int(m, "attention_chunk_size");
    let window = chunk.or_else(|| int(m, "sliding_window"));
    let window_layers = match window {
        None => 0,
        Some(c) if chunk.is_some() => {
            let interval = int(m, "no_rope_layer_interval").unwrap_or(4).max(1);
            let global = layers / interval;
            marks.push(mark(
                "model.sliding_window_layers",
                false,
                &format!(
                    "{} chunked layers (every {interval}th of {layers} is global: no_rope_layer_interval {interval}) modelled as a sliding window of attention_chunk_size {c}: a chunk holds 1 to {c} tokens, a window always {c}, so past {c} tokens these layers' KV memory and reads are overstated by up to 2×",
                    layers - global
                ),
            ));
            layers - global
        }
        Some(_) if attention_desc.contains("alternat") => {
            marks.push(mark(
                "model.sliding_window_layers",
                true,
                "half the layers: sliding and full attention alternate",
            ));
            layers / 2
        }
        Some(_) if attention_desc.contains("5 local") => {
            let global = layers / 6;
            marks.push(mark(
                "model.sliding_window_layers",
                true,
                &format!(
                    "every 6th layer global ({global}), the rest local: sliding_window_pattern 6"
                ),
            ));
            layers - global
        }
        Some(_) => {
            marks.push(mark(
                "model.sliding_window_layers",
                true,
                "the window applies to every layer",
            ));
            layers
        }
    };
    let tied = match m["tie_word_embeddings"].as_bool() {
        Some(t) => t,
        None => {
            // Gemma ties its embeddings (Gemma3TextConfig default); the others are untied.
            let t = id.starts_with("gemma");
            marks.push(mark(
                "model.tied_embeddings",
                false,
                &format!("not in models.json; {t} per the model family's config default"),
            ));
            t
        }
    };
    let prec = |key: &str| -> Result<String, String> {
        match &m[key] {
            Value::Null => Ok("None".into()),
            Value::String(p) => precision(p)
                .map(|v| format!("Some(Precision::{v})"))
                .ok_or_else(|| format!("{key} {p:?} is not a precision")),
            other => Err(format!("{key} {other} is not a precision name")),
        }
    };
    let layer_kinds = format!(
        "LayerKinds {{ linear_attention_layers: {}, linear_key_heads: {}, linear_value_heads: {}, \
         linear_key_head_dim: {}, linear_value_head_dim: {}, linear_conv_kernel: {}, \
         linear_state_precision: {}, sparse_top_k: {}, indexer_heads: {}, indexer_head_dim: {}, \
         indexer_key_precision: {} }}",
        small("linear_attention_layers")?.unwrap_or(0),
        opt_u(small("linear_num_key_heads")?.map(u64::from)),
        opt_u(small("linear_num_value_heads")?.map(u64::from)),
        opt_u(int(m, "linear_key_head_dim")),
        opt_u(int(m, "linear_value_head_dim")),
        opt_u(int(m, "linear_conv_kernel_dim")),
        prec("linear_state_precision")?,
        opt_u(int(m, "index_topk")),
        opt_u(small("index_n_heads")?.map(u64::from)),
        opt_u(int(m, "index_head_dim")),
        prec("index_key_precision")?,
    );
    // Precisions of a linear state or index keys are the serving engine's, not the config's.
    for (field, key) in [
        ("model.linear_state_precision", "linear_state_precision"),
        ("model.indexer_key_precision", "index_key_precision"),
    ] {
        if m[key].is_string() {
            marks.push(mark(field, false, &text(m, &format!("{key}_note"))));
        }
    }
    let params = |key: &str| opt(num(m, key), |b| f(b * 1e9));
    let row = format!(
        "    ModelRow {{ id: {}, name: {}, hf_repo: {}, max_context: {}, spec: ModelSpec {{ \
         name: String::new(), layers: {}, hidden_size: {}, intermediate_size: {}, \
         attention_heads: {}, kv_heads: {}, head_dim: {head_dim}, vocab_size: {}, \
         tied_embeddings: {tied}, attention: Attention::{}, kv_lora_rank: {}, \
         qk_rope_head_dim: {}, q_lora_rank: {}, sliding_window: {}, \
         sliding_window_layers: {}, moe: {moe}, total_params: {}, active_params: {}, \
         layer_kinds: {layer_kinds} }} }},\n",
        lit(id),
        lit(&text(m, "name")),
        lit(&text(m, "hf_repo")),
        need("max_context")?,
        layers as u32,
        need("hidden_size")?,
        need("intermediate_size")?,
        heads as u32,
        need("num_key_value_heads")? as u32,
        need("vocab_size")?,
        if mla { "Mla" } else { "Gqa" },
        opt_u(int(m, "kv_lora_rank")),
        opt_u(if mla {
            int(m, "qk_rope_head_dim")
        } else {
            None
        }),
        opt_u(int(m, "q_lora_rank")),
        opt_u(window),
        window_layers as u32,
        params("total_params_b"),
        params("active_params_b"),
    );
    Ok((row, marks))
}

/// `data/pricing.json` as the `PRICING` static and the notes tables beside it.
fn pricing(root: &Value) -> Result<String, String> {
    const FILE: &str = "data/pricing.json";
    let as_of = root["_meta"]["as_of"]
        .as_str()
        .ok_or(format!("{FILE}: no _meta.as_of"))?;
    let list = |key: &str, need: bool| -> Result<Vec<Value>, String> {
        match &root[key] {
            Value::Array(a) => Ok(a.clone()),
            Value::Null if !need => Ok(Vec::new()),
            _ => Err(format!("{FILE}: no {key} array")),
        }
    };
    // Field readers for entry `e` of list `key`, whose errors name the file and entry.
    struct Entry<'a> {
        e: &'a Value,
        at: String,
    }
    impl Entry<'_> {
        fn string(&self, k: &str, need: bool) -> Result<String, String> {
            match &self.e[k] {
                Value::String(s) => Ok(s.clone()),
                Value::Null if !need => Ok(String::new()),
                Value::Null => Err(format!("{}: missing {k}", self.at)),
                v => Err(format!("{}: {k} {v} is not text", self.at)),
            }
        }
        fn number(&self, v: &Value, k: &str) -> Result<Option<f64>, String> {
            match v {
                Value::Null => Ok(None),
                Value::Number(n) => Ok(n.as_f64()),
                v => Err(format!("{}: {k} {v} is not a number", self.at)),
            }
        }
        fn need(&self, k: &str) -> Result<f64, String> {
            self.number(&self.e[k], k)?
                .ok_or_else(|| format!("{}: missing {k}", self.at))
        }
        fn maybe(&self, k: &str) -> Result<String, String> {
            Ok(opt(self.number(&self.e[k], k)?, f))
        }
        fn tier(&self, k: &str) -> Result<String, String> {
            let t = &self.e[k];
            let below = self
                .number(&t["below"], &format!("{k}.below"))?
                .ok_or_else(|| format!("{}: missing {k}.below", self.at))?;
            let above = self.number(&t["above"], &format!("{k}.above"))?;
            Ok(format!(
                "TierPrice {{ below: {}, above: {} }}",
                f(below),
                opt(above, f)
            ))
        }
        fn in_out(&self, k: &str) -> Result<String, String> {
            let t = &self.e[k];
            if t.is_null() {
                return Ok("None".into());
            }
            let get = |x: &str| {
                self.number(&t[x], &format!("{k}.{x}"))?
                    .ok_or_else(|| format!("{}: missing {k}.{x}", self.at))
            };
            Ok(format!(
                "Some(InOut {{ input: {}, output: {} }})",
                f(get("input")?),
                f(get("output")?)
            ))
        }
    }
    fn entries<'a>(key: &str, items: &'a [Value]) -> Vec<Entry<'a>> {
        items
            .iter()
            .enumerate()
            .map(|(i, e)| Entry {
                e,
                at: format!(
                    "{FILE}: {key} #{} ({})",
                    i + 1,
                    e["model"].as_str().unwrap_or("no model")
                ),
            })
            .collect()
    }
    let mut out = format!(
        "// Generated by build.rs from {FILE}: do not edit.\n\n\
         /// The compiled-in prices.\n\
         static PRICING: Pricing = Pricing {{\n    as_of: {},\n",
        lit(as_of)
    );
    let mut notes = String::new();
    let context_list = list("context_tiers", true)?;
    let context = entries("context_tiers", &context_list);
    out.push_str("    context_tiers: [\n");
    notes.push_str("/// Each context tier's source and confidence (same order).\nstatic CONTEXT_TIER_NOTES: &[PriceNotes] = &[\n");
    for (i, t) in context.iter().enumerate() {
        writeln!(
            out,
            "        ContextTier {{ provider: {}, model: {}, threshold_input_tokens: {}, input: {}, output: {}, read: {}, notes: {i} }},",
            lit(&t.string("provider", true)?),
            lit(&t.string("model", true)?),
            f(t.need("threshold_input_tokens")?),
            t.tier("input")?,
            t.tier("output")?,
            lit(&t.string("read", false)?),
        )
        .unwrap();
        writeln!(
            notes,
            "    PriceNotes {{ source: {}, confidence: {}, note: {} }},",
            lit(&t.string("source", false)?),
            lit(&t.string("confidence", false)?),
            lit(&t.string("note", false)?),
        )
        .unwrap();
    }
    out.push_str("    ],\n    speed_tiers: [\n");
    notes.push_str("];\n\n/// Each speed tier's source, confidence and note (same order).\nstatic SPEED_TIER_NOTES: &[PriceNotes] = &[\n");
    let speed_list = list("speed_tiers", true)?;
    let speed = entries("speed_tiers", &speed_list);
    for (i, t) in speed.iter().enumerate() {
        writeln!(
            out,
            "        SpeedTier {{ provider: {}, tier: {}, model: {}, standard: {}, fast: {}, multiplier_claimed: {}, stated_speed: {}, read: {}, notes: {i} }},",
            lit(&t.string("provider", true)?),
            lit(&t.string("tier", true)?),
            lit(&t.string("model", true)?),
            t.in_out("standard")?,
            t.in_out("fast")?,
            t.maybe("multiplier_claimed")?,
            lit(&t.string("stated_speed", false)?),
            lit(&t.string("read", false)?),
        )
        .unwrap();
        writeln!(
            notes,
            "    PriceNotes {{ source: {}, confidence: {}, note: {} }},",
            lit(&t.string("source", false)?),
            lit(&t.string("confidence", false)?),
            lit(&t.string("note", false)?),
        )
        .unwrap();
    }
    out.push_str("    ],\n    cached_input: [\n");
    notes.push_str("];\n\n/// Each cached-input price's source, confidence and note (same order).\nstatic CACHED_INPUT_NOTES: &[PriceNotes] = &[\n");
    let cached_list = list("cached_input", false)?;
    let cached = entries("cached_input", &cached_list);
    for (i, c) in cached.iter().enumerate() {
        writeln!(
            out,
            "        CachedInputPrice {{ provider: {}, model: {}, input: {}, cached_input: {}, cache_write: {}, storage_per_hour: {}, read: {}, notes: {i} }},",
            lit(&c.string("provider", true)?),
            lit(&c.string("model", true)?),
            f(c.need("input")?),
            f(c.need("cached_input")?),
            c.maybe("cache_write")?,
            c.maybe("storage_per_hour")?,
            lit(&c.string("read", true)?),
        )
        .unwrap();
        writeln!(
            notes,
            "    PriceNotes {{ source: {}, confidence: {}, note: {} }},",
            lit(&c.string("source", true)?),
            lit(&c.string("confidence", false)?),
            lit(&c.string("note", false)?),
        )
        .unwrap();
    }
    out.push_str("    ],\n};\n\n");
    notes.push_str("];\n");
    writeln!(
        out,
        "/// Entries per list.\nconst CONTEXT_TIERS: usize = {};\nconst SPEED_TIERS: usize = {};\nconst CACHED_INPUTS: usize = {};\n",
        context.len(),
        speed.len(),
        cached.len()
    )
    .unwrap();
    Ok(out + &notes)
}
