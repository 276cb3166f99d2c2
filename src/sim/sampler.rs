//! Time-weighted sampling of a replica's state into a bounded [`TimeSeries`].

use super::{TimeSeries, MAX_POINTS};

/// Time-weighted series with a bounded number of intervals: intervals of `stride`
/// iterations; when the list is full, neighbours merge and the stride doubles.
#[derive(Clone, Debug, Default)]
pub(super) struct Sampler {
    stride: u64,
    in_bucket: u64,
    bucket: Bucket,
    buckets: Vec<Bucket>,
    /// Sums over the whole run.
    pub(super) total: Bucket,
    /// Most requests served at once.
    pub(super) peak_running: u32,
}

/// Time integrals over an interval: each value × seconds held; memory in tokens.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Bucket {
    end: f64,
    /// Seconds covered.
    pub(super) duration: f64,
    pub(super) waiting: f64,
    pub(super) running: f64,
    pub(super) used: f64,
    pub(super) wasted: f64,
}

impl Bucket {
    fn add(&mut self, o: &Bucket) {
        self.end = self.end.max(o.end);
        self.duration += o.duration;
        self.waiting += o.waiting;
        self.running += o.running;
        self.used += o.used;
        self.wasted += o.wasted;
    }
}

impl Sampler {
    /// An empty sampler, one iteration per interval.
    pub(super) fn new() -> Self {
        Sampler {
            stride: 1,
            ..Default::default()
        }
    }

    /// Values held over [end − duration, end]; memory in tokens.
    pub(super) fn record(
        &mut self,
        end: f64,
        duration: f64,
        waiting: u32,
        running: u32,
        used: u64,
        wasted: u64,
    ) {
        self.peak_running = self.peak_running.max(running);
        let d = duration.max(0.0);
        let b = Bucket {
            end,
            duration: d,
            waiting: waiting as f64 * d,
            running: running as f64 * d,
            used: used as f64 * d,
            wasted: wasted as f64 * d,
        };
        self.bucket.add(&b);
        self.total.add(&b);
        self.in_bucket += 1;
        if self.in_bucket >= self.stride {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.in_bucket == 0 {
            return;
        }
        self.buckets.push(std::mem::take(&mut self.bucket));
        self.in_bucket = 0;
        if self.buckets.len() >= MAX_POINTS {
            let merged: Vec<Bucket> = self
                .buckets
                .chunks(2)
                .map(|c| {
                    let mut b = c[0];
                    if let Some(o) = c.get(1) {
                        b.add(o);
                    }
                    b
                })
                .collect();
            self.buckets = merged;
            self.stride *= 2;
        }
    }

    /// The series, memory converted to bytes at `kv_per_token`.
    pub(super) fn series(&mut self, kv_per_token: f64) -> TimeSeries {
        self.flush();
        let mut s = TimeSeries::default();
        for b in &self.buckets {
            let m = |v: f64| {
                if b.duration > 0.0 {
                    v / b.duration
                } else {
                    0.0
                }
            };
            s.time.push(b.end);
            s.waiting.push(m(b.waiting));
            s.running.push(m(b.running));
            s.kv_used_bytes.push(m(b.used) * kv_per_token);
            s.kv_wasted_bytes.push(m(b.wasted) * kv_per_token);
        }
        s
    }
}
