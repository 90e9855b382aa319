/**
 * The key ring: secrets at rest, passphrase checks, and keys that cannot be decrypted.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { decryptSecret, encryptSecret } from '../../src/accounts/crypto.js';
import { KeyRing } from '../../src/accounts/keyring.js';
import { createKey } from '../../src/accounts/keys.js';
import { hashPassphrase } from '../../src/accounts/passphrase.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';

test('a key encrypted under another master key is skipped; every other key still loads', async () => {
  const store = new SqliteStore({ path: ':memory:' });
  const master = randomBytes(32);
  const good = await createKey(store, master, { uid: '1', mode: 'classic', permission: 'trade', ips: [] });
  const foreign = await createKey(store, randomBytes(32), { uid: '2', mode: 'classic', permission: 'trade', ips: [] });
  const ring = new KeyRing(store, master);
  await ring.refresh();
  assert.equal(ring.get(good.apiKey)?.secret.toString('utf8'), good.secretKey);
  assert.equal(ring.get(foreign.apiKey), undefined);
  assert.deepEqual([...ring.undecryptable], [foreign.apiKey]);
  await store.close();
});

test('secrets round-trip through AES-GCM and a wrong master key is refused', () => {
  const m = randomBytes(32);
  const enc = encryptSecret('s3cret', m);
  assert.ok(!enc.includes('s3cret'));
  assert.equal(decryptSecret(enc, m), 's3cret');
  assert.throws(() => decryptSecret(enc, randomBytes(32)));
});

test('a cold burst of first requests on one key runs one passphrase check, and all agree', async () => {
  const store = new SqliteStore({ path: ':memory:' });
  const master = randomBytes(32);
  const k = await createKey(store, master, { uid: '1', mode: 'classic', permission: 'trade', ips: [] });
  const ring = new KeyRing(store, master);
  await ring.refresh();
  const live = ring.get(k.apiKey);
  assert.ok(live);
  const right = Array.from({ length: 20 }, () => ring.checkPassphrase(live, k.passphrase));
  const wrong = Array.from({ length: 5 }, () => ring.checkPassphrase(live, 'not-it'));
  assert.equal(ring.passphrases.load, 2, 'one check per distinct passphrase under way');
  assert.deepEqual(await Promise.all(right), Array(20).fill(true));
  assert.deepEqual(await Promise.all(wrong), Array(5).fill(false));
  assert.equal(ring.passphrases.load, 0);
  // once verified, later checks compare digests and still reject a wrong one
  assert.equal(await ring.checkPassphrase(live, k.passphrase), true);
  assert.equal(await ring.checkPassphrase(live, 'not-it'), false);
  assert.match(await hashPassphrase('x'), /^scrypt\$/);
  await store.close();
});

test('a refresh asked for after a key is written sees it, even while a poll is under way', async () => {
  const store = new SqliteStore({ path: ':memory:' });
  const master = randomBytes(32);
  // a store whose keys version answers late (as a remote PostgreSQL may): a poll that read the
  // old version is still under way when the new key is written
  const slow = new Proxy(store, {
    get(target, prop) {
      if (prop === 'keysVersion') {
        return async () => {
          const v = await target.keysVersion();
          await new Promise((r) => setTimeout(r, 400));
          return v;
        };
      }
      const v = Reflect.get(target, prop);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  const ring = new KeyRing(slow, master);
  await ring.refresh();
  const poll = ring.refresh(); // reads the old version, then waits
  await new Promise((r) => setTimeout(r, 10));
  const k = await createKey(store, master, { uid: '9', mode: 'classic', permission: 'trade', ips: [] });
  await ring.refresh();
  assert.ok(ring.get(k.apiKey), 'the key written before this refresh was asked for is loaded');
  await poll;
  await store.close();
});
