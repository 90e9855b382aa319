/**
 * The v2 margin dialect, cross and isolated (`/api/v2/margin/{crossed|isolated}/*`, reference
 * §4.3-4.4; seed page 001): schemas, request -> command mapping, reads, and renderers.
 * Renderer API (REST and pushes): `renderMarginOrder(order)` (status `partial_fill`),
 * `MARGIN_STATUS`; batch outcomes with `toV2Batch` (common).
 */
export * as marginSchemas from './schemas.js';
export * from './requests.js';
export * from './render.js';
export * from './queries.js';
export * from './push.js';
export * from './money.js';
