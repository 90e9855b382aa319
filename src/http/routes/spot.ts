/**
 * v2 spot endpoints `/api/v2/spot/trade/*` (reference §4.1, rate limits §7; seed page 003
 * batch-cancel-order). Declarations only: the wire shapes are in `src/dialects/spot/`.
 */
import { Errors } from '../../domain/errors.js';
import { runCancel, runPlace, single, toV2Batch } from '../../dialects/common/index.js';
import * as spot from '../../dialects/spot/index.js';
import { endpoint } from '../endpoint.js';
import { classicRead, classicTrade } from './common.js';

const S = spot.spotSchemas;
const TRADE = classicTrade('spot order write');
const READ = classicRead('spot order read');

/** The spot endpoints. */
export const spotEndpoints = [
  endpoint({
    method: 'POST',
    path: '/api/v2/spot/trade/place-order',
    rateLimit: 10,
    auth: TRADE,
    body: S.PlaceBody,
    handle: async ({ body, uid, now, services }) => single(await runPlace(services.engine, 'spot', spot.spotPlaceRequest(uid, body, now))),
  }),
  endpoint({
    method: 'POST',
    path: '/api/v2/spot/trade/batch-orders',
    rateLimit: 5,
    auth: TRADE,
    tooMany: Errors.BATCH_PLACE_TOO_LARGE_V2,
    body: S.BatchPlaceBody,
    handle: async ({ body, uid, now, services }) => toV2Batch(await runPlace(services.engine, 'spot', spot.spotBatchPlaceRequest(uid, body, now))),
  }),
  endpoint({
    method: 'POST',
    path: '/api/v2/spot/trade/cancel-order',
    rateLimit: 10,
    auth: TRADE,
    body: S.CancelBody,
    handle: async ({ body, uid, now, services }) => single(await runCancel(services.engine, 'spot', spot.spotCancelRequest(uid, body, now))),
  }),
  endpoint({
    method: 'POST',
    path: '/api/v2/spot/trade/batch-cancel-order',
    rateLimit: 10,
    auth: TRADE,
    tooMany: Errors.BATCH_TOO_LARGE_V2,
    body: S.BatchCancelBody,
    handle: async ({ body, uid, services }) => toV2Batch(await runCancel(services.engine, 'spot', spot.spotBatchCancelRequest(uid, body))),
  }),
  endpoint({
    method: 'POST',
    path: '/api/v2/spot/trade/cancel-symbol-order',
    rateLimit: 5,
    auth: TRADE,
    body: S.CancelSymbolBody,
    async handle({ body, uid, services }) {
      const req = spot.spotCancelSymbolRequest(uid, body, services.catalogue);
      await runCancel(services.engine, 'spot', req);
      return spot.spotCancelSymbolResult(req);
    },
  }),
  endpoint({
    method: 'GET',
    path: '/api/v2/spot/trade/orderInfo',
    rateLimit: 20,
    auth: READ,
    query: S.OrderInfoQuery,
    handle: ({ query, uid, now, services }) => spot.spotOrderInfo(uid, query, services.engine, services.catalogue, now),
  }),
  endpoint({
    method: 'GET',
    path: '/api/v2/spot/trade/unfilled-orders',
    rateLimit: 20,
    auth: READ,
    query: S.ListQuery,
    handle: ({ query, uid, now, services }) => spot.listSpot(uid, query, true, services.engine, services.catalogue, now),
  }),
  endpoint({
    method: 'GET',
    path: '/api/v2/spot/trade/history-orders',
    rateLimit: 20,
    auth: READ,
    query: S.ListQuery,
    handle: ({ query, uid, now, services }) => spot.listSpot(uid, query, false, services.engine, services.catalogue, now),
  }),
  // money (issue 10): src/dialects/spot/money.ts
  endpoint({
    method: 'GET',
    path: '/api/v2/spot/account/assets',
    rateLimit: 10,
    auth: classicRead('spot account read'),
    query: S.AssetsQuery,
    handle: ({ query, uid, now, services }) => spot.spotAssets(uid, query, services.engine, now),
  }),
  endpoint({
    method: 'GET',
    path: '/api/v2/spot/trade/fills',
    rateLimit: 10,
    auth: READ,
    query: S.FillsQuery,
    handle: ({ query, uid, services }) => spot.spotFills(uid, query, services.engine),
  }),
  endpoint({
    method: 'GET',
    path: '/api/v2/common/trade-rate',
    rateLimit: 10,
    auth: classicRead('spot account read'),
    query: S.TradeRateQuery,
    handle: ({ query, services }) => spot.tradeRate(query, services.catalogue),
  }),
  endpoint({
    method: 'POST',
    path: '/api/v2/spot/wallet/transfer',
    rateLimit: 10,
    auth: classicTrade('wallet transfer'),
    body: S.TransferBody,
    handle: ({ body, uid, services }) => spot.spotTransfer(uid, body, services.engine),
  }),
  endpoint({
    method: 'GET',
    path: '/api/v2/spot/account/bills',
    rateLimit: 10,
    auth: classicRead('spot account read'),
    query: S.BillsQuery,
    handle: ({ query, uid, services }) => spot.spotBills(uid, query, services.engine),
  }),
];
