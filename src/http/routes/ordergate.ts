/**
 * ordergate's own extension endpoints, NOT Bitget's: `/api/ordergate/v1/*` (issue 13, README
 * "Kill switches"). Signed exactly like Bitget's private endpoints (ACCESS-* headers), for keys
 * of BOTH account modes; answers are Bitget envelopes, errors come from the catalogue.
 *
 * - `POST /api/ordergate/v1/countdown-cancel-all {countdown, category?, symbol?}`: Bitget's
 *   countdown for any account, optionally scoped to a category and/or a symbol (as Binance and
 *   Gate do); seconds 1..86400, "0" disarms that scope; data: the switch ({@link SwitchState}).
 * - `POST /api/ordergate/v1/panic {block?}`: cancels every open order of the UID in every
 *   category in one unit; `block: true` also refuses new orders (40022) until unblocked;
 *   data `{cancelled, orderIds (first 100), blocked}`.
 * - `POST /api/ordergate/v1/unblock`: lets the UID place orders again; data: the panic switch.
 * - `GET /api/ordergate/v1/switches`: the UID's switches (armed, deadline, last fire…).
 * - `GET /admin/switches?uid=U` (admin token, only with ORDERGATE_ADMIN_TOKEN): any UID's (all without uid).
 */
import { Type } from '@sinclair/typebox';
import { parseCategory } from '../../dialects/common/index.js';
import { CountdownBody, parseCountdown } from '../../dialects/uta/countdown.js';
import { Errors, err } from '../../domain/errors.js';
import { EXTENSION_COUNTDOWN, renderSwitch, type SwitchService } from '../../switches/service.js';
import type { AuthRequirement } from '../auth.js';
import { endpoint, type AppServices, type Endpoint } from '../endpoint.js';

/** An extension trading endpoint: any account mode, trade permission. */
const anyTrade: AuthRequirement = { mode: 'any', permission: 'trade', permissionName: 'ordergate trade' };
/** An extension read endpoint: any account mode. */
const anyRead: AuthRequirement = { mode: 'any', permission: 'read', permissionName: 'ordergate read' };

function switches(services: AppServices): SwitchService {
  if (!services.switches) throw err(Errors.SYSTEM_ABNORMAL);
  return services.switches;
}

/** A symbol as the dialects spell it (upper case letters, digits, `_`). @throws 40020 otherwise. */
function parseSymbol(v: string | undefined): string | undefined {
  if (v === undefined || v === '') return undefined;
  const s = v.toUpperCase();
  if (!/^[A-Z0-9_]{1,40}$/.test(s)) throw err(Errors.PARAM_ERROR, 'symbol');
  return s;
}

const ScopedCountdownBody = Type.Intersect([
  CountdownBody,
  Type.Object({ category: Type.Optional(Type.String({ maxLength: 20 })), symbol: Type.Optional(Type.String({ maxLength: 40 })) }),
]);

/** The extension endpoints (mounted for every server). */
export const ordergateEndpoints: readonly Endpoint[] = [
  endpoint({
    method: 'POST',
    path: '/api/ordergate/v1/countdown-cancel-all',
    rateLimit: 10,
    auth: anyTrade,
    body: ScopedCountdownBody,
    async handle({ body, uid, services }) {
      const seconds = parseCountdown(body.countdown, EXTENSION_COUNTDOWN);
      const category = body.category ? parseCategory(body.category) : undefined;
      const symbol = parseSymbol(body.symbol);
      const s = switches(services);
      const rec = await s.countdown(uid, seconds, { category, symbol });
      return rec ? renderSwitch(rec) : null;
    },
  }),
  endpoint({
    method: 'POST',
    path: '/api/ordergate/v1/panic',
    rateLimit: 5,
    auth: anyTrade,
    body: Type.Object({ block: Type.Optional(Type.Union([Type.Boolean(), Type.String({ maxLength: 5 })])) }),
    async handle({ body, uid, services }) {
      const b = body.block;
      if (b !== undefined && b !== true && b !== false && b !== 'true' && b !== 'false') throw err(Errors.PARAM_ERROR, 'block');
      const r = await switches(services).panic(uid, b === true || b === 'true');
      return { cancelled: String(r.cancelled), orderIds: r.orderIds, blocked: r.blocked };
    },
  }),
  endpoint({
    method: 'POST',
    path: '/api/ordergate/v1/unblock',
    rateLimit: 5,
    auth: anyTrade,
    async handle({ uid, services }) {
      return renderSwitch(await switches(services).unblock(uid));
    },
  }),
  endpoint({
    method: 'GET',
    path: '/api/ordergate/v1/switches',
    rateLimit: 20,
    auth: anyRead,
    handle: ({ uid, services }) => switches(services).state(uid),
  }),
];

/** `GET /admin/switches?uid=U`: the CLI's `ordergate switches --server` (admin token). */
export const ordergateAdminEndpoints: readonly Endpoint[] = [
  endpoint({
    method: 'GET',
    path: '/admin/switches',
    rateLimit: 10_000,
    admin: true,
    query: Type.Object({ uid: Type.Optional(Type.String({ maxLength: 64 })) }),
    handle: ({ query, services }) => switches(services).state(query.uid || undefined),
  }),
];
