import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { BitgetError, Errors, err, formatMsg } from '../../src/domain/errors.js';

test('formatMsg fills positional placeholders and trims a trailing empty one', () => {
  assert.equal(formatMsg('Parameter {0} error', ['orderId']), 'Parameter orderId error');
  assert.equal(formatMsg('The order {0}:{1} have filled or cancelled', ['123', 'filled']), 'The order 123:filled have filled or cancelled');
  // a missing argument renders as '' and the message is not left with a trailing space
  assert.equal(formatMsg('Parameter verification failed {0}', []), 'Parameter verification failed');
  assert.equal(formatMsg('no placeholders', ['x']), 'no placeholders');
});

test('err() builds a BitgetError with code, filled msg and HTTP status', () => {
  const e = err(Errors.PARAM_EMPTY, 'symbol');
  assert.ok(e instanceof BitgetError);
  assert.ok(e instanceof Error);
  assert.equal(e.code, '40019');
  assert.equal(e.message, 'Parameter symbol cannot be empty');
  assert.equal(e.status, 400);
  assert.equal(err(Errors.AMOUNT_TOO_SMALL, '5').message, 'less than the minimum amount 5 USDT');
  assert.equal(err(Errors.PERMISSION_DENIED, 'contract order write').message, 'Incorrect permissions, need contract order write permissions');
});

test('catalogue: every code is a numeric string, HTTP status per Bitget (auth 400, 404, 429)', () => {
  for (const [name, d] of Object.entries(Errors)) {
    assert.match(d.code, /^\d{3,6}$/, name);
    assert.equal(typeof d.msg, 'string', name);
    assert.ok(Number.isInteger(d.status) && d.status >= 400 && d.status < 600, `${name} status ${d.status}`);
  }
  assert.equal(Errors.TOO_MANY_REQUESTS.status, 429);
  assert.equal(Errors.TOO_MANY_REQUESTS.code, '429');
  assert.equal(Errors.TOO_MANY_REQUESTS.msg, 'Too Many Requests');
  assert.equal(Errors.URL_NOT_FOUND.status, 404);
  assert.equal(Errors.URL_NOT_FOUND.code, '40404');
  // reference §2.4: every auth failure is HTTP 400
  for (const n of ['ACCESS_KEY_EMPTY', 'ACCESS_SIGN_EMPTY', 'SIGNATURE_EMPTY', 'TIMESTAMP_INVALID', 'ACCESS_KEY_INVALID', 'TIMESTAMP_EXPIRED', 'SIGN_ERROR', 'PASSPHRASE_EMPTY', 'PASSPHRASE_INCORRECT', 'PERMISSION_DENIED', 'IP_INVALID'] as const) {
    assert.equal(Errors[n].status, 400, n);
  }
  // exact texts clients match on (reference §3)
  assert.equal(Errors.SPOT_ORDER_NOT_FOUND.msg, 'The order does not exist');
  assert.equal(Errors.MIX_ORDER_NOT_FOUND.code, '40768');
  assert.equal(Errors.SIGN_ERROR.msg, 'sign signature error');
  assert.equal(Errors.BATCH_TOO_LARGE_V2.code, '40912');
});

test('catalogue entries are frozen', () => {
  assert.ok(Object.isFrozen(Errors.SIGN_ERROR));
  assert.throws(() => {
    (Errors.SIGN_ERROR as { code: string }).code = '0';
  }, TypeError);
});

// ---- the catalogue is the only source of codes, HTTP statuses and messages (issue 9 item 4) ----

/** Files of src/ a code literal may appear in, and why. Everything else must use `Errors.*`. */
const EXEMPT: ReadonlyArray<{ prefix: string; literals?: readonly string[]; why: string }> = [
  { prefix: 'src/domain/errors.ts', why: 'the catalogue itself' },
  { prefix: 'src/client/', why: "a client of Bitget: it reads the codes Bitget sends, it never answers with them" },
  { prefix: 'src/cli/cancel.ts', why: 'the command line of that client' },
  { prefix: 'src/store/postgres/', literals: ['40001', '23505'], why: 'PostgreSQL SQLSTATEs (serialization_failure, unique_violation)' },
  { prefix: 'src/http/faults.ts', literals: ['429'], why: "the counter of injected 429 answers is keyed '429' (the answer itself uses Errors.TOO_MANY_REQUESTS)" },
  { prefix: 'src/http/server.ts', literals: ['503'], why: 'GET /health is not a Bitget endpoint; its 503 is not a Bitget answer' },
];

