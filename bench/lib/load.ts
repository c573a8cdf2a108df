import autocannon from 'autocannon';
import type { BenchOptions } from './types.js';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

/** Requests per second that `url` sustains for one measurement; errors and non-2xx answers fail the bench. */
export async function throughput(url: string, request: LoadRequest, options: Pick<BenchOptions, 'seconds' | 'connections'>): Promise<number> {
  const outcome = await autocannon({
    url: `${url}${request.path}`,
    method: request.method,
    ...(request.body ? { body: request.body } : {}),
    headers: request.headers ?? {},
    connections: options.connections,
    duration: options.seconds,
  });
  const failed = outcome.errors + outcome.non2xx;
  if (failed > 0) throw new Error(`${request.method} ${request.path}: ${failed} of ${outcome.requests.total} requests failed`);
  return outcome.requests.average;
}
