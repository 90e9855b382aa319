/**
 * Public market queries (reference §5): which markets or coins a public request asks for,
 * rendered. These are what ccxt's `loadMarkets` reads, in classic mode (coins, symbols, margin
 * currencies, contracts for all six productTypes) and in UTA mode (coins, instruments for
 * SPOT / USDT- / COIN- / USDC-FUTURES).
 */
import { Type } from '@sinclair/typebox';
import { Errors, err, type ErrorDef } from '../../domain/errors.js';
import type { Category } from '../../domain/types.js';
import type { Catalogue, Market } from '../../markets/catalogue.js';
import { OptStr, Str, parseCategory, parseProductType } from '../common/index.js';
import { renderCoin, renderContract, renderInstrument, renderMarginCurrency, renderSpotSymbol } from './render.js';

/** GET /api/v2/spot/public/symbols query. */
export const SymbolsQuery = Type.Object({ symbol: OptStr(40) });
/** GET /api/v2/spot/public/coins query. */
export const CoinsQuery = Type.Object({ coin: OptStr(40) });
/** GET /api/v2/mix/market/contracts query. */
export const ContractsQuery = Type.Object({ productType: Str(40), symbol: OptStr(40) });
/** GET /api/v3/market/instruments query. */
export const InstrumentsQuery = Type.Object({ category: Str(40), symbol: OptStr(40) });

/** Canonical symbol filter: upper-cased, '' counts as absent. */
function symbolFilter(symbol: string | undefined): string | undefined {
  return symbol ? symbol.toUpperCase() : undefined;
}

/**
 * The markets of `category`, optionally only `symbol`.
 * @throws BitgetError `unknown` (v2: 40034 "Parameter {symbol} does not exist"; v3: 25100
 *   "Trading pair {symbol} does not exist") when `symbol` names no market of the category.
 */
function pick(catalogue: Catalogue, category: Category, symbol: string | undefined, unknown: ErrorDef = Errors.PARAM_NOT_EXIST): Market[] {
  if (symbol === undefined) return catalogue.list(category);
  const m = catalogue.get(category, symbol);
  if (!m) throw err(unknown, symbol);
  return [m];
}

/** GET /api/v2/public/time (and v3): `{serverTime}` in ms as a string. */
export function serverTime(now: number) {
  return { serverTime: String(now) };
}

/** Spot symbols, all or one. @throws BitgetError 40034 for a symbol naming nothing. */
export function spotSymbols(catalogue: Catalogue, q: typeof SymbolsQuery.static) {
  return pick(catalogue, 'SPOT', symbolFilter(q.symbol)).map(renderSpotSymbol);
}

/** Coins, all or one. @throws BitgetError 40034 for a coin naming nothing. */
export function coins(catalogue: Catalogue, q: typeof CoinsQuery.static) {
  const rows = catalogue.assetCoins().map((c, i) => renderCoin(c, i + 1));
  const want = q.coin ? q.coin.toUpperCase() : undefined;
  if (want === undefined) return rows;
  const hit = rows.filter((r) => r.coin === want);
  if (hit.length === 0) throw err(Errors.PARAM_NOT_EXIST, want);
  return hit;
}

/** Margin currencies (every MARGIN market). */
export function marginCurrencies(catalogue: Catalogue) {
  return catalogue.list('MARGIN').map(renderMarginCurrency);
}

/** Futures contracts of a productType. @throws BitgetError 40019 empty productType, 40020 unknown, 40034 symbol. */
export function contracts(catalogue: Catalogue, q: typeof ContractsQuery.static) {
  if (q.productType === '') throw err(Errors.PARAM_EMPTY, 'productType');
  return pick(catalogue, parseProductType(q.productType), symbolFilter(q.symbol)).map(renderContract);
}

/** v3 instruments of a category. @throws BitgetError 40019 empty category, 40020 unknown, 25100 symbol. */
export function instruments(catalogue: Catalogue, q: typeof InstrumentsQuery.static) {
  if (q.category === '') throw err(Errors.PARAM_EMPTY, 'category');
  return pick(catalogue, parseCategory(q.category), symbolFilter(q.symbol), Errors.UTA_SYMBOL_NOT_EXIST).map(renderInstrument);
}
