/**
 * The market catalogue: which symbols exist in which category, with tick sizes and minimums.
 *
 * The default catalogue is `default-markets.json` beside this file; `ORDERGATE_MARKETS=<file>`
 * replaces it with a JSON file of the same shape ({spot: [...], futures: [...]}). A spot entry
 * with `margin: true` is also tradable in MARGIN (cross and isolated).
 */
import { readFileSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Category } from '../domain/types.js';
import defaultMarkets from './default-markets.json' with { type: 'json' };
import { isDecimalString } from '../domain/decimal.js';

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
}

/** Decimals of a step such as "0.01" (2) or "1" (0). */
export function stepPlaces(step: string): number {
  const dot = step.indexOf('.');
  return dot < 0 ? 0 : step.replace(/0+$/, '').length - dot - 1;
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
    for (const s of file.spot) {
      const base = { ...s, marginCoins: [], marginEnabled: s.margin === true };
      all.push({ ...base, category: 'SPOT' });
      if (s.margin) all.push({ ...base, category: 'MARGIN' });
    }
    for (const f of file.futures) {
      all.push({ ...f, category: f.productType, marginEnabled: false });
    }
    for (const m of all) {
      for (const k of ['tickSize', 'sizeStep', 'minSize', 'maxSize', 'minNotional'] as const) {
        if (!isDecimalString(m[k])) throw new Error(`invalid ${k} for ${m.symbol}`);
      }
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
}

/** Loads the catalogue from `path`, or the default one when no path is given. */
export function loadCatalogue(path?: string): Catalogue {
  const file = path ? (JSON.parse(readFileSync(path, 'utf8')) as CatalogueFile) : (defaultMarkets as CatalogueFile);
  return new Catalogue(file);
}
