//! Importing a Hugging Face `config.json` (pasted, chosen or dropped): the size limit, the
//! JSON check, the model's display name and the summary line.

use crate::catalogue::hf::model_from_hf_config;
use crate::format::truncate;
use crate::scenario::ModelSpec;

/// Largest accepted config file, bytes.
pub const MAX_CONFIG_BYTES: f64 = 1_000_000.0;

/// Refuses a file over [`MAX_CONFIG_BYTES`] before it is read.
pub fn check_size(name: &str, bytes: f64) -> Result<(), String> {
    if bytes > MAX_CONFIG_BYTES {
        return Err(format!(
            "{name} is over 1 MB ({} bytes): not a config.json",
            bytes as u64
        ));
    }
    Ok(())
}

/// Reads config text called `name` (a file name, or "The pasted text"): the model and a
/// one-line summary of it, or what is wrong.
pub fn import_config(text: &str, name: &str) -> Result<(ModelSpec, String), String> {
    check_size(name, text.len() as f64)?;
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| format!("{name} is not JSON: {}", truncate(&e.to_string(), 80)))?;
    let display = value
        .get("_name_or_path")
        .and_then(|v| v.as_str())
        .filter(|s| !s.is_empty())
        .map(|s| s.rsplit('/').next().unwrap_or(s).to_string())
        .unwrap_or_else(|| name.trim_end_matches(".json").to_string());
    let model = model_from_hf_config(text, &display).map_err(|e| e.to_string())?;
    let summary = format!(
        "Imported {}: {} layers, hidden {}, {} heads ({} KV){}",
        model.name,
        model.layers,
        model.hidden_size,
        model.attention_heads,
        model.kv_heads,
        model
            .moe
            .as_ref()
            .map(|m| format!(", {} experts (top-{})", m.experts, m.experts_per_token))
            .unwrap_or_default()
    );
    Ok((model, summary))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LLAMA: &str = r#"{"model_type": "llama", "_name_or_path": "org/Tiny-Llama",
        "num_hidden_layers": 4, "hidden_size": 256, "intermediate_size": 1024,
        "num_attention_heads": 8, "num_key_value_heads": 2, "vocab_size": 1000}"#;

    #[test]
    fn a_config_gives_the_model_and_a_summary() {
        let (m, summary) = import_config(LLAMA, "config.json").unwrap();
        assert_eq!(m.layers, 4);
        assert_eq!(
            summary,
            format!("Imported {}: 4 layers, hidden 256, 8 heads (2 KV)", m.name)
        );
    }

    #[test]
    fn bad_input_says_what_is_wrong() {
        let e = import_config("{not json", "The pasted text").unwrap_err();
        assert!(e.starts_with("The pasted text is not JSON: "), "{e}");
        let big = " ".repeat(1_000_001);
        assert_eq!(
            import_config(&big, "big.json").unwrap_err(),
            "big.json is over 1 MB (1000001 bytes): not a config.json"
        );
        assert!(check_size("f", 1e6).is_ok());
    }
}
