//! The Prometheus registry: requests by route and status, latencies, record counts.

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry, TextEncoder,
};

use crate::engine::Engine;

/// The service's metrics.
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    experts: IntGaugeVec,
    needs: IntGaugeVec,
    tags: IntGauge,
}

impl Metrics {
    /// Registers every metric.
    pub fn new() -> prometheus::Result<Metrics> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "talentbridge_http_requests_total",
                "HTTP requests by route, method and status",
            ),
            &["route", "method", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "talentbridge_http_request_duration_seconds",
                "HTTP request latency by route",
            )
            .buckets(vec![
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
            ]),
            &["route", "method"],
        )?;
        let experts = IntGaugeVec::new(
            Opts::new("talentbridge_experts", "Stored experts by status"),
            &["status"],
        )?;
        let needs = IntGaugeVec::new(Opts::new("talentbridge_needs", "Stored needs by status"), &["status"])?;
        let tags = IntGauge::new("talentbridge_tags", "Concepts in the taxonomy")?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(experts.clone()))?;
        registry.register(Box::new(needs.clone()))?;
        registry.register(Box::new(tags.clone()))?;
        Ok(Metrics {
            registry,
            requests,
            latency,
            experts,
            needs,
            tags,
        })
    }

    /// Counts one finished request.
    pub fn observe(&self, route: &str, method: &str, status: u16, seconds: f64) {
        self.requests
            .with_label_values(&[route, method, &status.to_string()])
            .inc();
        self.latency.with_label_values(&[route, method]).observe(seconds);
    }

    /// The text exposition, with record counts read now.
    pub fn render(&self, engine: &Engine) -> Result<String, String> {
        for (status, n) in engine.counts().experts() {
            self.experts.with_label_values(&[status.as_str()]).set(n);
        }
        for (status, n) in engine.counts().needs() {
            self.needs.with_label_values(&[status.as_str()]).set(n);
        }
        self.tags.set(engine.taxonomy().len() as i64);
        let mut out = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut out)
            .map_err(|e| e.to_string())?;
        String::from_utf8(out).map_err(|e| e.to_string())
    }
}
