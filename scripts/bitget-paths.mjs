#!/usr/bin/env node
// Regenerates src/dialects/public/bitget-paths.json: every Bitget REST endpoint ("METHOD /path")
// named by the bitget-api SDK's REST clients (node_modules/bitget-api/dist/cjs/rest-client-v*.js)
// and by ccxt's bitget `api` definition (node_modules/ccxt/js/src/bitget.js). The not-found
// handler answers a listed endpoint ordergate does not serve with "ordergate does not implement".
// Usage: node scripts/bitget-paths.mjs   (run after upgrading either library; commit the result)
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const out = new Set();

// bitget-api: this.get('/api/…'), this.getPrivate(`/api/v2/margin/${marginType}/…`), this.postPrivate(…)
for (const f of ['rest-client-v2.js', 'rest-client-v3.js']) {
  const src = readFileSync(`node_modules/bitget-api/dist/cjs/${f}`, 'utf8');
  for (const m of src.matchAll(/this\.(get|getPrivate|post|postPrivate|delete|deletePrivate)\(\s*(['`])(\/api\/[^'`]+)\2/g)) {
    const method = m[1].startsWith('get') ? 'GET' : m[1].startsWith('post') ? 'POST' : 'DELETE';
    const paths = m[3].includes('${marginType}') ? ['crossed', 'isolated'].map((t) => m[3].replace(/\$\{marginType\}/g, t)) : [m[3]];
    for (const p of paths) if (!p.includes('${')) out.add(`${method} ${p}`);
  }
}

// ccxt: describe().api.{public,private}.<section>.{get,post}[path] -> /api/<path>
const ccxt = require('ccxt');
const api = new ccxt.bitget().describe().api;
for (const access of Object.values(api)) {
  for (const section of Object.values(access)) {
    for (const [verb, paths] of Object.entries(section)) {
      for (const p of Object.keys(paths)) if (!p.includes('{')) out.add(`${verb.toUpperCase()} /api/${p}`);
    }
  }
}

const list = [...out].sort();
writeFileSync('src/dialects/public/bitget-paths.json', JSON.stringify(list, null, 1) + '\n');
console.log(`${list.length} endpoints -> src/dialects/public/bitget-paths.json`);
