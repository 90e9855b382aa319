// test-file-limit: 120s
/**
 * `ordergate switches [--uid U] [--json] [--server URL]`: the state of the kill switches from
 * the store file, and from a running server's admin API.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import { ensureCliBuilt, runCli } from '../support/children.js';
import { startTestServer } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'og-switch-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('lists the switches of a UID from the store file (table and JSON)', async () => {
  await ensureCliBuilt();
  const db = join(dir, 'og.db');
  const store = new SqliteStore({ path: db });
  const now = Date.now();
  await store.switches.arm({ uid: '4242', kind: 'countdown', scopeKey: '*:*', category: null, symbol: null, windowMs: 30_000, deadline: now + 30_000, now });
  await store.switches.arm({ uid: '4243', kind: 'countdown', scopeKey: '*:*', category: null, symbol: null, windowMs: 10_000, deadline: now + 10_000, now });
  await store.switches.setBlocked('4242', true, now, { at: now, cancelReason: 'panic_cancel_all', cancelled: 7, orderIds: [], deadline: null, generation: 0 });
  await store.close();
  const env = { ...process.env, ORDERGATE_DB: db, LOG_LEVEL: 'silent' };
  const t = await runCli(['switches', '--uid', '4242'], { env });
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /countdown\s+\*:\*\s+true/);
  assert.match(t.stdout, /panic .*cancelled 7 \(panic_cancel_all\)/);
  assert.doesNotMatch(t.stdout, /4243/);
  const j = await runCli(['switches', '--uid', '4242', '--json'], { env });
  const rows = JSON.parse(j.stdout);
  assert.deepEqual(rows.map((r: { kind: string }) => r.kind), ['countdown', 'panic']);
  assert.equal(rows[0].deadline, String(now + 30_000));
  assert.equal(rows[1].blocked, true);
  const all = await runCli(['switches', '--json'], { env });
  assert.equal(JSON.parse(all.stdout).length, 3);
});

test('--server reads them through the admin API', async () => {
  await ensureCliBuilt();
  const s = await startTestServer({ adminToken: 'tok-cli' });
  try {
    const base = await s.og.app.listen({ host: '127.0.0.1', port: 0 });
    await s.og.switches.countdown(s.unified.uid, 45);
    const r = await runCli(['switches', '--server', base, '--uid', s.unified.uid, '--json'], { env: { ...process.env, ORDERGATE_ADMIN_TOKEN: 'tok-cli' } });
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].uid, s.unified.uid);
    assert.equal(rows[0].armed, true);
    assert.equal(rows[0].window, '45');
  } finally {
    await s.close();
  }
});
