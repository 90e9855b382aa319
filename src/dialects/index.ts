/**
 * Bitget's dialects, one namespace each (see docs/DESIGN.md "Dialects"). The order renderers
 * a REST reply or a WebSocket push uses: `spot.renderSpotOrder`, `spot.renderSpotOpenOrder`,
 * `spot.renderSpotHistoryOrder`, `mix.renderMixOrder`, `margin.renderMarginOrder`,
 * `uta.renderUtaOrder`; batch outcomes: `common.toV2Batch`, `common.toV3Items`.
 */
export * as common from './common/index.js';
export * as spot from './spot/index.js';
export * as mix from './mix/index.js';
export * as margin from './margin/index.js';
export * as uta from './uta/index.js';
export * as publicMarket from './public/index.js';
