/**
 * Bench load generator process (pinned by the runner to its own core), driven over IPC.
 * - `run`: autocannon against one scenario, from a pool of requests signed just before the run
 *   (fresh timestamps and signatures, each request the next batch of seeded order ids of the
 *   next UID, round-robin over all UIDs so each stays under its per-UID rate limit); latencies
 *   of every response are kept (ms, float) for exact percentiles; successful cancels are
 *   counted from the reply bodies.
 * - `paced`: an open-loop run at a fixed offered rate with Poisson arrivals (latency under load).
 * - `once`: one signed POST, timed to the last byte of the response (cancel-all latency).
 */
import autocannon from 'autocannon';
import { Agent, request } from 'node:http';
import { DIALECTS, benchKey, orderIdOf, signedHeaders, serveCommands, type ChildMessage, type Dialect, type IdPlan } from './lib.js';

type Msg = ChildMessage;

/** Result of one autocannon run. */
export interface LoadResult {
  /** Replies inside the steady-state window, and its length. */
  requests: number;
  seconds: number;
  /** ms from the start until every connection had its first reply (excluded). */
  rampMs: number;
  /** The window in wall-clock ms (Date.now()), to read the server's CPU over the same span. */
  windowFrom: number;
  windowTo: number;
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

/**
 * One autocannon run of `duration` s. Only the steady state is measured: the window opens once
 * every connection has had its first reply, or after `rampMs` at the latest (100 new
 * connections to a busy server come up over a second or more and their first requests wait
 * that long — an artefact of starting a run, not of serving), and covers the requests sent
 * inside it.
 */
async function run(m: Msg): Promise<LoadResult> {
  const d = DIALECTS[m.dialect as Dialect];
  const plan = m.plan as IdPlan;
  const connections = Number(m.connections);
  let open = false;
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
    } else pendingOk = ok;
  };
  // autocannon calls onResponse, then emits 'response' for the same reply: the latter decides
  // whether the reply is inside the window
  let pendingOk = 0;
  const size = Math.max(connections, Number(m.poolSize));
  // the bare server's reply is fixed: counting its status codes is enough (no body collection)
  const slices = pool(d, m.uids as string[], plan, size, connections, m.dialect === 'bare' ? undefined : onResponse);
  let nextSlice = 0;
  const lat: number[] = [];
  const live = new Set<unknown>();
  let windowStart = 0;
  let last = 0;
  let rampMs = 0;
  const t0 = performance.now();
  // the window opens when every connection is up, or at the latest after rampMs
  const rampCapMs = Number(m.rampMs ?? 2000);
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
    inst.on('response', (client: unknown, _status: number, _bytes: number, ms: number) => {
      const now = performance.now();
      if (!open) {
        pendingOk = 0;
        live.add(client);
        if (live.size === connections || now - t0 >= rampCapMs) {
          open = true;
          windowStart = now;
          rampMs = now - t0;
        }
        return;
      }
      const ok = pendingOk;
      pendingOk = 0;
      if (now - ms < windowStart) return; // sent before the window opened
      last = now;
      lat.push(ms);
      cancels += ok;
    });
  });
  const seconds = (last - windowStart) / 1000;
  const clock = Date.now() - performance.now(); // performance.now() -> Date.now()
  const sorted = Float64Array.from(lat).sort();
  if (process.env.BENCH_LAT_DETAIL) console.error('latency pcts', [10, 25, 50, 75, 90, 95, 98, 99, 99.9].map((p) => `p${p}=${pct(sorted, p).toFixed(1)}`).join(' '), `max=${sorted[sorted.length - 1]?.toFixed(1)}`);
  return {
    requests: lat.length,
    seconds,
    rampMs,
    windowFrom: windowStart + clock,
    windowTo: last + clock,
    rps: lat.length / seconds,
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

/**
 * Open-loop run: requests leave at random (Poisson) times at `rate` per second over up to
 * `connections` keep-alive sockets, as independent clients would send them, instead of
 * autocannon's per-connection timers that fire together. Latency counts from the scheduled
 * send time (a request waiting for a free socket is waiting), so slowness is not hidden.
 */
async function paced(m: Msg): Promise<LoadResult> {
  const d = DIALECTS[m.dialect as Dialect];
  const plan = m.plan as IdPlan;
  const connections = Number(m.connections);
  const rate = Number(m.rate);
  const seconds = Number(m.duration);
  const size = Math.max(connections, Number(m.poolSize));
  const reqs = pool(d, m.uids as string[], plan, size, 1)[0];
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const lat: number[] = [];
  let cancels = 0;
  let badEnvelopes = 0;
  let sample: string | undefined;
  let next = 0;
  let inFlight = 0;
  const send = (scheduled: number, measured: boolean) => {
    const r = reqs[next++ % reqs.length];
    const body = r.body as string;
    inFlight++;
    const req = request(
      { host: '127.0.0.1', port: Number(m.port), method: 'POST', path: r.path, agent, headers: { ...r.headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          inFlight--;
          const text = Buffer.concat(chunks).toString('utf8');
          let ok: number | undefined;
          try {
            ok = res.statusCode === 200 ? d.successes(text) : undefined;
          } catch {
            ok = undefined;
          }
          if (!measured) return;
          lat.push(performance.now() - scheduled);
          if (ok === undefined) {
            badEnvelopes++;
            sample ??= `${res.statusCode} ${text.slice(0, 300)}`;
          } else cancels += ok;
        });
      },
    );
    req.on('error', () => inFlight--);
    req.end(body);
  };
  // open the sockets first (one request each, not measured), then the measured window
  const t0 = performance.now();
  for (let i = 0; i < connections; i++) send(t0, false);
  while (inFlight > 0) await new Promise((r) => setTimeout(r, 5));
  const start = performance.now();
  const end = start + seconds * 1000;
  let due = start;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (due <= now && due < end) {
        send(due, true);
        due += (-Math.log(1 - Math.random()) / rate) * 1000;
      }
      if (due >= end) return resolve();
      setTimeout(tick, Math.max(0, Math.min(5, due - now)));
    };
    tick();
  });
  const deadline = performance.now() + 10_000;
  while (inFlight > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  agent.destroy();
  const clock = Date.now() - performance.now();
  const sorted = Float64Array.from(lat).sort();
  return {
    requests: lat.length,
    seconds,
    rampMs: start - t0,
    windowFrom: start + clock,
    windowTo: end + clock,
    rps: lat.length / seconds,
    cancels,
    cancelsPerSec: cancels / seconds,
    p50: pct(sorted, 50),
    p90: pct(sorted, 90),
    p99: pct(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    non2xx: 0,
    errors: inFlight,
    timeouts: 0,
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

const handlers: Record<string, (m: Msg) => unknown> = { run, paced, once };

serveCommands(handlers);
