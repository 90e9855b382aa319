/**
 * The v2 spot dialect (`/api/v2/spot/trade/*`, reference §4.1; seed page 003): schemas,
 * request -> command mapping, reads, and renderers. Renderer API (REST and pushes):
 * `renderSpotOrder(order, catalogue)` (orderInfo), `renderSpotHistoryOrder(order, catalogue)`,
 * `renderSpotOpenOrder(order)` (unfilled-orders), `SPOT_STATUS`, `spotFeeDetail`; batch
 * outcomes with `toV2Batch` (common).
 */
export * as spotSchemas from './schemas.js';
export * from './requests.js';
export * from './render.js';
export * from './queries.js';
export * from './push.js';
export * from './money.js';
