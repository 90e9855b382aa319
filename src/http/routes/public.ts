/**
 * Public market endpoints (reference §5): server time, spot symbols, coins, margin currencies,
 * futures contracts and v3 instruments, all built from the market catalogue. Unsigned, limited
 * per IP (reference §7: 20/s; coins 3/s; margin currencies 10/s); a signed request is accepted
 * too (bitget-api signs some of them). These are what ccxt's `loadMarkets` reads, in classic
 * mode (coins, symbols, margin currencies, contracts for all six productTypes) and in UTA mode
 * (coins, instruments for SPOT / USDT- / COIN- / USDC-FUTURES); see notes/sdk.md §3.4.
 *
 * Every number is a decimal string; precision fields are counts of decimals derived from the
 * catalogue's tickSize / sizeStep. Fields ordergate does not model (price-limit ratios, order
 * count caps, leverage tiers) carry fixed Bitget-like values and are not enforced.
 */
import { Type } from '@sinclair/typebox';
import { Errors, err, type ErrorDef } from '../../domain/errors.js';
import type { Category } from '../../domain/types.js';
import type { Catalogue, Market } from '../../markets/catalogue.js';
import { endpoint } from '../endpoint.js';
import { OptStr, Str, parseCategory, parseProductType } from './common.js';

/** Decimals of quote-coin amounts (Bitget's `quotePrecision`): price decimals + size decimals. */
function quotePrecision(m: Market): string {
  return String(m.pricePlace + m.volumePlace);
}

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

/** A spot symbol row of GET /api/v2/spot/public/symbols (DOC:spot/market/Get-Symbols). */
export function renderSpotSymbol(m: Market) {
  return {
    symbol: m.symbol,
    baseCoin: m.baseCoin,
    quoteCoin: m.quoteCoin,
    minTradeAmount: m.minSize,
    maxTradeAmount: m.maxSize,
    takerFeeRate: m.takerFeeRate,
    makerFeeRate: m.makerFeeRate,
    pricePrecision: String(m.pricePlace),
    quantityPrecision: String(m.volumePlace),
    quotePrecision: quotePrecision(m),
    status: 'online',
    minTradeUSDT: m.minNotional,
    buyLimitPriceRatio: '0.05',
    sellLimitPriceRatio: '0.05',
    areaSymbol: 'no',
    orderQuantity: '200',
    openTime: '',
    offTime: '',
  };
}

/**
 * A margin row of GET /api/v2/margin/currencies (DOC:margin/common/support-currencies).
 * The borrowable flags are JSON booleans: ccxt recognises this response by
 * `safeBool(firstRow, 'isBorrowable')` and ignores the string "true".
 */
export function renderMarginCurrency(m: Market) {
  return {
    symbol: m.symbol,
    baseCoin: m.baseCoin,
    quoteCoin: m.quoteCoin,
    maxCrossedLeverage: '3',
    maxIsolatedLeverage: '10',
    warningRiskRatio: '0.8',
    liquidationRiskRatio: '1',
    minTradeAmount: m.minSize,
    maxTradeAmount: m.maxSize,
    takerFeeRate: m.takerFeeRate,
    makerFeeRate: m.makerFeeRate,
    pricePrecision: String(m.pricePlace),
    quantityPrecision: String(m.volumePlace),
    minTradeUSDT: m.minNotional,
    isBorrowable: true,
    userMinBorrow: '0.00000001',
    status: '1',
    isIsolatedBaseBorrowable: true,
    isIsolatedQuoteBorrowable: true,
    isCrossBorrowable: true,
  };
}

/**
 * A contract row of GET /api/v2/mix/market/contracts (DOC:contract/market/Get-All-Symbols-Contracts).
 * ccxt needs `symbolType` (else the row overwrites the spot market), `priceEndStep` and
 * `sizeMultiplier` (else it crashes) and `supportMarginCoins` (the settle coin).
 */
export function renderContract(m: Market) {
  return {
    symbol: m.symbol,
    baseCoin: m.baseCoin,
    quoteCoin: m.quoteCoin,
    buyLimitPriceRatio: '0.05',
    sellLimitPriceRatio: '0.05',
    feeRateUpRatio: '0.005',
    makerFeeRate: m.makerFeeRate,
    takerFeeRate: m.takerFeeRate,
    openCostUpRatio: '0.01',
    supportMarginCoins: [...m.marginCoins],
    minTradeNum: m.minSize,
    priceEndStep: m.priceEndStep,
    volumePlace: String(m.volumePlace),
    pricePlace: String(m.pricePlace),
    sizeMultiplier: m.sizeStep,
    symbolType: 'perpetual',
    minTradeUSDT: m.minNotional,
    maxSymbolOrderNum: '200',
    maxProductOrderNum: '400',
    maxPositionNum: '150',
    symbolStatus: 'normal',
    offTime: '-1',
    limitOpenTime: '-1',
    deliveryTime: '',
    deliveryStartTime: '',
    deliveryPeriod: '',
    launchTime: '',
    fundInterval: '8',
    minLever: m.minLever,
    maxLever: m.maxLever,
    posLimit: '0.05',
    maintainTime: '',
    maxMarketOrderQty: m.maxSize,
    maxOrderQty: m.maxSize,
    isRwa: 'NO',
  };
}

/**
 * An instrument row of GET /api/v3/market/instruments (DOC:uta/public/Instruments). `category`
 * is always present (ccxt reads it from the row); futures rows carry `type: "perpetual"` (the
 * doc's table) and `symbolType` (the doc's example).
 */
