//! What the preset files do not give, by chip id: estimated prices and the parallel units
//! (SM, CU or MXU counts) with tile edges, each with its note. Read by build.rs, which joins
//! them with `data/hardware.json` into the compiled-in presets, and by the test parser in
//! `oracle.rs`; so this file must stay plain constants that need nothing from the crate.

/// Prices, SM counts and tile sizes the JSON does not give: (id, field, value, note).
pub const HARDWARE_ESTIMATES: &[(&str, &str, f64, &str)] = &[
    ("h100-pcie", "price_per_hour", 2.0, "no price in data/hardware.json; estimated at about the H100 SXM range's low end"),
    ("gb200-per-gpu", "price_per_hour", 5.25, "no price in data/hardware.json; estimated equal to the B200 range's midpoint (same GPU die)"),
    ("gb300-per-gpu", "price_per_hour", 6.5, "no per-GPU-hour price published (NVL72 racks are rented whole or by superchip); estimated at the GB200 estimate ($5.25) × 1.25, the ratio of the GB300 to GB200 NVL72 rack prices ($3.7–5.0M vs $3.0–3.9M, ornnai.com 2026), inside the B300 range $5.00–7.25"),
    ("mi355x", "price_per_hour", 2.5, "no price in data/hardware.json; estimated a little above the MI325X range"),
    ("l40s", "price_per_hour", 1.0, "no price in data/hardware.json; estimated from typical on-demand L40S listings (author knowledge)"),
    ("rtx-4090", "price_per_hour", 0.4, "no price in data/hardware.json; estimated from typical community-cloud listings (author knowledge)"),
    ("rtx-pro-6000-blackwell", "price_per_hour", 1.5, "no cloud price found in this session; estimated between the L40S estimate ($1.0; a PCIe card of similar list price) and the H100 PCIe estimate ($2.0; about 3x the card's price): the card lists at $8,565 (MSRP, newgearhub.com 2026), with twice the L40S's memory and bandwidth"),
    ("tpu7x-ironwood", "price_per_hour", 6.0, "no price in data/hardware.json; estimated above the v5p's $4.2"),
];

/// Streaming multiprocessors (NVIDIA), compute units (AMD) or matrix units (TPU, 4 MXUs per
/// TensorCore), and the tile edge: vendor architecture documents, not in the JSON.
pub const PARALLEL_UNITS: &[(&str, u32, u32, &str)] = &[
    (
        "a100-sxm-80gb",
        108,
        128,
        "108 SMs (NVIDIA A100 whitepaper)",
    ),
    ("h100-sxm", 132, 128, "132 SMs (NVIDIA H100 whitepaper)"),
    ("h100-pcie", 114, 128, "114 SMs (data/hardware.json notes)"),
    ("h200-sxm", 132, 128, "132 SMs, the H100's GH100 die"),
    (
        "b200-hgx",
        148,
        128,
        "148 SMs (author knowledge, unverified)",
    ),
    (
        "gb200-per-gpu",
        148,
        128,
        "148 SMs, as B200 (author knowledge, unverified)",
    ),
    (
        "b300-hgx",
        160,
        128,
        "160 SMs in Blackwell Ultra's full implementation (NVIDIA technical blog 'Inside NVIDIA Blackwell Ultra'); the count enabled on shipping parts unverified",
    ),
    (
        "gb300-per-gpu",
        160,
        128,
        "160 SMs, as b300-hgx (same Blackwell Ultra die)",
    ),
    (
        "l40s",
        142,
        128,
        "142 SMs (NVIDIA L40S datasheet, author knowledge)",
    ),
    (
        "rtx-4090",
        128,
        128,
        "128 SMs (Ada whitepaper, author knowledge)",
    ),
    (
        "rtx-pro-6000-blackwell",
        188,
        128,
        "188 SMs of GB202's 192 (NVIDIA GTC 2025 figures as reported by topcpu.net; 752 Tensor Cores = 188 × 4)",
    ),
    (
        "mi300x",
        304,
        128,
        "304 CUs (AMD CDNA 3 whitepaper, author knowledge)",
    ),
    ("mi325x", 304, 128, "304 CUs, as MI300X"),
    (
        "mi355x",
        256,
        128,
        "256 CUs: 8 XCDs × 32 active CUs (ISSCC 2026, as reported by world-today-news.com)",
    ),
    (
        "tpu-v5e",
        4,
        128,
        "1 TensorCore × 4 MXUs of 128×128 (Google TPU docs, author knowledge)",
    ),
    (
        "tpu-v5p",
        8,
        128,
        "2 TensorCores × 4 MXUs of 128×128 (author knowledge)",
    ),
    (
        "tpu-v6e",
        2,
        256,
        "MXUs of 256×256 (data/hardware.json notes); count 2 is author knowledge",
    ),
    (
        "tpu7x-ironwood",
        8,
        256,
        "2 TensorCores, 256×256 MXUs (author knowledge, unverified)",
    ),
];
