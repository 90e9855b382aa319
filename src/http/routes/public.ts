/**
 * Public market endpoints (reference §5): server time, spot symbols, coins, margin currencies,
 * futures contracts and v3 instruments. Unsigned, limited per IP (reference §7: 20/s; coins
 * 3/s; margin currencies 10/s); a signed request is accepted too (bitget-api signs some of
 * them). Declarations only: the shapes are in `src/dialects/public/`.
 */
import * as pub from '../../dialects/public/index.js';
import { endpoint } from '../endpoint.js';

const serverTime = endpoint({
  method: 'GET',
  path: '/api/v2/public/time',
  rateLimit: 20,
  handle: ({ now }) => pub.serverTime(now),
});

/** The public endpoints. */
export const publicEndpoints = [
  serverTime,
  { ...serverTime, path: '/api/v3/public/time' },
  endpoint({
    method: 'GET',
    path: '/api/v2/spot/public/symbols',
    rateLimit: 20,
    query: pub.SymbolsQuery,
    handle: ({ query, services }) => pub.spotSymbols(services.catalogue, query),
  }),
  endpoint({
    method: 'GET',
    path: '/api/v2/spot/public/coins',
    rateLimit: 3,
    query: pub.CoinsQuery,
    handle: ({ query, services }) => pub.coins(services.catalogue, query),
  }),
  endpoint({
    method: 'GET',
    path: '/api/v2/margin/currencies',
    rateLimit: 10,
    handle: ({ services }) => pub.marginCurrencies(services.catalogue),
  }),
  endpoint({
    method: 'GET',
    path: '/api/v2/mix/market/contracts',
    rateLimit: 20,
    query: pub.ContractsQuery,
    handle: ({ query, services }) => pub.contracts(services.catalogue, query),
  }),
  endpoint({
    method: 'GET',
    path: '/api/v3/market/instruments',
    rateLimit: 20,
    query: pub.InstrumentsQuery,
    handle: ({ query, services }) => pub.instruments(services.catalogue, query),
  }),
];
