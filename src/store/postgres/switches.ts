/**
 * The kill switches of the PostgreSQL store (`switches` table, migration 3; SwitchStore in
 * src/store/types.ts), shared by every instance on the schema. Each method is one statement
 * (autocommit). `claimDue` locks the due rows with `FOR UPDATE SKIP LOCKED` and stamps them in
 * the same statement: two instances sweeping at once never claim the same switch (a row another
 * instance just claimed is skipped while locked and fails the re-checked condition after).
 */
import type pg from 'pg';
import { rowToSwitch, SWITCH_ORDER } from '../switch-rows.js';
import type { SwitchArm, SwitchFire, SwitchKind, SwitchRecord, SwitchStore } from '../types.js';

type Row = Record<string, unknown>;

const KEY = `uid = $1 AND kind = $2 AND scope_key = $3`;

/** The PostgreSQL {@link SwitchStore} over `pool`. */
export class PostgresSwitches implements SwitchStore {
  constructor(private readonly pool: pg.Pool) {}

  private async rows(sql: string, args: unknown[]): Promise<SwitchRecord[]> {
    return ((await this.pool.query(sql, args)).rows as Row[]).map(rowToSwitch);
  }

  async arm(a: SwitchArm): Promise<SwitchRecord> {
    const [r] = await this.rows(
      `INSERT INTO switches (uid, kind, scope_key, category, symbol, armed, deadline, window_ms, generation, claimed_at, blocked, cod_scope, last_fire, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, NULL, false, $9, NULL, $10)
       ON CONFLICT (uid, kind, scope_key) DO UPDATE SET category = excluded.category, symbol = excluded.symbol, armed = excluded.armed,
         deadline = excluded.deadline, window_ms = excluded.window_ms, generation = switches.generation + 1, claimed_at = NULL,
         cod_scope = excluded.cod_scope, updated_at = excluded.updated_at
       RETURNING *`,
      [a.uid, a.kind, a.scopeKey, a.category, a.symbol, a.deadline !== null, a.deadline, a.windowMs, a.codScope ?? null, a.now],
    );
    return r;
  }

  async disarm(uid: string, kind: SwitchKind, scopeKey: string, now: number): Promise<SwitchRecord | undefined> {
    const [r] = await this.rows(
      `UPDATE switches SET armed = false, deadline = NULL, generation = generation + 1, claimed_at = NULL, updated_at = $4 WHERE ${KEY} RETURNING *`,
      [uid, kind, scopeKey, now],
    );
    return r;
  }

  async get(uid: string, kind: SwitchKind, scopeKey: string): Promise<SwitchRecord | undefined> {
    const [r] = await this.rows(`SELECT * FROM switches WHERE ${KEY}`, [uid, kind, scopeKey]);
    return r;
  }

  list(uid?: string): Promise<SwitchRecord[]> {
    return uid === undefined
      ? this.rows(`SELECT * FROM switches ORDER BY ${SWITCH_ORDER}`, [])
      : this.rows(`SELECT * FROM switches WHERE uid = $1 ORDER BY ${SWITCH_ORDER}`, [uid]);
  }

  claimDue(now: number, staleBefore: number, limit: number): Promise<SwitchRecord[]> {
    return this.rows(
      `UPDATE switches s SET claimed_at = $1
       FROM (SELECT uid, kind, scope_key FROM switches
             WHERE armed AND deadline <= $1 AND (claimed_at IS NULL OR claimed_at < $2)
             ORDER BY deadline LIMIT $3 FOR UPDATE SKIP LOCKED) d
       WHERE s.uid = d.uid AND s.kind = d.kind AND s.scope_key = d.scope_key
       RETURNING s.*`,
      [now, staleBefore, limit],
    );
  }

  async finish(uid: string, kind: SwitchKind, scopeKey: string, generation: number, fire: SwitchFire): Promise<'disarmed' | 'superseded'> {
    const json = JSON.stringify(fire);
    const r = await this.pool.query(
      `UPDATE switches SET armed = false, deadline = NULL, claimed_at = NULL, last_fire = $5, updated_at = $6 WHERE ${KEY} AND generation = $4`,
      [uid, kind, scopeKey, generation, json, fire.at],
    );
    if ((r.rowCount ?? 0) > 0) return 'disarmed';
    await this.pool.query(`UPDATE switches SET last_fire = $4, updated_at = $5 WHERE ${KEY}`, [uid, kind, scopeKey, json, fire.at]);
    return 'superseded';
  }

  async setBlocked(uid: string, blocked: boolean, now: number, fire?: SwitchFire): Promise<SwitchRecord> {
    const [r] = await this.rows(
      `INSERT INTO switches (uid, kind, scope_key, category, symbol, armed, deadline, window_ms, generation, claimed_at, blocked, cod_scope, last_fire, updated_at)
       VALUES ($1, 'panic', '*:*', NULL, NULL, false, NULL, 0, 1, NULL, $2, NULL, $3, $4)
       ON CONFLICT (uid, kind, scope_key) DO UPDATE SET blocked = excluded.blocked, last_fire = COALESCE(excluded.last_fire, switches.last_fire),
         generation = switches.generation + 1, updated_at = excluded.updated_at
       RETURNING *`,
      [uid, blocked, fire ? JSON.stringify(fire) : null, now],
    );
    return r;
  }

  async renewDisconnect(uids: readonly string[], now: number, leaseMs: number): Promise<void> {
    if (uids.length === 0) return;
    await this.pool.query(
      `UPDATE switches SET armed = true, deadline = $1 + window_ms, updated_at = $2
       WHERE kind = 'disconnect' AND scope_key = '*:*' AND claimed_at IS NULL AND uid = ANY($3::text[])`,
      [now + leaseMs, now, [...uids]],
    );
  }

  async blockedUids(): Promise<string[]> {
    return ((await this.pool.query(`SELECT uid FROM switches WHERE blocked`)).rows as Array<{ uid: string }>).map((r) => r.uid);
  }
}
