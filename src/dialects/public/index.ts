/**
 * The public market dialect (reference §5): request schemas, queries over the market
 * catalogue, and renderers. Renderer API (REST and pushes): `renderSpotSymbol`,
 * `renderMarginCurrency`, `renderContract`, `renderInstrument` (each of a `Market`) and
 * `renderCoin(coin, coinId)`.
 */
export * from './render.js';
export * from './queries.js';
