/**
 * The market catalogue: which symbols exist in which category, with tick sizes and minimums.
 *
 * The default catalogue is `default-markets.json` beside this file; `ORDERGATE_MARKETS=<file>`
 * replaces it with a JSON file of the same shape ({spot: [...], futures: [...]}). A spot entry
 * with `margin: true` is also tradable in MARGIN (cross and isolated). Optional per-entry fields:
 * `makerFeeRate` / `takerFeeRate` (decimal strings; spot default 0.001, futures 0.0002 / 0.0006)
 * and, for futures, `minLever` / `maxLever` (default 1 / 125). Bitget's precision fields are
 * derived: `pricePlace` = decimals of tickSize, `volumePlace` = decimals of sizeStep,
 * `priceEndStep` = tickSize in units of its last decimal.
 */
import { readFileSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Category } from '../domain/types.js';
import defaultMarkets from './default-markets.json' with { type: 'json' };
import { isDecimalString, isZero, mul, norm } from '../domain/decimal.js';

const Dec = Type.String({ pattern: '^\\d+(\\.\\d+)?$' });

const SpotEntry = Type.Object({
  symbol: Type.String({ pattern: '^[A-Z0-9]{2,30}$' }),
  baseCoin: Type.String(),
  quoteCoin: Type.String(),
  tickSize: Dec,
  sizeStep: Dec,
  minSize: Dec,
  maxSize: Dec,
  minNotional: Dec,
  margin: Type.Optional(Type.Boolean()),
  /** Fee rates shown by the public symbol endpoints (default 0.001 / 0.001). */
  makerFeeRate: Type.Optional(Dec),
  takerFeeRate: Type.Optional(Dec),
});

const FuturesEntry = Type.Object({
  productType: Type.Union([Type.Literal('USDT-FUTURES'), Type.Literal('COIN-FUTURES'), Type.Literal('USDC-FUTURES')]),
  symbol: Type.String({ pattern: '^[A-Z0-9]{2,30}$' }),
  baseCoin: Type.String(),
  quoteCoin: Type.String(),
  marginCoins: Type.Array(Type.String(), { minItems: 1 }),
  tickSize: Dec,
  sizeStep: Dec,
  minSize: Dec,
  maxSize: Dec,
  minNotional: Dec,
  /** Fee rates shown by the contracts endpoint (default 0.0002 maker / 0.0006 taker). */
  makerFeeRate: Type.Optional(Dec),
  takerFeeRate: Type.Optional(Dec),
  /** Leverage bounds shown by the contracts endpoint (default 1 / 125). */
  minLever: Type.Optional(Type.String({ pattern: '^[1-9]\\d{0,3}$' })),
  maxLever: Type.Optional(Type.String({ pattern: '^[1-9]\\d{0,3}$' })),
});

/** Shape of a catalogue file. */
export const CatalogueFile = Type.Object({
  spot: Type.Array(SpotEntry),
  futures: Type.Array(FuturesEntry),
});
export type CatalogueFile = Static<typeof CatalogueFile>;

/** One tradable instrument in one category. All numbers are decimal strings. */
export interface Market {
  category: Category;
  symbol: string;
  baseCoin: string;
  quoteCoin: string;
  /** Price step (tick size). */
  tickSize: string;
  /** Quantity step. */
  sizeStep: string;
  minSize: string;
  maxSize: string;
  /** Minimum order value in quote units (Bitget's minTradeUSDT). */
  minNotional: string;
  /** Futures: accepted margin coins. Spot/margin: empty. */
  marginCoins: string[];
  /** Spot only: also tradable on margin. */
  marginEnabled: boolean;
  /** Decimals of tickSize: Bitget's `pricePrecision` / `pricePlace`. */
  pricePlace: number;
  /** Decimals of sizeStep: Bitget's `quantityPrecision` / `volumePlace`. */
  volumePlace: number;
  /** tickSize in units of the last price decimal, e.g. tick "0.5" -> "5" (Bitget's `priceEndStep`). */
  priceEndStep: string;
  makerFeeRate: string;
  takerFeeRate: string;
  /** Leverage bounds (futures; "1"/"1" on spot). */
  minLever: string;
  maxLever: string;
}

/** Decimals of a step such as "0.01" (2) or "1" (0). */
export function stepPlaces(step: string): number {
  const dot = step.indexOf('.');
  return dot < 0 ? 0 : step.replace(/0+$/, '').length - dot - 1;
}

/** Bitget's `priceEndStep` of a tick size: the tick expressed in its last decimal place ("0.1" -> "1", "0.25" -> "25", "5" -> "5"). */
export function priceEndStep(tickSize: string): string {
  return norm(mul(tickSize, '1' + '0'.repeat(stepPlaces(tickSize))));
}

