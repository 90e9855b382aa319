#!/usr/bin/env node
// The `ordergate` command (`npm run --silent ordergate -- <args>`, `npm start`): rebuilds dist/
// incrementally only when a source is newer than it, then runs the built CLI (no tsx at run time).
import { ensureBuilt } from './build.mjs';

try {
  ensureBuilt();
} catch (e) {
  process.stderr.write(`ordergate: ${e.message}\n`);
  process.exit(1);
}
await import('../dist/src/cli/main.js');
