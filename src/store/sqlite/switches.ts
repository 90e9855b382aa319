/**
 * The kill switches of the SQLite store (`switches` table, migration v4; SwitchStore in
 * src/store/types.ts). Each method is one statement in its own autocommit transaction, taken
 * between two group commits (better-sqlite3 is synchronous, so never inside one). One process
 * writes a SQLite file, so the conditional UPDATE of `claimDue` is the claim.
 */
import type Database from 'better-sqlite3';
import { rowToSwitch, SWITCH_ORDER } from '../switch-rows.js';
import type { SwitchArm, SwitchFire, SwitchKind, SwitchRecord, SwitchStore } from '../types.js';

type Row = Record<string, unknown>;

/** The SQLite {@link SwitchStore} over `db`. */
export class SqliteSwitches implements SwitchStore {
  private readonly st;

  constructor(private readonly db: Database.Database) {
    this.st = {
      arm: db.prepare(
        `INSERT INTO switches (uid, kind, scope_key, category, symbol, armed, deadline, window_ms, generation, claimed_at, blocked, cod_scope, last_fire, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, NULL, 0, ?, NULL, ?)
         ON CONFLICT (uid, kind, scope_key) DO UPDATE SET category = excluded.category, symbol = excluded.symbol, armed = excluded.armed,
           deadline = excluded.deadline, window_ms = excluded.window_ms, generation = switches.generation + 1, claimed_at = NULL,
           cod_scope = excluded.cod_scope, updated_at = excluded.updated_at
         RETURNING *`,
      ),
      disarm: db.prepare(
        `UPDATE switches SET armed = 0, deadline = NULL, generation = generation + 1, claimed_at = NULL, updated_at = ?
         WHERE uid = ? AND kind = ? AND scope_key = ? RETURNING *`,
      ),
      get: db.prepare(`SELECT * FROM switches WHERE uid = ? AND kind = ? AND scope_key = ?`),
      listAll: db.prepare(`SELECT * FROM switches ORDER BY ${SWITCH_ORDER}`),
      listUid: db.prepare(`SELECT * FROM switches WHERE uid = ? ORDER BY ${SWITCH_ORDER}`),
      claim: db.prepare(
        `UPDATE switches SET claimed_at = ? WHERE rowid IN (
           SELECT rowid FROM switches WHERE armed = 1 AND deadline <= ? AND (claimed_at IS NULL OR claimed_at < ?) ORDER BY deadline LIMIT ?)
         RETURNING *`,
      ),
      finish: db.prepare(
        `UPDATE switches SET armed = 0, deadline = NULL, claimed_at = NULL, last_fire = ?, updated_at = ?
         WHERE uid = ? AND kind = ? AND scope_key = ? AND generation = ?`,
      ),
      record: db.prepare(`UPDATE switches SET last_fire = ?, updated_at = ? WHERE uid = ? AND kind = ? AND scope_key = ?`),
      block: db.prepare(
        `INSERT INTO switches (uid, kind, scope_key, category, symbol, armed, deadline, window_ms, generation, claimed_at, blocked, cod_scope, last_fire, updated_at)
         VALUES (?, 'panic', '*:*', NULL, NULL, 0, NULL, 0, 1, NULL, ?, NULL, ?, ?)
         ON CONFLICT (uid, kind, scope_key) DO UPDATE SET blocked = excluded.blocked, last_fire = COALESCE(excluded.last_fire, switches.last_fire),
           generation = switches.generation + 1, updated_at = excluded.updated_at
         RETURNING *`,
      ),
      renew: db.prepare(
        `UPDATE switches SET armed = 1, deadline = ? + window_ms, updated_at = ?
         WHERE kind = 'disconnect' AND scope_key = '*:*' AND claimed_at IS NULL AND uid IN (SELECT value FROM json_each(?))`,
      ),
      blocked: db.prepare(`SELECT uid FROM switches WHERE blocked = 1`).pluck(true),
    };
  }

  async arm(a: SwitchArm): Promise<SwitchRecord> {
    const row = this.st.arm.get(a.uid, a.kind, a.scopeKey, a.category, a.symbol, a.deadline === null ? 0 : 1, a.deadline, a.windowMs, a.codScope ?? null, a.now) as Row;
    return rowToSwitch(row);
  }

  async disarm(uid: string, kind: SwitchKind, scopeKey: string, now: number): Promise<SwitchRecord | undefined> {
    const row = this.st.disarm.get(now, uid, kind, scopeKey) as Row | undefined;
    return row ? rowToSwitch(row) : undefined;
  }

  async get(uid: string, kind: SwitchKind, scopeKey: string): Promise<SwitchRecord | undefined> {
    const row = this.st.get.get(uid, kind, scopeKey) as Row | undefined;
    return row ? rowToSwitch(row) : undefined;
  }

  async list(uid?: string): Promise<SwitchRecord[]> {
    const rows = (uid === undefined ? this.st.listAll.all() : this.st.listUid.all(uid)) as Row[];
    return rows.map(rowToSwitch);
  }

  async claimDue(now: number, staleBefore: number, limit: number): Promise<SwitchRecord[]> {
    return (this.st.claim.all(now, now, staleBefore, limit) as Row[]).map(rowToSwitch);
  }

  async finish(uid: string, kind: SwitchKind, scopeKey: string, generation: number, fire: SwitchFire): Promise<'disarmed' | 'superseded'> {
    const json = JSON.stringify(fire);
    if (this.st.finish.run(json, fire.at, uid, kind, scopeKey, generation).changes > 0) return 'disarmed';
    this.st.record.run(json, fire.at, uid, kind, scopeKey);
    return 'superseded';
  }

  async setBlocked(uid: string, blocked: boolean, now: number, fire?: SwitchFire): Promise<SwitchRecord> {
    return rowToSwitch(this.st.block.get(uid, blocked ? 1 : 0, fire ? JSON.stringify(fire) : null, now) as Row);
  }

  async renewDisconnect(uids: readonly string[], now: number, leaseMs: number): Promise<void> {
    if (uids.length > 0) this.st.renew.run(now + leaseMs, now, JSON.stringify(uids));
  }

  async blockedUids(): Promise<string[]> {
    return this.st.blocked.all() as string[];
  }
}