/** Lookup of markets by category and symbol. */
export class Catalogue {
  private readonly byKey = new Map<string, Market>();
  readonly all: readonly Market[];

  constructor(file: CatalogueFile) {
    if (!Value.Check(CatalogueFile, file)) {
      const first = [...Value.Errors(CatalogueFile, file)][0];
      throw new Error(`invalid market catalogue at ${first?.path}: ${first?.message}`);
    }
    const all: Market[] = [];
    const derived = (e: { tickSize: string; sizeStep: string }) => ({
      pricePlace: stepPlaces(e.tickSize),
      volumePlace: stepPlaces(e.sizeStep),
      priceEndStep: priceEndStep(e.tickSize),
    });
    for (const s of file.spot) {
      const base = {
        symbol: s.symbol,
        baseCoin: s.baseCoin,
        quoteCoin: s.quoteCoin,
        tickSize: s.tickSize,
        sizeStep: s.sizeStep,
        minSize: s.minSize,
        maxSize: s.maxSize,
        minNotional: s.minNotional,
        marginCoins: [],
        marginEnabled: s.margin === true,
        ...derived(s),
        makerFeeRate: s.makerFeeRate ?? '0.001',
        takerFeeRate: s.takerFeeRate ?? '0.001',
        minLever: '1',
        maxLever: '1',
      };
      all.push({ ...base, category: 'SPOT' });
      if (s.margin) all.push({ ...base, category: 'MARGIN' });
    }
    for (const f of file.futures) {
      all.push({
        category: f.productType,
        symbol: f.symbol,
        baseCoin: f.baseCoin,
        quoteCoin: f.quoteCoin,
        tickSize: f.tickSize,
        sizeStep: f.sizeStep,
        minSize: f.minSize,
        maxSize: f.maxSize,
        minNotional: f.minNotional,
        marginCoins: f.marginCoins,
        marginEnabled: false,
        ...derived(f),
        makerFeeRate: f.makerFeeRate ?? '0.0002',
        takerFeeRate: f.takerFeeRate ?? '0.0006',
        minLever: f.minLever ?? '1',
        maxLever: f.maxLever ?? '125',
      });
    }
    for (const m of all) {
      for (const k of ['tickSize', 'sizeStep', 'minSize', 'maxSize', 'minNotional', 'makerFeeRate', 'takerFeeRate'] as const) {
        if (!isDecimalString(m[k])) throw new Error(`invalid ${k} for ${m.symbol}`);
      }
      if (isZero(m.tickSize) || isZero(m.sizeStep)) throw new Error(`zero tickSize/sizeStep for ${m.symbol}`);
      if (Number(m.minLever) > Number(m.maxLever)) throw new Error(`minLever above maxLever for ${m.symbol}`);
      const key = `${m.category}:${m.symbol}`;
      if (this.byKey.has(key)) throw new Error(`duplicate market ${key}`);
      this.byKey.set(`${m.category}:${m.symbol}`, m);
    }
    this.all = all;
  }

  /** The market of `symbol` in `category`, or undefined. */
  get(category: Category, symbol: string): Market | undefined {
    return this.byKey.get(`${category}:${symbol}`);
  }

  /** Every market of one category, in catalogue order. */
  list(category: Category): Market[] {
    return this.all.filter((m) => m.category === category);
  }

  /** Every coin named by any market, sorted. */
  coins(): string[] {
    const set = new Set<string>();
    for (const m of this.all) {
      set.add(m.baseCoin);
      set.add(m.quoteCoin);
      for (const c of m.marginCoins) set.add(c);
    }
    return [...set].sort();
  }

  /**
   * Coins that are assets (Bitget's /api/v2/spot/public/coins): spot base and quote coins and
   * futures margin and base coins, sorted. A quote-only index unit such as COIN-FUTURES' `USD`
   * is not an asset and is left out.
   */
  assetCoins(): string[] {
    const set = new Set<string>();
    for (const m of this.all) {
      if (m.category === 'SPOT' || m.category === 'MARGIN') {
        set.add(m.baseCoin);
        set.add(m.quoteCoin);
      } else {
        set.add(m.baseCoin);
        for (const c of m.marginCoins) set.add(c);
      }
    }
    return [...set].sort();
  }
}

/** Loads the catalogue from `path`, or the default one when no path is given. */
export function loadCatalogue(path?: string): Catalogue {
  const file = path ? (JSON.parse(readFileSync(path, 'utf8')) as CatalogueFile) : (defaultMarkets as CatalogueFile);
  return new Catalogue(file);
}
