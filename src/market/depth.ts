/**
 * Merged depth (spot and mix `market/merge-depth`, issue 11 item 3): a book side's levels
 * (src/matching/book.ts `depth`, best first) summed into coarser price steps. Bitget's
 * `precision`: `scale0` = no merge (the tick), `scale1` = tick x 10, `scale2` = tick x 100,
 * `scale3` = tick x 1000. Bids merge DOWN to the step and asks UP, so a merged level never
 * shows a better price than an order really offers.
 */
import type { Side } from '../domain/types.js';
import type { DepthLevel } from '../matching/book.js';

/** Bitget's merge-depth precisions. */
export const MERGE_PRECISIONS = ['scale0', 'scale1', 'scale2', 'scale3'] as const;
/** One of {@link MERGE_PRECISIONS}. */
export type MergePrecision = (typeof MERGE_PRECISIONS)[number];

/** The merge step in ticks of a precision (scale0 -> 1, scale1 -> 10, ...). */
export function mergeStepTicks(precision: MergePrecision): bigint {
  return 10n ** BigInt(MERGE_PRECISIONS.indexOf(precision));
}

/**
 * Sums `levels` (one side, best first) into steps of `stepTicks` ticks, best first, at most
 * `limit` merged levels.
 */
export function mergeDepth(levels: readonly DepthLevel[], side: Side, stepTicks: bigint, limit = Infinity): DepthLevel[] {
  const out: DepthLevel[] = [];
  for (const l of levels) {
    const down = (l.price / stepTicks) * stepTicks;
    const price = side === 'buy' || down === l.price ? down : down + stepTicks;
    const last = out[out.length - 1];
    if (last && last.price === price) {
      last.size += l.size;
      last.count += l.count;
    } else {
      if (out.length >= limit) break;
      out.push({ price, size: l.size, count: l.count });
    }
  }
  return out;
}
