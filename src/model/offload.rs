//! KV offload to host memory: with `Scenario::kv_offload` on, the KV that does not fit in
//! HBM beside the weights lives in the host's memory (`hardware.host_memory_capacity` per
//! chip) and each decode step reads that share over the host link
//! (`hardware.host_link_bandwidth`: PCIe, or NVLink-C2C on Grace parts).
//!
//! Per chip (tensor parallel: the system's numbers ÷ N; expert parallel: one data-parallel
//! rank's), with U = 0.9 (`USABLE_MEMORY_FRACTION`):
//!
//! - HBM room for KV, bytes: R = U·M − weights − resident bytes.
//! - Host room for KV, bytes: U·H (0 with offload off).
//! - KV held in host memory, bytes: K_host = max(0, K − max(R, 0)) for K bytes of the
//!   chip's private KV (HBM fills first).
//! - The step reads every stored KV byte once, so its KV read time is
//!   (K_read − K_host) ÷ (BW·η_bw) + K_host ÷ (BW_host·η_bw), seconds, for K_read bytes read.
//!
//! The two reads are added, not overlapped: the host's share is copied into HBM before
//! attention reads it (a conservative serial model). Limits: when everything fits in HBM,
//! K_host = 0 and the step is today's; when BW_host = BW, the step is that of one HBM of
//! M + H. Prefill is unchanged (the KV it writes streams out as it is produced).

use super::capacity::{stored_weights, Resident};
use super::{Shape, USABLE_MEMORY_FRACTION};
use crate::scenario::{Parallelism, Scenario};

/// Whether `s`'s capacity counts per chip (expert parallel, MoE: data-parallel attention).
fn per_rank(s: &Scenario, sh: &Shape) -> bool {
    s.parallelism == Parallelism::Expert && sh.moe_layers > 0.0
}

/// HBM left for KV on one chip after the weights and `extra` resident bytes, bytes (may be
/// negative: the weights do not fit): U·M − weights per chip − resident per chip.
pub fn hbm_room_per_chip(s: &Scenario, sh: &Shape, chips: f64, extra: Resident) -> f64 {
    let n = chips.max(1.0);
    let m = s.hardware.memory_capacity;
    let (per_chip, total) = stored_weights(s, sh, n);
    if per_rank(s, sh) {
        USABLE_MEMORY_FRACTION * m - per_chip - extra.spread / n - extra.per_chip
    } else {
        (USABLE_MEMORY_FRACTION * n * m - total - extra.total(n)) / n
    }
}

/// Host memory one chip's KV may use, bytes: U·H with offload on, else 0.
pub fn host_room_per_chip(s: &Scenario) -> f64 {
    if s.kv_offload {
        USABLE_MEMORY_FRACTION * s.hardware.host_memory_capacity.max(0.0)
    } else {
        0.0
    }
}

/// KV bytes one chip holds in host memory: max(0, K − max(R, 0)) for `kv_per_chip` = K
/// bytes of private KV and HBM room R ([`hbm_room_per_chip`]); 0 with offload off.
pub fn host_kv_bytes_per_chip(s: &Scenario, hbm_room: f64, kv_per_chip: f64) -> f64 {
    if !s.kv_offload {
        return 0.0;
    }
    (kv_per_chip - hbm_room.max(0.0)).max(0.0)
}

/// KV bytes held in host memory over all `chips` chips when they hold `kv_total` bytes of
/// private KV beside the weights and `extra`: N × max(0, K ÷ N − max(R, 0)), bytes.
pub fn host_kv_bytes_total(
    s: &Scenario,
    sh: &Shape,
    chips: f64,
    kv_total: f64,
    extra: Resident,
) -> f64 {
    let n = chips.max(1.0);
    let room = hbm_room_per_chip(s, sh, n, extra);
    n * host_kv_bytes_per_chip(s, room, kv_total / n)
}

/// KV bytes one chip of a decode step of `seqs` sequences at context `ctx` (tokens) holds in
/// host memory: [`host_kv_bytes_per_chip`] with the room left by the weights and a shared
/// prefix (held once, or once per chip under expert parallelism). A draft model's weights
/// and KV are left out of this split (capacity counts them).
pub fn step_host_kv_bytes_per_chip(
    s: &Scenario,
    sh: &Shape,
    chips: f64,
    seqs: f64,
    ctx: f64,
) -> f64 {
    if !s.kv_offload {
        return 0.0;
    }
    let n = chips.max(1.0);
    let (prefix_once, kv_private) = super::prefix_cache::kv_memory(s, ctx);
    let extra = if per_rank(s, sh) {
        Resident {
            spread: 0.0,
            per_chip: prefix_once,
        }
    } else {
        Resident {
            spread: prefix_once,
            per_chip: 0.0,
        }
    };
    let room = hbm_room_per_chip(s, sh, n, extra);
    host_kv_bytes_per_chip(s, room, seqs * kv_private / n)
}

