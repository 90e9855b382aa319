/**
 * The `switches` table (kill switches, issue 13) as both stores hold it: the row mapper and
 * the column names. SQL is per store (sqlite/switches.ts, postgres/switches.ts); the columns
 * and their meaning are the same (times BIGINT/INTEGER ms, booleans BOOLEAN/INTEGER 0|1).
 */
import type { SwitchFire, SwitchKind, SwitchRecord } from './types.js';

type Row = Record<string, unknown>;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** A {@link SwitchRecord} from a `switches` row of either store. */
export function rowToSwitch(r: Row): SwitchRecord {
  return {
    uid: String(r.uid),
    kind: String(r.kind) as SwitchKind,
    scopeKey: String(r.scope_key),
    category: (r.category as string | null) ?? null,
    symbol: (r.symbol as string | null) ?? null,
    armed: r.armed === true || r.armed === 1,
    deadline: num(r.deadline),
    windowMs: Number(r.window_ms),
    generation: Number(r.generation),
    claimedAt: num(r.claimed_at),
    blocked: r.blocked === true || r.blocked === 1,
    codScope: (r.cod_scope as SwitchRecord['codScope']) ?? null,
    lastFire: r.last_fire ? (JSON.parse(String(r.last_fire)) as SwitchFire) : null,
    updatedAt: Number(r.updated_at),
  };
}

/** The list order of switches. */
export const SWITCH_ORDER = 'uid, kind, scope_key';

