/**
 * The v2 futures ("mix") dialect (`/api/v2/mix/order/*`, reference §4.2; seed pages 000 and
 * 004): schemas, request -> command mapping, reads, and renderers. Renderer API (REST and
 * pushes): `renderMixOrder(order)` (status `canceled`, also as `state`), `MIX_STATUS`; batch
 * outcomes with `toV2Batch` (common).
 */
export * as mixSchemas from './schemas.js';
export * from './requests.js';
export * from './render.js';
export * from './queries.js';
export * from './push.js';
export * from './money.js';