export function renderInstrument(m: Market) {
  const common = {
    symbol: m.symbol,
    category: m.category,
    baseCoin: m.baseCoin,
    quoteCoin: m.quoteCoin,
    buyLimitPriceRatio: '0.05',
    sellLimitPriceRatio: '0.05',
    feeRateUpRatio: '',
    makerFeeRate: m.makerFeeRate,
    takerFeeRate: m.takerFeeRate,
    minOrderQty: m.minSize,
    maxOrderQty: m.maxSize,
    pricePrecision: String(m.pricePlace),
    quantityPrecision: String(m.volumePlace),
    quotePrecision: quotePrecision(m),
    minOrderAmount: m.minNotional,
    maxSymbolOrderNum: '200',
    maxProductOrderNum: '400',
    status: 'online',
    offTime: '',
    limitOpenTime: '',
    maintainTime: '',
  };
  if (m.category === 'SPOT') return { ...common, areaSymbol: 'no' };
  if (m.category === 'MARGIN') {
    return {
      ...common,
      maxPositionNum: '',
      isIsolatedBaseBorrowable: 'YES',
      isIsolatedQuotedBorrowable: 'YES',
      warningRiskRatio: '0.8',
      liquidationRiskRatio: '1',
      maxCrossedLeverage: '3',
      maxIsolatedLeverage: '10',
      userMinBorrow: '0.00000001',
      areaSymbol: 'no',
    };
  }
  return {
    ...common,
    isRwa: 'NO',
    feeRateUpRatio: '0.005',
    openCostUpRatio: '0.01',
    priceMultiplier: m.tickSize,
    quantityMultiplier: m.sizeStep,
    type: 'perpetual',
    symbolType: 'perpetual',
    maxPositionNum: '150',
    offTime: '-1',
    limitOpenTime: '-1',
    deliveryTime: '',
    deliveryStartTime: '',
    deliveryPeriod: '',
    launchTime: '',
    fundInterval: '8',
    minLeverage: m.minLever,
    maxLeverage: m.maxLever,
    maxMarketOrderQty: m.maxSize,
  };
}

/** Well-known native chains; other coins get a chain named after themselves. */
const CHAINS: Record<string, string> = { BTC: 'BTC', ETH: 'ERC20', USDT: 'ERC20', USDC: 'ERC20', SOL: 'SOL' };

/**
 * A coin row of GET /api/v2/spot/public/coins (DOC:spot/market/Get-Coin-List). Every coin has
 * one chain object with a `chain` name (ccxt throws on a chain without one). Flags are the
 * strings "true"/"false" as on Bitget; ordergate moves no funds, the flags mirror Bitget's.
 */
export function renderCoin(coin: string, coinId: number) {
  return {
    coinId: String(coinId),
    coin,
    transfer: 'true',
    chains: [
      {
        chain: CHAINS[coin] ?? coin,
        needTag: 'false',
        withdrawable: 'true',
        rechargeable: 'true',
        withdrawFee: '0',
        extraWithdrawFee: '0',
        depositConfirm: '1',
        withdrawConfirm: '1',
        minDepositAmount: '0',
        minWithdrawAmount: '0',
        browserUrl: '',
        contractAddress: '',
        withdrawStep: '0',
        withdrawMinScale: '8',
        congestion: 'normal',
      },
    ],
    areaCoin: 'no',
  };
}

const serverTime = endpoint({
  method: 'GET',
  path: '/api/v2/public/time',
  rateLimit: 20,
  handle: ({ now }) => ({ serverTime: String(now) }),
});

/** The public endpoints. */
export const publicEndpoints = [
  serverTime,
  { ...serverTime, path: '/api/v3/public/time' },
  endpoint({
    method: 'GET',
    path: '/api/v2/spot/public/symbols',
    rateLimit: 20,
    query: Type.Object({ symbol: OptStr(40) }),
    handle: ({ query, services }) => pick(services.catalogue, 'SPOT', symbolFilter(query.symbol)).map(renderSpotSymbol),
  }),
  endpoint({
    method: 'GET',
    path: '/api/v2/spot/public/coins',
    rateLimit: 3,
    query: Type.Object({ coin: OptStr(40) }),
    handle({ query, services }) {
      const coins = services.catalogue.assetCoins();
      const rows = coins.map((c, i) => renderCoin(c, i + 1));
      const want = query.coin ? query.coin.toUpperCase() : undefined;
      if (want === undefined) return rows;
      const hit = rows.filter((r) => r.coin === want);
      if (hit.length === 0) throw err(Errors.PARAM_NOT_EXIST, want);
      return hit;
    },
  }),
  endpoint({
    method: 'GET',
    path: '/api/v2/margin/currencies',
    rateLimit: 10,
    handle: ({ services }) => services.catalogue.list('MARGIN').map(renderMarginCurrency),
  }),
  endpoint({
    method: 'GET',
    path: '/api/v2/mix/market/contracts',
    rateLimit: 20,
    query: Type.Object({ productType: Str(40), symbol: OptStr(40) }),
    handle({ query, services }) {
      if (query.productType === '') throw err(Errors.PARAM_EMPTY, 'productType');
      return pick(services.catalogue, parseProductType(query.productType), symbolFilter(query.symbol)).map(renderContract);
    },
  }),
  endpoint({
    method: 'GET',
    path: '/api/v3/market/instruments',
    rateLimit: 20,
    query: Type.Object({ category: Str(40), symbol: OptStr(40) }),
    handle({ query, services }) {
      if (query.category === '') throw err(Errors.PARAM_EMPTY, 'category');
      return pick(services.catalogue, parseCategory(query.category), symbolFilter(query.symbol), Errors.UTA_SYMBOL_NOT_EXIST).map(
        renderInstrument,
      );
    },
  }),
];
