/**
 * Configuration is read only in src/config.ts (issue 9 item 4), and what it reads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { loadConfig } from '../src/config.js';

/**
 * Files of src/ allowed to read `process.env` besides config.ts, and why. Keep this short.
 */
const ENV_READERS: Record<string, string> = {
  'src/config.ts': 'the one configuration reader',
  'src/cli/cancel.ts': "the `ordergate cancel` client's documented credentials (BITGET_BASE_URL, BITGET_API_KEY, BITGET_SECRET_KEY, BITGET_PASSPHRASE, BITGET_DEMO), handed to runCancel as a parameter",
};

function envReaders(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...envReaders(p));
    else if (e.name.endsWith('.ts')) {
      const text = readFileSync(p, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
      if (/\bprocess\s*\.\s*env\b|\bprocess\s*\[\s*['"]env['"]\s*\]/.test(text)) out.push(p);
    }
  }
  return out;
}

test('process.env is read only in src/config.ts (and the listed exceptions)', () => {
  const readers = envReaders('src');
  assert.ok(readers.includes('src/config.ts'), 'the scan sees config.ts (it can find a reader)');
  assert.deepEqual(readers.filter((f) => !(f in ENV_READERS)), []);
});

test('loadConfig: demo keys on, off or file:PATH; checkpoint interval and faults pass through', () => {
  assert.equal(loadConfig({}).demoKeys, true);
  assert.equal(loadConfig({ ORDERGATE_DEMO_KEYS: 'off' }).demoKeys, false);
  assert.equal(loadConfig({ ORDERGATE_DEMO_KEYS: 'on' }).demoKeys, true);
  assert.deepEqual(loadConfig({ ORDERGATE_DEMO_KEYS: 'file:./ci/demo-keys.json' }).demoKeys, { file: './ci/demo-keys.json' });
  assert.throws(() => loadConfig({ ORDERGATE_DEMO_KEYS: 'pinned' }), /ORDERGATE_DEMO_KEYS must be on, off or file:PATH, got 'pinned'/);
  assert.throws(() => loadConfig({ ORDERGATE_DEMO_KEYS: 'file:' }), /ORDERGATE_DEMO_KEYS/);
  assert.equal(loadConfig({}).sqliteCheckpointMs, undefined);
  assert.equal(loadConfig({ ORDERGATE_SQLITE_CHECKPOINT_MS: '0' }).sqliteCheckpointMs, 0);
  assert.equal(loadConfig({ ORDERGATE_SQLITE_CHECKPOINT_MS: '50' }).sqliteCheckpointMs, 50);
  assert.throws(() => loadConfig({ ORDERGATE_SQLITE_CHECKPOINT_MS: 'fast' }), /ORDERGATE_SQLITE_CHECKPOINT_MS must be a non-negative integer/);
  assert.equal(loadConfig({}).faults, undefined);
  assert.equal(loadConfig({ ORDERGATE_FAULTS: '429:0.1' }).faults, '429:0.1');
});
