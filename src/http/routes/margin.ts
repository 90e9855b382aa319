/**
 * v2 margin endpoints, cross and isolated: `/api/v2/margin/{crossed|isolated}/*` (reference
 * §4.3-4.4, all 10/s/UID per §7; seed page 001 crossed batch-cancel-order). Declarations only:
 * the wire shapes are in `src/dialects/margin/`. The margin mode comes from the path.
 */
import { Errors } from '../../domain/errors.js';
import type { MarginMode } from '../../domain/types.js';
import { runCancel, runPlace, single, toV2Batch } from '../../dialects/common/index.js';
import * as margin from '../../dialects/margin/index.js';
import { endpoint, type Endpoint } from '../endpoint.js';
import { classicRead, classicTrade } from './common.js';

const S = margin.marginSchemas;
const TRADE = classicTrade('margin order write');
const READ = classicRead('margin order read');

/** The six margin endpoints of one margin mode. */
function marginModeEndpoints(mode: MarginMode): Endpoint[] {
  const base = `/api/v2/margin/${mode}`;
  return [
    endpoint({
      method: 'POST',
      path: `${base}/place-order`,
      rateLimit: 10,
      auth: TRADE,
      body: S.PlaceBody,
      handle: async ({ body, uid, now, services }) => single(await runPlace(services.engine, 'margin', margin.marginPlaceRequest(uid, mode, body, now))),
    }),
    endpoint({
      method: 'POST',
      path: `${base}/batch-place-order`,
      rateLimit: 10,
      auth: TRADE,
      tooMany: Errors.BATCH_PLACE_TOO_LARGE_V2,
      body: S.BatchPlaceBody,
      handle: async ({ body, uid, now, services }) =>
        toV2Batch(await runPlace(services.engine, 'margin', margin.marginBatchPlaceRequest(uid, mode, body, now))),
    }),
    endpoint({
      method: 'POST',
      path: `${base}/cancel-order`,
      rateLimit: 10,
      auth: TRADE,
      body: S.CancelBody,
      handle: async ({ body, uid, services }) => single(await runCancel(services.engine, 'margin', margin.marginCancelRequest(uid, mode, body))),
    }),
    endpoint({
      method: 'POST',
      path: `${base}/batch-cancel-order`,
      rateLimit: 10,
      auth: TRADE,
      tooMany: Errors.BATCH_TOO_LARGE_V2,
      body: S.BatchCancelBody,
      handle: async ({ body, uid, services }) => toV2Batch(await runCancel(services.engine, 'margin', margin.marginBatchCancelRequest(uid, mode, body))),
    }),
    endpoint({
      method: 'GET',
      path: `${base}/open-orders`,
      rateLimit: 10,
      auth: READ,
      query: S.ListQuery,
      handle: ({ query, uid, services }) => margin.listMargin(services.engine, uid, mode, query, true),
    }),
    endpoint({
      method: 'GET',
      path: `${base}/history-orders`,
      rateLimit: 10,
      auth: READ,
      query: S.ListQuery,
      handle: ({ query, uid, services }) => margin.listMargin(services.engine, uid, mode, query, false),
    }),
  ];
}

/** Cross and isolated margin endpoints. */
/** Margin assets (issue 10). */
const marginMoneyEndpoints: readonly Endpoint[] = [
  // money (issue 10): src/dialects/margin/money.ts
  endpoint({
    method: 'GET',
    path: '/api/v2/margin/crossed/account/assets',
    rateLimit: 10,
    auth: classicRead('margin account read'),
    query: margin.marginSchemas.CrossedAssetsQuery,
    handle: ({ query, uid, now, services }) => margin.crossedAssets(uid, query, services.engine, now),
  }),
  endpoint({
    method: 'GET',
    path: '/api/v2/margin/isolated/account/assets',
    rateLimit: 10,
    auth: classicRead('margin account read'),
    query: margin.marginSchemas.IsolatedAssetsQuery,
    handle: ({ query, uid, now, services }) => margin.isolatedAssets(uid, query, services.engine, now),
  }),
  ...(['crossed', 'isolated'] as const).map((mode) =>
    endpoint({
      method: 'GET',
      path: `/api/v2/margin/${mode}/fills`,
      rateLimit: 10,
      auth: READ,
      query: margin.marginSchemas.FillsQuery,
      handle: ({ query, uid, services }) => margin.marginFills(uid, mode, query, services.engine),
    }),
  ),
];

export const marginEndpoints: readonly Endpoint[] = [...marginModeEndpoints('crossed'), ...marginModeEndpoints('isolated'), ...marginMoneyEndpoints];
