/**
 * Public market renderers (reference §5): catalogue markets and coins in the shapes of the
 * public endpoints (spot symbols, coins, margin currencies, futures contracts, v3
 * instruments). Every number is a decimal string; precision fields are counts of decimals
 * derived from the catalogue's tickSize / sizeStep. Fields ordergate does not model
 * (price-limit ratios, order count caps, leverage tiers) carry fixed Bitget-like values and
 * are not enforced. Plain functions, shared by REST and WebSocket pushes.
 */
import type { Market } from '../../markets/catalogue.js';

/** Decimals of quote-coin amounts (Bitget's `quotePrecision`): price decimals + size decimals. */
function quotePrecision(m: Market): string {
  return String(m.pricePlace + m.volumePlace);
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

