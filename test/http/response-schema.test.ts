/**
 * An endpoint's optional `response` schema: the success reply is serialised by a compiled
 * serializer and reads exactly as JSON.stringify would; errors keep their envelope.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from '@sinclair/typebox';
import { Errors, err } from '../../src/domain/errors.js';
import { endpoint, type AppServices, type Endpoint } from '../../src/http/endpoint.js';
import { NoRateLimiter } from '../../src/http/ratelimit.js';
import { buildServer } from '../../src/http/server.js';

const Item = Type.Object({ orderId: Type.String(), clientOid: Type.String() });
const Fail = Type.Object({ orderId: Type.String(), clientOid: Type.String(), errorMsg: Type.String(), errorCode: Type.String() });
const V2Batch = Type.Object({ successList: Type.Array(Item), failureList: Type.Array(Fail) });

const data = {
  successList: Array.from({ length: 50 }, (_, i) => ({ orderId: String(1_800_000_000_000_000_000n + BigInt(i)), clientOid: i % 2 ? `c-"${i}"\u00e9` : '' })),
  failureList: [{ orderId: '1', clientOid: '', errorMsg: 'The order does not exist', errorCode: '40768' }],
};

const make = (path: string, response?: typeof V2Batch, result: unknown = data): Endpoint =>
  endpoint({
    method: 'POST',
    path,
    rateLimit: 10,
    body: Type.Object({ fail: Type.Optional(Type.Boolean()) }),
    response,
    handle: ({ body }) => {
      if (body.fail) throw err(Errors.PARAM_ERROR, 'fail');
      return result;
    },
  });

async function server() {
  const app = buildServer({
    services: {} as AppServices,
    endpoints: [make('/plain'), make('/schema', V2Batch), make('/extra', V2Batch, { ...data, secret: 'x' })],
    limiter: new NoRateLimiter(),
    logLevel: 'silent',
  });
  await app.ready();
  return app;
}

const post = (app: Awaited<ReturnType<typeof server>>, url: string, body: unknown) =>
  app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });

test('a response schema serialises the success envelope exactly like JSON.stringify', async () => {
  const app = await server();
  const [plain, fast] = await Promise.all([post(app, '/plain', {}), post(app, '/schema', {})]);
  assert.equal(fast.statusCode, 200);
  const a = JSON.parse(plain.body);
  const b = JSON.parse(fast.body);
  assert.equal(typeof b.requestTime, 'number');
  assert.equal(fast.body, plain.body.replace(`"requestTime":${a.requestTime}`, `"requestTime":${b.requestTime}`));
  assert.deepEqual(b, { code: '00000', msg: 'success', requestTime: b.requestTime, data });
  assert.match(fast.headers['content-type'] as string, /application\/json/);
  await app.close();
});

test('errors on an endpoint with a response schema keep the Bitget error envelope', async () => {
  const app = await server();
  const r = await post(app, '/schema', { fail: true });
  assert.equal(r.statusCode, 400);
  assert.deepEqual({ ...JSON.parse(r.body), requestTime: 0 }, { code: '40020', msg: 'Parameter fail error', requestTime: 0, data: null });
  await app.close();
});

test('properties the response schema does not list are left out of the reply', async () => {
  const app = await server();
  const r = await post(app, '/extra', {});
  assert.equal(r.statusCode, 200);
  assert.deepEqual(Object.keys(JSON.parse(r.body).data), ['successList', 'failureList']);
  await app.close();
});
