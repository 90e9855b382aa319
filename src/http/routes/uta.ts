/**
 * v3 unified-account ("UTA") endpoints: `/api/v3/trade/*` and `/api/v3/account/settings`
 * (reference §4.5, rate limits per UID §7; seed page 002 = cancel-batch). Declarations only:
 * the wire shapes are in `src/dialects/uta/`.
 */
import { Errors, err } from '../../domain/errors.js';
import { runCancel, runPlace, single, toV3Items } from '../../dialects/common/index.js';
import * as uta from '../../dialects/uta/index.js';
import { endpoint } from '../endpoint.js';
import { BITGET_COUNTDOWN } from '../../switches/service.js';
import { unifiedRead, unifiedTrade } from './common.js';

const S = uta.utaSchemas;

/** The UTA endpoints. */
export const utaEndpoints = [
  endpoint({
    method: 'POST',
    path: '/api/v3/trade/place-order',
    rateLimit: 10,
    auth: unifiedTrade,
    body: S.PlaceItem,
    handle: async ({ body, uid, now, services }) => single(await runPlace(services.engine, 'uta', uta.utaPlaceRequest(uid, body, services.catalogue, now))),
  }),
  endpoint({
    method: 'POST',
    path: '/api/v3/trade/place-batch',
    rateLimit: 5,
    auth: unifiedTrade,
    tooMany: Errors.BATCH_TOO_LARGE_V3,
    body: S.PlaceBatchBody,
    handle: async ({ body, uid, now, services }) =>
      toV3Items(await runPlace(services.engine, 'uta', uta.utaPlaceBatchRequest(uid, body, services.catalogue, now))),
  }),
  endpoint({
    method: 'POST',
    path: '/api/v3/trade/cancel-order',
    rateLimit: 10,
    auth: unifiedTrade,
    body: S.CancelBody,
    handle: async ({ body, uid, services }) => single(await runCancel(services.engine, 'uta', uta.utaCancelRequest(uid, body))),
  }),
  endpoint({
    method: 'POST',
    path: '/api/v3/trade/cancel-batch',
    rateLimit: 5,
    auth: unifiedTrade,
    tooMany: Errors.BATCH_TOO_LARGE_V3,
    body: S.CancelBatchBody,
    handle: async ({ body, uid, services }) => toV3Items(await runCancel(services.engine, 'uta', uta.utaCancelBatchRequest(uid, body))),
  }),
  endpoint({
    method: 'POST',
    path: '/api/v3/trade/cancel-symbol-order',
    rateLimit: 5,
    auth: unifiedTrade,
    body: S.CancelSymbolBody,
    handle: async ({ body, uid, services }) => ({ list: toV3Items(await runCancel(services.engine, 'uta', uta.utaCancelSymbolRequest(uid, body))) }),
  }),
  endpoint({
    method: 'GET',
    path: '/api/v3/trade/order-info',
    rateLimit: 20,
    auth: unifiedRead,
    query: S.OrderInfoQuery,
    handle: ({ query, uid, services }) => uta.utaOrderInfo(uid, query, services.engine),
  }),
  endpoint({
    method: 'GET',
    path: '/api/v3/trade/unfilled-orders',
    rateLimit: 20,
    auth: unifiedRead,
    query: S.ListQuery,
    handle: ({ query, uid, services }) => uta.listUta(uid, query, true, services.engine),
  }),
  endpoint({
    method: 'GET',
    path: '/api/v3/trade/history-orders',
    rateLimit: 20,
    auth: unifiedRead,
    query: S.ListQuery,
    handle: ({ query, uid, services }) => uta.listUta(uid, query, false, services.engine),
  }),
  endpoint({
    // Bitget's dead-man's switch (src/dialects/uta/countdown.ts; README "Kill switches")
    method: 'POST',
    path: '/api/v3/trade/countdown-cancel-all',
    rateLimit: 1,
    auth: unifiedTrade,
    body: uta.CountdownBody,
    handle: async ({ body, uid, services }) => {
      const seconds = uta.parseCountdown(body.countdown, BITGET_COUNTDOWN);
      if (!services.switches) throw err(Errors.SYSTEM_ABNORMAL);
      await services.switches.countdown(uid, seconds);
      return 'success';
    },
  }),
  endpoint({
    method: 'GET',
    path: '/api/v3/account/settings',
    rateLimit: 20,
    auth: unifiedRead,
    handle: ({ uid, services }) => uta.utaSettings(uid, services.engine),
  }),
  // money (issue 10): src/dialects/uta/money.ts
  endpoint({
    method: 'GET',
    path: '/api/v3/account/assets',
    rateLimit: 20,
    auth: unifiedRead,
    handle: ({ uid, services }) => uta.utaAssets(uid, services.engine),
  }),
  endpoint({
    method: 'POST',
    path: '/api/v3/account/set-leverage',
    rateLimit: 10,
    auth: unifiedTrade,
    body: S.SetLeverageBody,
    handle: ({ body, uid, services }) => uta.utaSetLeverage(uid, body, services.engine, services.catalogue),
  }),
  endpoint({
    method: 'POST',
    path: '/api/v3/account/set-hold-mode',
    rateLimit: 10,
    auth: unifiedTrade,
    body: S.SetHoldModeBody,
    handle: ({ body, uid, services }) => uta.utaSetHoldMode(uid, body, services.engine),
  }),
  endpoint({
    method: 'GET',
    path: '/api/v3/position/current-position',
    rateLimit: 20,
    auth: unifiedRead,
    query: S.PositionQuery,
    handle: ({ query, uid, now, services }) => uta.utaPositions(uid, query, services.engine, services.catalogue, now),
  }),
  endpoint({
    method: 'GET',
    path: '/api/v3/trade/fills',
    rateLimit: 20,
    auth: unifiedRead,
    query: S.FillsQuery,
    handle: ({ query, uid, services }) => uta.utaFills(uid, query, services.engine),
  }),
  endpoint({
    method: 'GET',
    path: '/api/v3/account/fee-rate',
    rateLimit: 10,
    auth: unifiedRead,
    query: S.FeeRateQuery,
    handle: ({ query, services }) => uta.utaFeeRate(query, services.catalogue),
  }),
];
