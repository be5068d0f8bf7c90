// The process's Prometheus metrics, behind named functions so the rest of the code never imports prom-client.
// One registry per process (metrics are process facts); /metrics prints it. Only real series are registered.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry });

// The series @hono/prometheus's registerMetrics writes (same names, labels, label order and buckets), kept here
// so a request's labels are built once per method, route and status instead of spread anew on every request.
const httpLabelNames = ['method', 'status', 'ok', 'route'] as const;
const requestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'Duration of HTTP requests in seconds',
  labelNames: httpLabelNames,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
  registers: [registry],
});
const requestsTotal = new Counter({
  name: 'http_requests_total',
  help: 'Total number of HTTP requests',
  labelNames: httpLabelNames,
  registers: [registry],
});

type HttpLabels = { method: string; route: string; status: string; ok: string };
/** Label sets seen so far, by method, route pattern and status (bounded: route patterns, not paths). */
const httpLabels = new Map<string, HttpLabels>();
const HTTP_LABELS_MAX = 2000;

/**
 * One request answered: counted by method, route pattern and status, with its latency in seconds
 * (http_requests_total, http_request_duration_seconds).
 */
export function countRequest(method: string, route: string, status: number, seconds: number): void {
  const key = `${method} ${status} ${route}`;
  let labels = httpLabels.get(key);
  if (!labels) {
    labels = { method, route, status: String(status), ok: String(status >= 200 && status < 300) };
    if (httpLabels.size < HTTP_LABELS_MAX) httpLabels.set(key, labels);
  }
  requestDuration.observe(labels, seconds);
  requestsTotal.inc(labels);
}

export type UpstreamApi = 'connectwise' | 'pax8';

const upstreamCalls = new Counter({
  name: 'upstream_requests_total',
  help: 'Calls to ConnectWise and Pax8 by API and HTTP status (error: no answer, e.g. timeout or unreachable)',
  labelNames: ['api', 'status'] as const,
  registers: [registry],
});

const writes = new Counter({
  name: 'sync_writes_total',
  help: 'ConnectWise addition writes by kind (recurring, prorate, …) and outcome (done, failed, skipped, …)',
  labelNames: ['kind', 'outcome'] as const,
  registers: [registry],
});

const unknownOutcome = new Counter({
  name: 'sync_writes_unknown_outcome_total',
  help: 'Writes sent to ConnectWise whose answer was lost: committed or not is unknown until recovered',
  registers: [registry],
});

const shed = new Counter({
  name: 'http_requests_shed_total',
  help: 'Requests answered 503 at once because too many were in flight (scope: process or tenant)',
  labelNames: ['scope'] as const,
  registers: [registry],
});

const inFlightLimit = new Gauge({
  name: 'http_in_flight_limit',
  help: 'The process cap on requests handled at once now (MAX_IN_FLIGHT, lower while the event loop lags)',
  registers: [registry],
});

export function setInFlightLimit(limit: number): void {
  inFlightLimit.set(limit);
}

/** One upstream call ended: its HTTP status, or 'error' when no answer came. */
export function countUpstreamCall(api: UpstreamApi, status: number | 'error'): void {
  upstreamCalls.inc({ api, status: String(status) });
}

/** One planned write ended with an outcome (see sync/apply). */
export function countWrite(kind: string, outcome: string): void {
  writes.inc({ kind, outcome });
}

/** A write was sent and its answer lost (timeout, reset): apply cannot tell whether ConnectWise committed it. */
export function countUnknownOutcomeWrite(): void {
  unknownOutcome.inc();
}

export function countShed(scope: 'process' | 'tenant'): void {
  shed.inc({ scope });
}

/** Wraps an upstream `fetch` so each call is counted by API and status. */
export function countedFetch(api: UpstreamApi, upstream: typeof fetch): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    try {
      const res = await upstream(input, init);
      countUpstreamCall(api, res.status);
      return res;
    } catch (error) {
      countUpstreamCall(api, 'error');
      throw error;
    }
  }) as typeof fetch;
}

/** The Prometheus text exposition of every metric of this process. */
export const metricsText = (): Promise<string> => registry.metrics();
export const metricsContentType = registry.contentType;
