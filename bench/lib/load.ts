/** Load from this (separate) process with autocannon, on 127.0.0.1, for a bounded time or number of requests. */
import autocannon from "autocannon";

/** What one load run measured. */
export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  /** Responses whose status was not the expected one, and socket errors. */
  unexpected: number;
  /** Responses received. */
  requests: number;
  /** Seconds the load actually ran. */
  seconds: number;
  /** Server CPU time per request in µs, when the caller measured it. */
  cpuUs?: number;
}

/**
 * How much load one run puts on a URL: seconds of it, or a number of requests however long they
 * take (a smoke run: each path answers, the slowest too, and no run lasts longer than its work).
 */
export type LoadLength = number | { requests: number };

/** Runs `length` of load on `url` (with request `headers`, if given) and checks every response had `status`. */
export async function load(
  url: string,
  length: LoadLength,
  connections: number,
  status = 200,
  headers?: Record<string, string>,
): Promise<LoadResult> {
  let unexpected = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        ...(typeof length === "number" ? { duration: length } : { amount: length.requests }),
        // autocannon looks at its clock, and whether the run is done, once per sample: with the
        // default 1 s sample, a run asked for 0.2 s, or for 100 requests answered in 0.1 s, lasted a
        // whole second.
        sampleInt: typeof length === "number" ? Math.min(1000, Math.max(10, length * 1000)) : 10,
        pipelining: 1,
        ...(headers ? { headers } : {}),
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on("response", (_client, statusCode) => {
      if (statusCode !== status) unexpected++;
    });
  });
  return {
    // Requests over the time they took: the same as autocannon's mean of per-sample counts when a
    // sample is a second, and still requests per second when it is shorter.
    rps: result.requests.total / Math.max(result.duration, 1e-3),
    p50: result.latency.p50,
    p99: result.latency.p99,
    unexpected: unexpected + result.errors + result.timeouts,
    requests: result.requests.total,
    seconds: result.duration,
  };
}
