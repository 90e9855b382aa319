/**
 * The SQLite files hold orders, UIDs and passphrase hashes beside a 0600 master key: they are
 * created owner-only (database, -wal, -shm 0600; a data directory we create 0700), and an
 * existing database readable by others is tightened when opened.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { resolveMasterKey } from '../../src/accounts/crypto.js';
import { createKey } from '../../src/accounts/keys.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';

const mode = (p: string) => statSync(p).mode & 0o777;

test('a new database, its WAL and shared-memory files are 0600 and its new directory 0700', { timeout: 60_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'og-files-'));
  const oldUmask = process.umask(0o022); // the usual umask, which would give 0644 files
  try {
    const db = join(root, 'data', 'ordergate.db');
    const store = new SqliteStore({ path: db, checkpointIntervalMs: 0 });
    try {
      await createKey(store, randomBytes(32), { uid: '1', mode: 'classic', permission: 'trade', ips: [] }); // writes: -wal and -shm exist
      assert.equal(mode(join(root, 'data')), 0o700);
      for (const f of [db, `${db}-wal`, `${db}-shm`]) assert.equal(mode(f), 0o600, f);
      resolveMasterKey(undefined, db);
      assert.equal(mode(join(root, 'data', 'master.key')), 0o600);
    } finally {
      await store.close();
    }
  } finally {
    process.umask(oldUmask);
    rmSync(root, { recursive: true, force: true });
  }
});

test('an existing database readable by others is tightened to 0600 when opened', { timeout: 60_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'og-files-'));
  try {
    const db = join(root, 'old.db');
    const first = new SqliteStore({ path: db, checkpointIntervalMs: 0 });
    await first.close();
    chmodSync(db, 0o644);
    writeFileSync(`${db}-wal`, '');
    chmodSync(`${db}-wal`, 0o644);
    const again = new SqliteStore({ path: db, checkpointIntervalMs: 0 });
    try {
      assert.equal(mode(db), 0o600);
      assert.equal(mode(`${db}-wal`), 0o600);
    } finally {
      await again.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