/// The two KV reads of one chip's step, seconds: (HBM, host) =
/// ((K_read − K_host) ÷ (BW·η), K_host ÷ (BW_host·η)), with `kv_read` = K_read bytes read and
/// `host` = K_host bytes of them in host memory (at most K_read), η = η_bw.
pub fn kv_read_seconds(s: &Scenario, kv_read: f64, host: f64) -> (f64, f64) {
    let eta = s.efficiency.bandwidth;
    let host = host.clamp(0.0, kv_read.max(0.0));
    let hbm = (kv_read - host) / (s.hardware.memory_bandwidth * eta);
    let from_host = if host > 0.0 {
        host / (s.hardware.host_link_bandwidth * eta)
    } else {
        0.0
    };
    (hbm, from_host)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::presets::{hardware_preset, model_preset};
    use crate::model::{evaluate, shape};
    use crate::scenario::Precision;

    /// Llama 3.1 70B on 8 H100s at 128k context and batch 32: its KV (~1.4 TB) far exceeds
    /// the HBM beside the weights (~0.43 TB).
    fn long() -> Scenario {
        let mut s = Scenario::default();
        s.workload.batch_size = 32;
        s.workload.context_length = Some(131_072);
        s
    }

    #[test]
    fn off_by_default_and_nothing_changes_when_everything_fits() {
        let s = Scenario::default();
        assert!(!s.kv_offload);
        let mut on = s.clone();
        on.kv_offload = true;
        let (a, b) = (evaluate(&s).unwrap(), evaluate(&on).unwrap());
        assert!(a.capacity.fits);
        assert_eq!(a.decode, b.decode);
        assert_eq!(a.cost, b.cost);
        assert_eq!(b.decode.terms.kv_host_read_seconds, 0.0);
        assert_eq!(b.capacity.host_kv_bytes, 0.0);
        // Capacity grows by the host memory only.
        let h = USABLE_MEMORY_FRACTION * on.hardware.host_memory_capacity * on.chips as f64;
        let kv = a.capacity.kv_bytes_per_sequence;
        let extra = b.capacity.max_batch_size - a.capacity.max_batch_size;
        assert!(
            (extra as f64 - h / kv).abs() <= 1.0,
            "{extra} vs {}",
            h / kv
        );
    }

    #[test]
    fn overflow_fits_with_offload_and_reads_the_host_share_slowly() {
        let off = long();
        let mut on = off.clone();
        on.kv_offload = true;
        let (a, b) = (evaluate(&off).unwrap(), evaluate(&on).unwrap());
        assert!(!a.capacity.fits, "{:?}", a.capacity);
        assert!(b.capacity.fits, "{:?}", b.capacity);
        assert!(b.capacity.max_batch_size > a.capacity.max_batch_size);
        // HBM full: the host holds everything beyond the HBM room, over all chips.
        let sh = shape(&on);
        let room = hbm_room_per_chip(&on, &sh, 8.0, Resident::NONE);
        let host_total = b.decode.kv_bytes - 8.0 * room;
        assert!((b.capacity.host_kv_bytes - host_total).abs() <= 1e-6 * host_total);
        // Its read at 64 GB/s against 3.35 TB/s: ≈52× slower per byte.
        let t = &b.decode.terms;
        let eta = on.efficiency.bandwidth;
        let expect_host = host_total / 8.0 / (64e9 * eta);
        assert!((t.kv_host_read_seconds - expect_host).abs() <= 1e-9 * expect_host);
        let expect_hbm = room / (3.35e12 * eta);
        assert!((t.kv_read_seconds - expect_hbm).abs() <= 1e-9 * expect_hbm);
        assert!(b.decode.step_seconds > 10.0 * a.decode.step_seconds);
    }

    #[test]
    fn host_as_fast_as_hbm_is_one_big_hbm() {
        let mut on = long();
        on.kv_offload = true;
        on.hardware.host_link_bandwidth = on.hardware.memory_bandwidth;
        let mut big = long();
        big.hardware.memory_capacity += on.hardware.host_memory_capacity;
        let (a, b) = (evaluate(&on).unwrap(), evaluate(&big).unwrap());
        let (ta, tb) = (&a.decode.terms, &b.decode.terms);
        let kv_a = ta.kv_read_seconds + ta.kv_host_read_seconds;
        assert!((kv_a - tb.kv_read_seconds).abs() <= 1e-12 * kv_a);
        assert!((a.decode.step_seconds - b.decode.step_seconds).abs() <= 1e-12);
        assert_eq!(a.capacity.fits, b.capacity.fits);
        let (ma, mb) = (a.capacity.max_batch_size, b.capacity.max_batch_size);
        assert!(ma.abs_diff(mb) <= 1, "{ma} vs {mb}");
    }

    #[test]
    fn weights_never_go_to_the_host() {
        // DeepSeek-V3 at bf16 (1.3 TB) on 4 H100s: the weights alone overflow HBM.
        let mut s = Scenario {
            model: model_preset("deepseek-v3").unwrap().spec.clone(),
            chips: 4,
            kv_offload: true,
            ..Scenario::default()
        };
        s.hardware.host_memory_capacity = 10e12;
        let e = evaluate(&s).unwrap();
        assert!(!e.capacity.fits);
        assert_eq!(e.capacity.max_batch_size, 0);
    }

    #[test]
    fn expert_parallel_counts_per_chip() {
        let mut s = Scenario {
            model: model_preset("deepseek-v3").unwrap().spec.clone(),
            hardware: hardware_preset("h200-sxm").unwrap().spec.clone(),
            chips: 8,
            parallelism: Parallelism::Expert,
            kv_offload: true,
            ..Scenario::default()
        };
        s.precision.weights = Precision::Fp8;
        s.precision.compute = Precision::Fp8;
        s.workload.batch_size = 96;
        s.workload.context_length = Some(262_144);
        let e = evaluate(&s).unwrap();
        let sh = shape(&s);
        let room = hbm_room_per_chip(&s, &sh, 8.0, Resident::NONE);
        let kv_chip = e.decode.kv_bytes / 8.0;
        let host = host_kv_bytes_per_chip(&s, room, kv_chip);
        assert!(host > 0.0 && room > 0.0);
        assert!((e.capacity.host_kv_bytes - 8.0 * host).abs() <= 1e-6 * host);
        assert!(e.decode.terms.kv_host_read_seconds > 0.0);
        let mut off = s.clone();
        off.kv_offload = false;
        assert!(!evaluate(&off).unwrap().capacity.fits);
        assert!(e.capacity.fits, "{:?}", e.capacity);
    }

    #[test]
    fn bad_host_fields_are_named() {
        for (json, field) in [
            (
                r#"{"hardware": {"host_link_bandwidth": 0}}"#,
                "hardware.host_link_bandwidth",
            ),
            (
                r#"{"hardware": {"host_memory_capacity": -1}}"#,
                "hardware.host_memory_capacity",
            ),
        ] {
            let e = Scenario::from_json(json).unwrap_err();
            assert_eq!(e.field, field, "{e}");
        }
        // No host memory is allowed (offload then adds nothing), and a chip file without
        // the host fields takes the defaults.
        let s =
            Scenario::from_json(r#"{"kv_offload": true, "hardware": {"host_memory_capacity": 0}}"#)
                .unwrap();
        assert_eq!(host_room_per_chip(&s), 0.0);
        let s = Scenario::from_json(r#"{"hardware": {"name": "X"}}"#).unwrap();
        assert_eq!(s.hardware.host_link_bandwidth, 64e9);
        assert_eq!(s.hardware.host_memory_capacity, 256e9);
    }

    #[test]
    fn presets_carry_their_host_paths() {
        let gb200 = &hardware_preset("gb200-per-gpu").unwrap().spec;
        assert_eq!(gb200.host_link_bandwidth, 450e9);
        assert_eq!(gb200.host_memory_capacity, 240e9);
        let h200 = &hardware_preset("h200-sxm").unwrap().spec;
        assert_eq!(h200.host_link_bandwidth, 64e9);
        let a100 = &hardware_preset("a100-sxm-80gb").unwrap().spec;
        assert_eq!(a100.host_link_bandwidth, 32e9);
    }

    #[test]
    fn reads_split_at_the_limits() {
        let s = Scenario {
            kv_offload: true,
            ..Scenario::default()
        };
        assert_eq!(host_kv_bytes_per_chip(&s, 10.0, 4.0), 0.0);
        assert_eq!(host_kv_bytes_per_chip(&s, 10.0, 14.0), 4.0);
        assert_eq!(host_kv_bytes_per_chip(&s, -5.0, 14.0), 14.0);
        let off = Scenario::default();
        assert_eq!(host_kv_bytes_per_chip(&off, 10.0, 14.0), 0.0);
        assert_eq!(host_room_per_chip(&off), 0.0);
        let (hbm, host) = kv_read_seconds(&s, 0.0, 0.0);
        assert_eq!((hbm, host), (0.0, 0.0));
    }
}
