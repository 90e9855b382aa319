/**
 * TEST-ONLY fault injection, OFF unless ORDERGATE_FAULTS is set (read by config.ts, Config.faults).
 * It lets client tests prove their retries against a real server. Never set it in production.
 *
 *   ORDERGATE_FAULTS="429:0.2,drop:0.1,lost:0.05,match:cancel,seed:7"
 *
 * - `429:p`  answer HTTP 429 `{"code":"429","msg":"Too Many Requests",...}` before anything
 *            else runs (nothing processed) with probability p;
 * - `drop:p` close the connection without answering, before the request is processed;
 * - `lost:p` process the request normally, then close the connection instead of answering
 *            (the client cannot know the request was applied);
 * - `match:s` only requests whose URL contains `s` are eligible (default `/api/`);
 * - `seed:n` seed of the deterministic random sequence (default 1).
 * Probabilities are per request and exclusive (their sum must be <= 1).
 * The `ws-*` entries are the WebSocket faults (src/ws/faults.ts: cut after N pushes or at a
 * probability, delay, duplicate, the 30033 notice then close, an early forced disconnect);
 * `seed` seeds them too.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Errors } from '../domain/errors.js';
import { fail } from './envelope.js';
import { applyWsFaultEntry, noWsFaults, prng, type WsFaultSpec } from '../ws/faults.js';

/** A parsed fault specification. */
export interface FaultSpec {
  p429: number;
  drop: number;
  lost: number;
  match: string;
  seed: number;
  /** The WebSocket entries (`ws-*`). */
  ws: WsFaultSpec;
}

/** How many faults were injected, by kind. */
export interface FaultCounters {
  '429': number;
  drop: number;
  lost: number;
}

/**
 * Parses `ORDERGATE_FAULTS`.
 * @throws Error for an unknown entry, a probability outside 0..1 or a sum over 1.
 */
export function parseFaults(text: string): FaultSpec {
  const spec: FaultSpec = { p429: 0, drop: 0, lost: 0, match: '/api/', seed: 1, ws: noWsFaults() };
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const i = part.indexOf(':');
    const k = i < 0 ? part : part.slice(0, i);
    const v = i < 0 ? '' : part.slice(i + 1);
    const prob = () => {
      const n = Number(v);
      if (v === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new Error(`ORDERGATE_FAULTS: ${k} needs a probability 0..1, got '${v}'`);
      return n;
    };
    if (k === '429') spec.p429 = prob();
    else if (k === 'drop') spec.drop = prob();
    else if (k === 'lost') spec.lost = prob();
    else if (k === 'match') spec.match = v;
    else if (k === 'seed' && /^\d+$/.test(v)) spec.seed = spec.ws.seed = Number(v);
    else if (applyWsFaultEntry(spec.ws, k, v)) continue;
    else throw new Error(`ORDERGATE_FAULTS: unknown entry '${part}'`);
  }
  if (spec.p429 + spec.drop + spec.lost > 1) throw new Error('ORDERGATE_FAULTS: probabilities add up to more than 1');
  return spec;
}

const counters = new WeakMap<FastifyInstance, FaultCounters>();

/** Counters of the faults injected into `app` (undefined when injection is off). */
export function faultCounters(app: FastifyInstance): FaultCounters | undefined {
  return counters.get(app);
}

/**
 * Registers the fault hooks on `app` when `text` (the ORDERGATE_FAULTS value) is non-empty;
 * does nothing otherwise. Call before the app is ready.
 */
export function installFaults(app: FastifyInstance, text: string | undefined): void {
  if (!text) return;
  const spec = parseFaults(text);
  const rnd = prng(spec.seed);
  const count: FaultCounters = { '429': 0, drop: 0, lost: 0 };
  counters.set(app, count);
  const lost = new WeakSet<FastifyRequest>();
  app.log.warn({ faults: spec }, 'ORDERGATE_FAULTS is set: injecting faults (test-only)');
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.includes(spec.match)) return;
    const r = rnd();
    if (r < spec.p429) {
      count['429']++;
      return reply.code(Errors.TOO_MANY_REQUESTS.status).send(fail(Errors.TOO_MANY_REQUESTS.code, Errors.TOO_MANY_REQUESTS.msg));
    }
    if (r < spec.p429 + spec.drop) {
      count.drop++;
      reply.hijack();
      req.raw.socket.destroy();
      return reply;
    }
    if (r < spec.p429 + spec.drop + spec.lost) lost.add(req);
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (lost.has(req) && reply.statusCode === 200) {
      count.lost++;
      reply.raw.socket?.destroy();
    }
    return payload;
  });
}
