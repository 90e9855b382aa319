/**
 * v2 futures ("mix") endpoints `/api/v2/mix/order/*` (reference §4.2, rate limits §7; seed
 * pages 000 batch-cancel-orders and 004 cancel-all-orders). Declarations only: the wire
 * shapes are in `src/dialects/mix/`.
 */
import { Errors } from '../../domain/errors.js';
import { runCancel, runPlace, single, toV2Batch } from '../../dialects/common/index.js';
import * as mix from '../../dialects/mix/index.js';
import { endpoint } from '../endpoint.js';
import { classicRead, classicTrade } from './common.js';

const S = mix.mixSchemas;
const TRADE = classicTrade('contract order write');
const READ = classicRead('contract order read');

/** The mix endpoints. */
export const mixEndpoints = [
  endpoint({
    method: 'POST',
    path: '/api/v2/mix/order/place-order',
    rateLimit: 10,
    auth: TRADE,
    body: S.PlaceBody,
    handle: async ({ body, uid, now, services }) => single(await runPlace(services.engine, 'mix', mix.mixPlaceRequest(uid, body, now))),
  }),
  endpoint({
    method: 'POST',
    path: '/api/v2/mix/order/batch-place-order',
    rateLimit: 5,
    auth: TRADE,
    tooMany: Errors.BATCH_PLACE_TOO_LARGE_V2,
    body: S.BatchPlaceBody,
    handle: async ({ body, uid, now, services }) => toV2Batch(await runPlace(services.engine, 'mix', mix.mixBatchPlaceRequest(uid, body, now))),
  }),
  endpoint({
    method: 'POST',
    path: '/api/v2/mix/order/cancel-order',
    rateLimit: 10,
    auth: TRADE,
    body: S.CancelBody,
    handle: async ({ body, uid, now, services }) => single(await runCancel(services.engine, 'mix', mix.mixCancelRequest(uid, body, now))),
  }),
  endpoint({
    method: 'POST',
    path: '/api/v2/mix/order/batch-cancel-orders',
    rateLimit: 10,
    auth: TRADE,
    tooMany: Errors.BATCH_TOO_LARGE_V2,
    body: S.BatchCancelBody,
    handle: async ({ body, uid, services }) => toV2Batch(await runCancel(services.engine, 'mix', mix.mixBatchCancelRequest(uid, body))),
  }),
  endpoint({
    method: 'POST',
    path: '/api/v2/mix/order/cancel-all-orders',
    rateLimit: 10,
    auth: TRADE,
    body: S.CancelAllBody,
    handle: async ({ body, uid, now, services }) => toV2Batch(await runCancel(services.engine, 'mix', mix.mixCancelAllRequest(uid, body, now))),
  }),
  endpoint({
    method: 'GET',
    path: '/api/v2/mix/order/detail',
    rateLimit: 10,
    auth: READ,
    query: S.OrderQuery,
    handle: ({ query, uid, services }) => mix.mixOrderDetail(uid, query, services.engine),
  }),
  endpoint({
    method: 'GET',
    path: '/api/v2/mix/order/orders-pending',
    rateLimit: 10,
    auth: READ,
    query: S.ListQuery,
    handle: ({ query, uid, services }) => mix.listMix(uid, query, true, services.engine),
  }),
  endpoint({
    method: 'GET',
    path: '/api/v2/mix/order/orders-history',
    rateLimit: 10,
    auth: READ,
    query: S.ListQuery,
    handle: ({ query, uid, services }) => mix.listMix(uid, query, false, services.engine),
  }),
  // money (issue 10): src/dialects/mix/money.ts
  endpoint({
    method: 'GET',
    path: '/api/v2/mix/account/accounts',
    rateLimit: 10,
    auth: classicRead('contract account read'),
    query: S.ProductTypeQuery,
    handle: ({ query, uid, services }) => mix.mixAccounts(uid, query, services.engine),
  }),
  endpoint({
    method: 'GET',
    path: '/api/v2/mix/account/account',
    rateLimit: 10,
    auth: classicRead('contract account read'),
    query: S.SymbolAccountQuery,
    handle: ({ query, uid, services }) => mix.mixAccount(uid, query, services.engine, services.catalogue),
  }),
  endpoint({
    method: 'GET',
    path: '/api/v2/mix/position/all-position',
    rateLimit: 5,
    auth: classicRead('contract position read'),
    query: S.ProductTypeQuery,
    handle: ({ query, uid, now, services }) => mix.mixAllPositions(uid, query, services.engine, services.catalogue, now),
  }),
  endpoint({
    method: 'GET',
    path: '/api/v2/mix/position/single-position',
    rateLimit: 10,
    auth: classicRead('contract position read'),
    query: S.SymbolAccountQuery,
    handle: ({ query, uid, now, services }) => mix.mixSinglePosition(uid, query, services.engine, services.catalogue, now),
  }),
  endpoint({
    method: 'GET',
    path: '/api/v2/mix/order/fills',
    rateLimit: 10,
    auth: READ,
    query: S.FillsQuery,
    handle: ({ query, uid, services }) => mix.mixFills(uid, query, services.engine),
  }),
  endpoint({
    method: 'POST',
    path: '/api/v2/mix/account/set-leverage',
    rateLimit: 5,
    auth: classicTrade('contract account write'),
    body: S.SetLeverageBody,
    handle: ({ body, uid, services }) => mix.mixSetLeverage(uid, body, services.engine, services.catalogue),
  }),
  endpoint({
    method: 'POST',
    path: '/api/v2/mix/account/set-margin-mode',
    rateLimit: 5,
    auth: classicTrade('contract account write'),
    body: S.SetMarginModeBody,
    handle: ({ body, uid, services }) => mix.mixSetMarginMode(uid, body, services.engine, services.catalogue),
  }),
  endpoint({
    method: 'POST',
    path: '/api/v2/mix/account/set-position-mode',
    rateLimit: 5,
    auth: classicTrade('contract account write'),
    body: S.SetPositionModeBody,
    handle: ({ body, uid, services }) => mix.mixSetPositionMode(uid, body, services.engine),
  }),
];
