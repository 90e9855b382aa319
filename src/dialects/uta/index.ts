/**
 * The v3 unified-account dialect (`/api/v3/trade/*`, `/api/v3/account/settings`, reference
 * §4.5; seed page 002): schemas, request -> command mapping, reads, and renderers. Only
 * unified-account keys are accepted (a classic key gets 40084 from auth). Renderer API (REST
 * and pushes): `renderUtaOrder(order)`; batch outcomes with `toV3Items` (common), failure
 * codes of policy `uta`: 25204 not found, 45134 already filled/cancelled, 25100 unknown
 * symbol, 25212 duplicate clientOid.
 */
export * as utaSchemas from './schemas.js';
export { UTA_BATCH_MAX } from './schemas.js';
export * from './requests.js';
export * from './render.js';
export * from './queries.js';
export * from './push.js';
export * from './countdown.js';
export * from './money.js';
