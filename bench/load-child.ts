/**
 * Bench load generator process (pinned by the runner to its own core), driven over IPC.
 * - `run`: autocannon against one scenario, from a pool of requests signed just before the run
 *   (fresh timestamps and signatures, each request the next batch of seeded order ids of the
 *   next UID, round-robin over all UIDs so each stays under its per-UID rate limit); latencies
 *   of every response are kept (ms, float) for exact percentiles; successful cancels are
 *   counted from the reply bodies.
 * - `once`: one signed POST, timed to the last byte of the response (cancel-all latency).
 */
import autocannon from 'autocannon';
import { request } from 'node:http';
import { DIALECTS, benchKey, orderIdOf, signedHeaders, type Dialect, type IdPlan } from './lib.js';

type Msg = { id: number; cmd: string; [k: string]: unknown };

/** Result of one autocannon run. */
export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  cancels: number;
  cancelsPerSec: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  badEnvelopes: number;
  sample?: string;
}

function pct(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * Builds the run's request pool up front (fresh timestamps: valid for 30 s, a run lasts a few),
 * so the load generator only writes prepared bytes while measuring. Request n goes to UID
 * n % uids and cancels that UID's next `batch` seeded orders; connection c sends the requests
 * n = c, c + C, c + 2C, ... (so the UIDs stay interleaved in time), and cycles if it runs out.
 */
function pool(d: (typeof DIALECTS)[Dialect], uids: string[], plan: IdPlan, size: number, connections: number, onResponse?: (s: number, b: string) => void) {
  const keys = uids.map(benchKey);
  const B = d.batch;
  const slices: autocannon.Request[][] = Array.from({ length: connections }, () => []);
  for (let n = 0; n < size; n++) {
    const u = n % plan.uids;
    const j = Math.floor(n / plan.uids);
    const ids = new Array<string>(B);
    for (let i = 0; i < B; i++) ids[i] = orderIdOf(plan.start + ((j * B + i) % plan.perUid) * plan.uids + u);
    const body = d.body(ids);
    const req: autocannon.Request = { method: 'POST', path: d.path, headers: signedHeaders(keys[u], d.path, body), body };
    if (onResponse) req.onResponse = onResponse;
    slices[n % connections].push(req);
  }
  return slices;
}

async function run(m: Msg): Promise<LoadResult> {
  const d = DIALECTS[m.dialect as Dialect];
  const plan = m.plan as IdPlan;
  const connections = Number(m.connections);
  let cancels = 0;
  let badEnvelopes = 0;
  let sample: string | undefined;
  const onResponse = (status: number, body: string) => {
    let ok: number | undefined;
    try {
      ok = status === 200 ? d.successes(body) : undefined;
    } catch {
      ok = undefined;
    }
    if (ok === undefined) {
      badEnvelopes++;
      sample ??= `${status} ${body.slice(0, 300)}`;
    } else cancels += ok;
  };
  const size = Math.max(connections, Number(m.poolSize));
  // the bare server's reply is fixed: counting its status codes is enough (no body collection)
  const slices = pool(d, m.uids as string[], plan, size, connections, m.dialect === 'bare' ? undefined : onResponse);
  let nextSlice = 0;
  const lat: number[] = [];
  let first = 0;
  let last = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const inst = autocannon(
      {
        url: `http://127.0.0.1:${Number(m.port)}`,
        connections,
        duration: Number(m.duration),
        pipelining: 1,
        timeout: 10,
        requests: [slices[0][0]],
        setupClient: (client) => client.setRequests(slices[nextSlice++ % connections]),
      },
      (e: Error | null, res: autocannon.Result) => (e ? reject(e) : resolve(res)),
    );
    inst.on('response', (_c: unknown, _status: number, _bytes: number, ms: number) => {
      last = performance.now();
      if (lat.length === 0) first = last;
      lat.push(ms);
    });
  });
  // rate over the span between the first and the last response (setup time excluded)
  const seconds = (last - first) / 1000;
  const sorted = Float64Array.from(lat).sort();
  return {
    requests: lat.length,
    seconds,
    rps: (lat.length - 1) / seconds,
    cancels,
    cancelsPerSec: cancels / seconds,
    p50: pct(sorted, 50),
    p90: pct(sorted, 90),
    p99: pct(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    badEnvelopes,
    sample,
  };
}

/** One signed POST; returns the time to the last response byte (ms) and the parsed body summary. */
async function once(m: Msg): Promise<{ ms: number; status: number; bytes: number; successes: number; code: string }> {
  const uid = String(m.uid);
  const path = String(m.path);
  const body = String(m.body);
  const headers = signedHeaders(benchKey(uid), path, body);
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: Number(m.port), method: 'POST', path, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const ms = performance.now() - t0;
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          const j = JSON.parse(text) as { code: string; data?: { successList?: unknown[] } };
          resolve({ ms, status: res.statusCode ?? 0, bytes: text.length, successes: j.data?.successList?.length ?? 0, code: j.code });
        } catch (e) {
          reject(e);
        }
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const handlers: Record<string, (m: Msg) => unknown> = { run, once };

process.on('message', (m: Msg) => {
  Promise.resolve()
    .then(() => {
      const h = handlers[m.cmd];
      if (!h) throw new Error(`unknown command ${m.cmd}`);
      return h(m);
    })
    .then(
      (result) => process.send?.({ id: m.id, ok: true, result }),
      (e: unknown) => process.send?.({ id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) }),
    );
});
process.on('disconnect', () => process.exit(0));
process.send?.({ id: 0, ok: true, result: 'ready' });