/** The TypeScript files under `dir`, relative to the repository root, with their text. */
function sources(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = `${d}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) out.set(p, readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

/** Source text without comments (docstrings may name codes; `://` in URLs is kept). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/**
 * Every place in `files` that writes a Bitget code, an HTTP error status or a catalogue
 * message itself instead of taking it from `Errors`: `file: what` strings.
 */
function catalogueViolations(files: ReadonlyMap<string, string>): string[] {
  const messages = Object.values(Errors)
    .map((d) => d.msg.split('{')[0].trim())
    .filter((m) => m.length >= 15);
  const rules: Array<[RegExp, string]> = [
    [/(['"`])(\d{5}|429)\1/g, 'Bitget code literal'],
    [/\bfail\(\s*['"`]/g, 'fail() with a literal code'],
    [/\bcode:\s*['"`](\d+)/g, 'inline error definition'],
    [/\.code\(\s*([45]\d\d)\s*\)/g, 'literal HTTP status'],
    [/\bstatus(?:Code)?\s*[:=]\s*([45]\d\d)\b/g, 'literal HTTP status'],
  ];
  const found: string[] = [];
  for (const [file, text] of files) {
    const ex = EXEMPT.find((e) => file.startsWith(e.prefix));
    if (ex && !ex.literals) continue;
    const body = code(text);
    for (const [re, what] of rules) {
      for (const m of body.matchAll(re)) {
        const lit = m[2] ?? m[1] ?? '';
        if (lit === '00000') continue; // the success code
        if (ex?.literals?.includes(lit)) continue;
        found.push(`${file}: ${what} ${m[0].trim()}`);
      }
    }
    for (const msg of messages) if (body.includes(`'${msg}`) || body.includes(`"${msg}`) || body.includes(`\`${msg}`)) found.push(`${file}: catalogue message written out: ${msg}`);
  }
  return found;
}

/** Catalogue entries no file of `files` names as `Errors.NAME`. */
function unusedEntries(files: ReadonlyMap<string, string>): string[] {
  const text = [...files].filter(([f]) => f !== 'src/domain/errors.ts').map(([, t]) => code(t)).join('\n');
  return Object.keys(Errors).filter((name) => !new RegExp(`\\bErrors\\.${name}\\b`).test(text));
}

test('the catalogue scan finds planted violations (it can fail)', () => {
  const planted = new Map([
    ['src/http/x.ts', "reply.code(401).send(fail('40014', 'Incorrect permissions, need admin permissions'));"],
    ['src/engine/y.ts', "const d = { code: '25200', msg: 'x', status: 400 };\nthrow new BitgetError(\"43001\", m, 400);"],
    ['src/http/z.ts', "// '40404' in a comment is fine\nreturn ok(data); // '00000'\nconst u = 'http://h/x';"],
    ['src/client/c.ts', "if (code === '43001') retry();"],
    ['src/store/postgres/p.ts', "if (code === '40001' || code === '40404') retry();"],
  ]);
  const v = catalogueViolations(planted);
  assert.ok(v.some((s) => s.startsWith('src/http/x.ts: fail() with a literal code')), v.join('\n'));
  assert.ok(v.some((s) => s.startsWith('src/http/x.ts: literal HTTP status')), v.join('\n'));
  assert.ok(v.some((s) => s.startsWith('src/http/x.ts: catalogue message written out: Incorrect permissions, need')), v.join('\n'));
  assert.ok(v.some((s) => s.startsWith('src/engine/y.ts: inline error definition')), v.join('\n'));
  assert.ok(v.some((s) => s === `src/engine/y.ts: Bitget code literal "43001"`), v.join('\n'));
  assert.ok(v.some((s) => s === `src/store/postgres/p.ts: Bitget code literal '40404'`), 'an exemption covers only its literals');
  assert.ok(!v.some((s) => s.startsWith('src/http/z.ts') || s.startsWith('src/client/') || s.includes("'40001'")), v.join('\n'));
  assert.deepEqual(unusedEntries(new Map([['src/a.ts', 'Errors.SIGN_ERROR; // Errors.PARAM_EMPTY']])).includes('PARAM_EMPTY'), true);
  assert.deepEqual(unusedEntries(new Map([['src/a.ts', 'Errors.SIGN_ERROR']])).includes('SIGN_ERROR'), false);
});

test('src/ takes every Bitget code, HTTP error status and message from the catalogue', () => {
  assert.deepEqual(catalogueViolations(sources('src')), []);
});

test('every catalogue entry is used somewhere in src/', () => {
  assert.deepEqual(unusedEntries(sources('src')), []);
});
