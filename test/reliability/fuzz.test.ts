/**
 * Fuzzing (quick version, fixed seeds; `npm run soak` runs many more cases): fast-check
 * over every registered endpoint's body and query (generated from the endpoint's own
 * schema, mutated, plus raw malformed bodies, odd content types and bad signatures), and
 * raw malformed bytes on a real socket of a real server process. The answer is always a
 * Bitget envelope with a string code, never a 5xx; a rejected request changes nothing in
 * the store; the process stays up.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import { Errors, err } from '../../src/domain/errors.js';
import { endpoint } from '../../src/http/endpoint.js';
import { allEndpoints } from '../../src/http/routes/index.js';
import { buildServer } from '../../src/http/server.js';
import { startTestServer, type TestServer } from '../helpers.js';
import {
  HttpSender,
  PROTO_WORDS,
  ServerProcess,
  authHeaders,
  digester,
  envelopeProblems,
  makeKeys,
  protoProbes,
  registeredDialects,
  runEndpointFuzz,
  runRawFuzz,
} from './drivers.js';

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(() => s.close());

test('every endpoint answers 200 fuzzed requests each with a Bitget envelope and no change on rejection', { timeout: 360_000 }, async () => {
  const fig = await runEndpointFuzz(s, { runsPerEndpoint: 200, seed: 20240601 });
  assert.deepEqual(fig.violations, []);
  assert.equal(fig.endpoints, allEndpoints.length);
  assert.ok(fig.cases >= 200 * allEndpoints.length, JSON.stringify(fig));
  // the generator reaches both sides: some requests are accepted, most are rejected
  assert.ok(fig.accepted > 0 && fig.rejected > fig.accepted, JSON.stringify(fig));
});

test('Object.prototype names (constructor, __proto__, ...) in every string field of every endpoint never reach a 5xx', { timeout: 180_000 }, async () => {
  // found by the soak: productType "constructor" / category "__proto__" resolved to inherited members
  const digest = digester(s);
  let probes = 0;
  const problems: string[] = [];
  for (const ep of allEndpoints) {
    const key = ep.auth ? (ep.auth.mode === 'unified' ? s.unified : s.classic) : undefined;
    for (const p of protoProbes(ep)) {
      const headers = { 'content-type': 'application/json', ...(key ? authHeaders(key, ep.method, p.url, p.body ?? '') : {}) };
      const before = await digest();
      const r = await s.og.app.inject({ method: ep.method, url: p.url, headers, ...(p.body !== undefined ? { payload: p.body } : {}) });
      const bad = envelopeProblems(r.statusCode, r.body);
      if (!bad.length && JSON.parse(r.body).code !== '00000' && (await digest()) !== before) bad.push('rejected but the store changed');
      if (bad.length) problems.push(`${ep.path} ${p.field}=${p.word}: ${bad.join('; ')} ${r.body.slice(0, 120)}`);
      probes++;
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(probes >= allEndpoints.length * PROTO_WORDS.length, String(probes));
});

test('raw malformed bytes on a real socket get Bitget envelopes and the process stays up', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ordergate-rawfuzz-'));
  const db = join(dir, 'ordergate.db');
  const { k } = await makeKeys(db, { k: { uid: '9001', mode: 'classic' } });
  const server = new ServerProcess(db);
  try {
    const base = await server.start();
    const port = Number(new URL(base).port);
    const http = new HttpSender(base, 2);
    const d = registeredDialects()[0];
    const alive = async () => {
      const r = await http.send(k, d.placeBatch(['alive-' + Date.now()]));
      return server.alive && r.body.code === '00000';
    };
    const fig = await runRawFuzz(port, { runs: 300, seed: 777 }, alive);
    await http.close();
    assert.deepEqual(fig.violations, []);
    assert.equal(fig.cases, 300);
    assert.ok(fig.answered >= 200, JSON.stringify(fig));
    assert.ok(server.alive);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the fuzzer finds a planted 5xx and a planted write behind a rejection', { timeout: 60_000 }, async () => {
  const auth = { mode: 'classic', permission: 'trade', permissionName: 'test' } as const;
  const body = Type.Object({ symbol: Type.String({ maxLength: 64 }), size: Type.Optional(Type.String({ maxLength: 40 })) });
  const crashes = endpoint({
    method: 'POST',
    path: '/test/planted-crash',
    rateLimit: 1000,
    auth,
    body,
    handle: ({ body: b }) => {
      if (b.symbol === 'ETHUSDT') throw new TypeError('planted bug');
      return {};
    },
  });
  const leaks = endpoint({
    method: 'POST',
    path: '/test/planted-leak',
    rateLimit: 1000,
    auth,
    body,
    async handle({ body: b, uid, services }) {
      await services.engine.place('mix', [
        { uid, category: 'USDT-FUTURES', marginMode: 'crossed', symbol: 'BTCUSDT', side: 'buy', orderType: 'limit', force: 'gtc', price: '30000', size: '0.01', marginCoin: 'USDT' },
      ]);
      if (b.symbol === 'ETHUSDT') throw err(Errors.PARAM_ERROR, 'symbol'); // rejected, yet the order stays
      return {};
    },
  });
  const app = buildServer({
    services: { engine: s.og.engine, catalogue: s.og.engine.catalogue, keyring: s.og.keyring },
    endpoints: [crashes, leaks],
    limiter: s.og.limiter,
    logLevel: 'silent',
  });
  try {
    const planted = { ...s, og: { ...s.og, app } };
    const fig = await runEndpointFuzz(planted, { runsPerEndpoint: 200, seed: 99, endpoints: [crashes, leaks] });
    assert.equal(fig.violations.length, 2, fig.violations.join('\n'));
    assert.match(fig.violations[0], /planted-crash.*HTTP 500/);
    assert.match(fig.violations[1], /planted-leak.*rejected \(40020\) but the store changed/);
  } finally {
    await app.close();
  }
});

test('the raw-bytes fuzzer notices answers that are not Bitget envelopes', { timeout: 30_000 }, async () => {
  // a bare Fastify answers bad requests with its own JSON shape: the fuzzer must say so
  const bare = Fastify();
  bare.get('/', async () => ({ hello: 'world' }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  try {
    const port = (bare.server.address() as AddressInfo).port;
    const fig = await runRawFuzz(port, { runs: 100, seed: 777 }, async () => true);
    assert.equal(fig.violations.length, 1);
    assert.match(fig.violations[0], /code not a numeric string|not an envelope/);
  } finally {
    await bare.close();
  }
});
