/**
 * The money channels (issue 12 item 3; research-venue.md §1.5-1.6): v2 `fill`, `account`,
 * `account-crossed`, `account-isolated`, `positions`; v3 `fill`, `account`, `position`.
 *
 * - `fill` items are rendered from the committed `trade` event (no store read), pushed by the
 *   dispatcher in commit order like orders; nothing on subscribe.
 * - `account*` and `positions`/`position` are SNAPSHOTS read from the store (the same dialect code
 *   as the REST answers: src/dialects/<d>/money.ts): on subscribe (to the subscriber only) and
 *   after every delivery of committed events that changed the UID's balances (`balance` events)
 *   or positions (`position` events), one frame per delivery per subscription. Reads of one UID
 *   run one after another (a per-UID queue), so a subscription's frames leave in commit order.
 *   A futures `positions` push is the FULL list of the UID's positions of that instType
 *   (`data: []` when flat); v3 `position` is the full list too, plus a closed position as
 *   `size:"0"`, `positionStatus:"ended"` in the push that follows its close.
 */
import type { Engine } from '../engine/engine.js';
import type { PositionEventData, TradeEventData } from '../events/types.js';
import type { Catalogue } from '../markets/catalogue.js';
import { FUTURES_CATEGORIES } from '../domain/types.js';
import { spotAssets, renderSpotFill } from '../dialects/spot/money.js';
import { renderSpotFillPush, renderSpotAccountPush } from '../dialects/spot/push.js';
import { renderMixFillPush, renderMixAccountPush, renderMixPositionPush } from '../dialects/mix/push.js';
import { renderMixFill, mixAccounts, mixAllPositions } from '../dialects/mix/money.js';
import { crossedAssets, isolatedAssets } from '../dialects/margin/money.js';
import { renderMarginAccountPush } from '../dialects/margin/push.js';
import { utaAssets, utaPositions } from '../dialects/uta/money.js';
import { renderUtaAccountPush, renderUtaFillPush, renderUtaPositionPush } from '../dialects/uta/push.js';
import type { ServedChannel } from './channels.js';
import type { StoredTrade } from '../store/types.js';

/** Snapshot channel kinds (what a key's store read renders). */
export type SnapshotKind = 'account' | 'account-crossed' | 'account-isolated' | 'positions' | 'v3-account' | 'v3-position';

const FUTURES = FUTURES_CATEGORIES as readonly string[];

/** The fill subscription keys (without the UID) a trade reaches, each with its rendered item. */
export function fillChannels(t: TradeEventData): Array<{ ch: ServedChannel; item: () => object }> {
  const out: Array<{ ch: ServedChannel; item: () => object }> = [];
  const trade = t as unknown as StoredTrade;
  if (t.category === 'SPOT' || FUTURES.includes(t.category)) {
    const item = t.category === 'SPOT' ? () => renderSpotFillPush(renderSpotFill(trade)) : () => renderMixFillPush(renderMixFill(trade, t.tradeSide === 'open' || t.tradeSide === 'close' ? 'hedge_mode' : 'one_way_mode'));
    for (const instId of ['default', t.symbol]) {
      out.push({ ch: { key: `v2|fill|${t.category}|${instId}`, pushArg: { instType: t.category, channel: 'fill', instId }, dialect: t.category === 'SPOT' ? 'spot' : 'mix' }, item });
    }
  }
  out.push({ ch: { key: 'v3|fill|UTA', pushArg: { instType: 'UTA', topic: 'fill' }, dialect: 'uta' }, item: () => renderUtaFillPush(trade) });
  return out;
}

/** The snapshot keys (without the UID) a `balance` event of `account` reaches. */
export function balanceKeys(account: string): string[] {
  if (account === 'spot') return ['v2|account|SPOT|default'];
  if (account === 'crossed') return ['v2|account-crossed|MARGIN|default'];
  if (account.startsWith('isolated:')) return ['v2|account-isolated|MARGIN|default'];
  if (account === 'unified') return ['v3|account|UTA'];
  if (account.startsWith('futures:')) return [`v2|account|${account.split(':')[1]}|default`];
  return [];
}

/** The snapshot keys (without the UID) a `position` event reaches (the account channel too: margin moved). */
export function positionKeys(p: PositionEventData): string[] {
  if (p.account === 'unified') return ['v3|position|UTA', 'v3|account|UTA'];
  return [`v2|positions|${p.productType}|default`, `v2|account|${p.productType}|default`];
}

/** The push arg and kind of a snapshot key (without the UID). */
export function snapshotChannel(key: string): { kind: SnapshotKind; pushArg: Record<string, string>; instType: string } | undefined {
  const [family, channel, instType, id] = key.split('|');
  if (family === 'v3') {
    if (channel === 'account') return { kind: 'v3-account', pushArg: { instType: 'UTA', topic: 'account' }, instType };
    if (channel === 'position') return { kind: 'v3-position', pushArg: { instType: 'UTA', topic: 'position' }, instType };
    return undefined;
  }
  if (channel === 'account' || channel === 'account-crossed' || channel === 'account-isolated') return { kind: channel, pushArg: { instType, channel, coin: id }, instType };
  if (channel === 'positions') return { kind: 'positions', pushArg: { instType, channel, instId: id }, instType };
  return undefined;
}

/**
 * Reads and renders one snapshot's `data` for `uid` (decimal strings; Bitget's push names).
 * `ended`: v3 positions that closed since the last push, appended as `size:"0"`, `positionStatus:"ended"`.
 */
export async function readSnapshot(uid: string, key: string, engine: Engine, catalogue: Catalogue, now: number, ended: PositionEventData[] = []): Promise<object[]> {
  const c = snapshotChannel(key);
  if (!c) return [];
  switch (c.kind) {
    case 'account':
      if (c.instType === 'SPOT') return (await spotAssets(uid, { assetType: 'all' }, engine, now)).map(renderSpotAccountPush);
      return (await mixAccounts(uid, { productType: c.instType }, engine)).map(renderMixAccountPush);
    case 'account-crossed':
      return (await crossedAssets(uid, {}, engine, now)).map((a) => renderMarginAccountPush(a, uid));
    case 'account-isolated':
      return (await isolatedAssets(uid, {}, engine, now)).map((a) => renderMarginAccountPush(a, uid));
    case 'positions':
      return (await mixAllPositions(uid, { productType: c.instType }, engine, catalogue, now)).map(renderMixPositionPush);
    case 'v3-account':
      return [renderUtaAccountPush(await utaAssets(uid, engine))];
    case 'v3-position': {
      const out: object[] = [];
      for (const category of FUTURES) out.push(...(await utaPositions(uid, { category }, engine, catalogue, now)).list.map(renderUtaPositionPush));
      const open = new Set(out.map((p) => `${(p as { symbol: string }).symbol}|${(p as { posSide: string }).posSide}`));
      for (const p of ended) {
        if (open.has(`${p.symbol}|${p.holdSide}`)) continue;
        out.push(renderUtaPositionPush({ category: p.productType, symbol: p.symbol, marginCoin: p.marginCoin, posSide: p.holdSide, marginMode: p.marginMode, leverage: p.leverage, total: '0', available: '0', frozen: '0', positionStatus: 'ended', curRealisedPnl: p.achievedProfits, openFeeTotal: p.totalFee, positionBalance: '0', createdTime: String(now), updatedTime: String(now) }));
      }
      return out;
    }
  }
}
