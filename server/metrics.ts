// The process's Prometheus metrics, behind named functions so the rest of the code never imports prom-client.
// One registry per process (metrics are process facts); /metrics prints it. Only real series are registered.
import { prometheus } from '@hono/prometheus';
import type { MiddlewareHandler } from 'hono';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry });

const http = prometheus({ registry });

/** Counts every request by method, route pattern and status, with its latency (http_request_duration_seconds). */
export const requestMetrics: MiddlewareHandler = http.registerMetrics;

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
