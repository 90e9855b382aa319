/**
 * Bench WebSocket client process, driven by the runner over IPC (one request, one reply,
 * matched by `id`, as load-child.ts). It holds many private connections to an ordergate under
 * test, each logged in with a bench key and subscribed to the v2 `orders` channel
 * (USDT-FUTURES, instId default), and counts the order pushes they receive.
 *
 * Connections come from 20 loopback source addresses (127.0.0.2 …) so that Bitget's limit of
 * 100 connections per IP, which the bench server keeps on, admits 1,000 of them.
 *
 * Commands:
 * - `open {port, uids, n}`: opens n connections (connection i logs in as uids[i % uids.length]);
 *   resolves once every one is logged in and subscribed.
 * - `latency {port, uid, plan, rounds}`: per round, batch-cancels the next 50 seeded orders of
 *   `uid` over REST and waits until EVERY connection received the 50 cancel pushes; a sample
 *   is the time from the REST response to the last of those pushes on the last connection
 *   (ms, measured here: includes this process's own time to read 50 × n frames). Negative when
 *   the pushes arrived before the response (ordergate pushes at commit, before it replies);
 *   `fromRequest` holds the same from the moment the request was sent.
 * - `pushes`: order pushes received so far; `close`: closes every connection.
 */
import { createHmac } from 'node:crypto';
import WebSocket from 'ws';
import { DIALECTS, benchKey, orderIdOf, signedHeaders, serveCommands, type ChildMessage, type IdPlan } from './lib.js';

type Msg = ChildMessage;

interface Conn {
  ws: WebSocket;
  /** Called with each pushed order id. */
  onPush?: (orderId: string) => void;
}

let conns: Conn[] = [];
const ORDER_ID = /"orderId":"(\d+)"/g;
let pushes = 0;
let pinger: NodeJS.Timeout | undefined;

function connect(port: number, uid: string, i: number): Promise<Conn> {
  const k = benchKey(uid);
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/v2/ws/private`, { localAddress: `127.0.0.${2 + (i % 20)}` });
    const conn: Conn = { ws };
    const timer = setTimeout(() => reject(new Error(`connection ${i}: no subscribe ack in 30 s`)), 30_000);
    ws.on('open', () => {
      const timestamp = String(Math.round(Date.now() / 1000));
      const sign = createHmac('sha256', k.secretKey).update(`${timestamp}GET/user/verify`).digest('base64');
      ws.send(JSON.stringify({ op: 'login', args: [{ apiKey: k.apiKey, passphrase: k.passphrase, timestamp, sign }] }));
      ws.send(JSON.stringify({ op: 'subscribe', args: [{ instType: 'USDT-FUTURES', channel: 'orders', instId: 'default' }] }));
    });
    ws.on('message', (data) => {
      const text = data.toString();
      if (text === 'pong') return;
      if (text.startsWith('{"action"')) {
        // a push: its order ids without a JSON.parse (this process reads 50 x n of them per cancel)
        pushes++;
        if (conn.onPush) for (const x of text.matchAll(ORDER_ID)) conn.onPush(x[1]);
        return;
      }
      const m = JSON.parse(text);
      if (m.event === 'subscribe') {
        clearTimeout(timer);
        resolve(conn);
      } else if (m.event === 'error') {
        clearTimeout(timer);
        reject(new Error(`connection ${i}: ${m.code} ${m.msg}`));
      }
    });
    ws.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

async function open(m: Msg): Promise<unknown> {
  const port = Number(m.port);
  const uids = m.uids as string[];
  const n = Number(m.n);
  const t0 = performance.now();
  for (let i = conns.length; i < n; i += 50) {
    conns.push(...(await Promise.all(Array.from({ length: Math.min(50, n - i) }, (_, j) => connect(port, uids[(i + j) % uids.length], i + j)))));
  }
  pinger ??= setInterval(() => {
    for (const c of conns) if (c.ws.readyState === c.ws.OPEN) c.ws.send('ping');
  }, 25_000);
  return { connections: conns.length, ms: performance.now() - t0 };
}

async function latency(m: Msg): Promise<unknown> {
  const port = Number(m.port);
  const plan = m.plan as IdPlan;
  const rounds = Number(m.rounds);
  const key = benchKey(String(m.uid));
  const d = DIALECTS.mix;
  const samples: number[] = [];
  const fromRequest: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const ids = Array.from({ length: d.batch }, (_, k) => orderIdOf(plan.start + (r * d.batch + k) * plan.uids));
    const want = new Set(ids);
    let waiting = conns.length;
    let last = 0;
    let done!: () => void;
    const all = new Promise<void>((res) => (done = res));
    for (const c of conns) {
      let seen = 0;
      c.onPush = (orderId) => {
        if (!want.has(orderId) || ++seen !== d.batch) return;
        last = performance.now();
        if (--waiting === 0) done();
      };
    }
    const body = d.body(ids);
    const t0 = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}${d.path}`, { method: 'POST', headers: signedHeaders(key, d.path, body), body });
    const text = await res.text();
    const tResp = performance.now();
    if (d.successes(text) !== d.batch) throw new Error(`round ${r}: ${text.slice(0, 200)}`);
    const timeout = new Promise<void>((_, rej) => setTimeout(() => rej(new Error(`round ${r}: ${waiting} connections still waiting after 30 s`)), 30_000).unref());
    await Promise.race([all, timeout]);
    samples.push(last - tResp);
    fromRequest.push(last - t0);
    for (const c of conns) c.onPush = undefined;
    // Bitget's 10 batch-cancels/s per UID stay on: at most ~8/s
    const spent = performance.now() - t0;
    if (spent < 125) await new Promise((res) => setTimeout(res, 125 - spent));
  }
  return { samples, fromRequest };
}

async function close(): Promise<unknown> {
  if (pinger) clearInterval(pinger);
  pinger = undefined;
  await Promise.all(
    conns.map(
      (c) =>
        new Promise<void>((res) => {
          if (c.ws.readyState === c.ws.CLOSED) return res();
          c.ws.once('close', () => res());
          c.ws.terminate();
        }),
    ),
  );
  const n = conns.length;
  conns = [];
  return { closed: n, pushes };
}

const handlers: Record<string, (m: Msg) => Promise<unknown>> = {
  open,
  latency,
  pushes: async () => ({ pushes }),
  close,
  stop: async () => {
    await close();
    setImmediate(() => process.exit(0));
    return null;
  },
};

serveCommands(handlers);
