/**
 * ordergate's own admin endpoints (not Bitget's): deterministic fills and key management for
 * tests and for a CLI talking to a running server (`ordergate fill|keys --server URL`).
 * Served only when ORDERGATE_ADMIN_TOKEN is set; every request must carry it in the
 * `x-admin-token` header (the `admin` auth kind of src/http/endpoint.ts: checked before the body is read; 401 /
 * 40014 otherwise). Answers are Bitget envelopes; errors come from the catalogue.
 */
import { Type } from '@sinclair/typebox';
import { createKeys, listKeyRows, revokeKey, type AccountServices } from '../../accounts/manage.js';
import { Errors, err } from '../../domain/errors.js';
import { endpoint, type AppServices, type Endpoint } from '../endpoint.js';

/** Requests per second per IP on each admin endpoint: high enough never to pace a test driver. */
const ADMIN_RATE = 10_000;

function accounts(services: AppServices): AccountServices {
  if (!services.accounts) throw err(Errors.SYSTEM_ABNORMAL);
  return services.accounts;
}

/**
 * `POST /admin/fill {orderId, size?}`: fills an open order at its limit price, `size` (a
 * decimal string) or all that is left. Data `{orderId, clientOid, symbol, category, status,
 * size, filledSize}` (`category` is ordergate's: SPOT, MARGIN, USDT-FUTURES…).
 * Errors: 40019 no orderId, 40020 size malformed or more than is left, the family's
 * not-found (43001 / 40768 / 25204) or finished code.
 */
const fill = endpoint({
  method: 'POST',
  path: '/admin/fill',
  rateLimit: ADMIN_RATE,
  admin: true,
  body: Type.Object({ orderId: Type.String({ maxLength: 64 }), size: Type.Optional(Type.String({ maxLength: 40 })) }),
  async handle({ body, services }) {
    if (body.orderId === '') throw err(Errors.PARAM_EMPTY, 'orderId');
    const o = await services.engine.fill(body.orderId, body.size);
    return { orderId: o.orderId, clientOid: o.clientOid, symbol: o.symbol, category: o.category, status: o.status, size: o.size, filledSize: o.filledSize };
  },
});

/**
 * `POST /admin/deposit {uid, coin, amount, account?}`: credits `amount` (a positive decimal
 * string, at most 8 decimals) of `coin` to one of the UID's accounts, `account` one of
 * `spot|usdt-futures|coin-futures|usdc-futures|crossed|isolated:SYMBOL|unified` (default: the
 * UID's `spot`, or `unified` for a unified UID). A `deposit` ledger entry and a `balance` event.
 * Data `{uid, account, coin, available, frozen}` (`account` the canonical id, e.g.
 * `futures:USDT-FUTURES:USDT`). Errors: 40019 a field empty; 40020 `Parameter uid error` (no
 * such UID), `Parameter account error`, `Parameter amount error`.
 */
const deposit = endpoint({
  method: 'POST',
  path: '/admin/deposit',
  rateLimit: ADMIN_RATE,
  admin: true,
  body: Type.Object({
    uid: Type.String({ maxLength: 64 }),
    coin: Type.String({ maxLength: 20 }),
    amount: Type.String({ maxLength: 40 }),
    account: Type.Optional(Type.String({ maxLength: 64 })),
  }),
  async handle({ body, services }) {
    for (const f of ['uid', 'coin', 'amount'] as const) if (body[f] === '') throw err(Errors.PARAM_EMPTY, f);
    const b = await services.engine.deposit(body.uid, body.coin, body.amount, body.account);
    return { uid: body.uid, account: b.account, coin: b.coin, available: b.available, frozen: b.frozen };
  },
});

/**
 * `POST /admin/reset {uid}`: puts the UID's money back to its start (engine `reset`): cancels
 * its open orders, closes its positions, sets every balance back to the start balance. Data
 * `{uid, cancelled}`. Errors: 40019 no uid, 40020 `Parameter uid error` (no such UID).
 */
const reset = endpoint({
  method: 'POST',
  path: '/admin/reset',
  rateLimit: ADMIN_RATE,
  admin: true,
  body: Type.Object({ uid: Type.String({ maxLength: 64 }) }),
  async handle({ body, services }) {
    if (body.uid === '') throw err(Errors.PARAM_EMPTY, 'uid');
    return { uid: body.uid, cancelled: await services.engine.reset(body.uid) };
  },
});

/** `GET /admin/keys`: every key (no secrets): `[{apiKey, uid, mode, permission, ips, label, status, created}]`. */
const listKeys = endpoint({
  method: 'GET',
  path: '/admin/keys',
  rateLimit: ADMIN_RATE,
  admin: true,
  async handle({ services }) {
    return listKeyRows(accounts(services).keys);
  },
});

/**
 * `POST /admin/keys {uid? | count?, mode?, permission?, ips?, label?}`: creates one key on
 * `uid` or `count` keys on fresh UIDs (mode default classic, permission default trade);
 * data is the list of created keys with their secret and passphrase (shown once). Usable by
 * the server at once. Errors: 40019 neither uid nor count, 40020 bad uid/count/enum, 40017
 * the UID exists in the other account mode.
 */
const createKeysEp = endpoint({
  method: 'POST',
  path: '/admin/keys',
  rateLimit: ADMIN_RATE,
  admin: true,
  body: Type.Object({
    uid: Type.Optional(Type.String({ maxLength: 20 })),
    count: Type.Optional(Type.Integer()),
    mode: Type.Optional(Type.Union([Type.Literal('classic'), Type.Literal('unified')])),
    permission: Type.Optional(Type.Union([Type.Literal('read'), Type.Literal('trade')])),
    ips: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 100 })),
    label: Type.Optional(Type.String({ maxLength: 64 })),
  }),
  async handle({ body, services }) {
    return createKeys(accounts(services), {
      uid: body.uid,
      count: body.count,
      mode: body.mode ?? 'classic',
      permission: body.permission ?? 'trade',
      ips: body.ips ?? [],
      label: body.label,
    });
  },
});

/** `POST /admin/keys/revoke {apiKey}`: revokes an active key, refused at once. Data `{apiKey}`. Error 40037 no such active key. */
const revoke = endpoint({
  method: 'POST',
  path: '/admin/keys/revoke',
  rateLimit: ADMIN_RATE,
  admin: true,
  body: Type.Object({ apiKey: Type.String({ maxLength: 64 }) }),
  async handle({ body, services }) {
    await revokeKey(accounts(services), body.apiKey);
    return { apiKey: body.apiKey };
  },
});

/** The admin endpoints (registered only when ORDERGATE_ADMIN_TOKEN is set). */
export const adminEndpoints: readonly Endpoint[] = [fill, deposit, reset, listKeys, createKeysEp, revoke];
