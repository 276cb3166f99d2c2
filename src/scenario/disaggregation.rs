//! The disaggregated setup (prefill and decode on separate pools of chips), as a scenario
//! option. Off by default: a scenario without it is exactly the co-located setup of before,
//! and its JSON and link do not mention it. The physics is in
//! [`crate::model::disaggregation`].

use super::Parallelism;
use serde::{Deserialize, Serialize};

/// One pool of a disaggregated setup: `instances` serving engines of `chips` chips each.
/// Every optional part left out is the scenario's own (chip count, chip, parallelism).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Pool {
    /// Engines in the pool: the x of xPyD for prefill, the y for decode (default 1).
    #[serde(default = "one")]
    pub instances: u32,
    /// Chips per engine; `None`: the scenario's `chips`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chips: Option<u32>,
    /// The chip, as a hardware preset id (`h200-sxm`); `None`: the scenario's own chip
    /// specification (which may be a custom one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hardware: Option<String>,
    /// How one engine splits the model; `None`: the scenario's `parallelism`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parallelism: Option<Parallelism>,
}

fn one() -> u32 {
    1
}

impl Pool {
    /// One engine, everything else the scenario's.
    pub const SAME: Pool = Pool {
        instances: 1,
        chips: None,
        hardware: None,
        parallelism: None,
    };
}

/// Prefill and decode on separate pools, the KV cache of each prompt shipped between them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Disaggregation {
    /// Whether the setup is disaggregated (default no: co-located, as before).
    pub enabled: bool,
    /// The prefill pool.
    pub prefill: Pool,
    /// The decode pool.
    pub decode: Pool,
    /// Bandwidth of one KV transfer from a prefill engine to a decode engine, bytes/s;
    /// `None`: the smaller engine's chips × its chip's scale-out bandwidth (each chip sends
    /// its own shard over its own NIC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link_bandwidth: Option<f64>,
    /// Fixed latency of one KV transfer, seconds (default 25 µs, one RDMA round of the
    /// scale-out network, as `Efficiency::SCALE_OUT_LATENCY_SECONDS`).
    pub link_latency_seconds: f64,
    /// Arrival rate the balanced xPyD ratio is sized for, requests/s; `None`: the rate the
    /// configured decode pool sustains.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arrival_rate: Option<f64>,
}

impl Disaggregation {
    /// Default latency of one KV transfer, seconds.
    pub const LINK_LATENCY_SECONDS: f64 = 25e-6;

    /// Off; both pools one engine of the scenario's own setup.
    pub const OFF: Disaggregation = Disaggregation {
        enabled: false,
        prefill: Pool::SAME,
        decode: Pool::SAME,
        link_bandwidth: None,
        link_latency_seconds: Disaggregation::LINK_LATENCY_SECONDS,
        arrival_rate: None,
    };

    /// Whether every field is at its default (the scenario's JSON then leaves it out).
    pub fn is_default(&self) -> bool {
        *self == Disaggregation::OFF
    }
}

impl Default for Disaggregation {
    fn default() -> Self {
        Disaggregation::OFF
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::Scenario;

    #[test]
    fn off_by_default_and_absent_from_json() {
        let s = Scenario::default();
        assert!(s.disaggregation.is_default());
        assert!(!s.to_json().contains("disaggregation"));
        let mut t = s.clone();
        t.disaggregation.enabled = true;
        t.disaggregation.prefill.hardware = Some("h200-sxm".into());
        t.disaggregation.decode.instances = 3;
        let json = t.to_json();
        assert!(json.contains("\"disaggregation\""), "{json}");
        assert_eq!(Scenario::from_json(&json), Ok(t));
        let e =
            Scenario::from_json(r#"{"disaggregation": {"prefill": {"chipz": 2}}}"#).unwrap_err();
        assert_eq!(e.field, "disaggregation.prefill.chipz");
    }
}
