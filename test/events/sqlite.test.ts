/**
 * The SQLite outbox under group commit: units queued in one event-loop turn share a
 * transaction, each in a savepoint. A unit that fails rolls back alone and leaves no event and
 * no gap; the others' events are published once the commit returned, in commit order. A second
 * process writing the same file (the CLI's `fill`) is seen by the server's bus too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { orderCreated } from '../../src/events/build.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import type { Writes } from '../../src/store/types.js';
import { order } from '../fixtures/orders.js';
import { brief, collect, range, seqs, waitFor } from './collect.js';

const created = (...orders: ReturnType<typeof order>[]) => (): { writes: Writes; result: null } => ({
  writes: { inserts: orders, updates: [], events: orders.map(orderCreated) },
  result: null,
});

test('group commit: a failing unit publishes nothing and leaves no gap; the rest follow commit order', { timeout: 30_000 }, async () => {
  const s = new SqliteStore({ path: ':memory:' });
  try {
    const c = collect(s.events);
    const a = order();
    const b = order();
    const dup = order({ orderId: a.orderId }); // violates the key: its unit fails after decide
    const d = order();
    let publishedBeforeCommit = -1;
    // all queued in one turn: one transaction, four savepoints
    const p1 = s.execute({ uid: '1001' }, created(a));
    const p2 = s.execute({ uid: '1001' }, created(b, dup));
    const p3 = s.execute({ uid: '1001' }, () => {
      throw new Error('decide refuses');
    });
    const p4 = s.execute({ uid: '1001' }, () => {
      publishedBeforeCommit = c.events.length; // nothing is published while the transaction is open
      return created(d)();
    });
    const settled = await Promise.allSettled([p1, p2, p3, p4]);
    assert.deepEqual(settled.map((x) => x.status), ['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    assert.equal(publishedBeforeCommit, 0);
    assert.deepEqual(c.events.map(brief), [`created ${a.orderId} live`, `created ${d.orderId} live`]);
    assert.deepEqual(seqs(c.events), [1, 2], 'the rolled-back unit left no gap');
    assert.equal(c.batches, 1, 'one commit, one delivery');
    assert.equal(await s.getOrder('1001', { orderId: b.orderId }), undefined, 'its change rolled back with it');
    // the outbox holds exactly what was published
    const replay = collect(s.events, 0);
    await waitFor(() => replay.events.length >= 2, 'the replay');
    assert.deepEqual(seqs(replay.events), [1, 2]);
    // sequences continue across transactions
    await s.execute({ uid: '1001' }, created(order()));
    assert.deepEqual(seqs(c.events), [1, 2, 3]);
  } finally {
    await s.close();
  }
});

test('a unit with no events (or an empty decision) adds nothing to the stream', { timeout: 30_000 }, async () => {
  const s = new SqliteStore({ path: ':memory:' });
  try {
    const c = collect(s.events);
    await s.execute({ uid: '1001' }, () => ({ writes: { inserts: [], updates: [] }, result: null }));
    await s.execute({ uid: '1001' }, created(order()));
    assert.deepEqual(seqs(c.events), [1]);
  } finally {
    await s.close();
  }
});

test('another process writing the same file: its events reach this process in sequence order', { timeout: 30_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'og-events-'));
  const file = join(dir, 'og.db');
  const server = new SqliteStore({ path: file, eventPollMs: 50 });
  const cli = new SqliteStore({ path: file, eventPollMs: 0 });
  try {
    const c = collect(server.events);
    const a = order();
    const b = order();
    const d = order();
    await cli.execute({ uid: '1001' }, created(a)); // seq 1, committed elsewhere
    await server.execute({ uid: '1001' }, created(b)); // seq 2: the gap before it is read from the outbox
    assert.deepEqual(c.events.map(brief), [`created ${a.orderId} live`, `created ${b.orderId} live`]);
    await cli.execute({ uid: '1001' }, created(d)); // seq 3, found by the poll
    await waitFor(() => c.events.length === 3, "the other process's event");
    assert.deepEqual(seqs(c.events), range(1, 3));
    assert.equal(c.events[2].event.kind === 'order.created' && c.events[2].event.order.orderId, d.orderId);
  } finally {
    await cli.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('retention keeps the newest unit even when asked to keep nothing (the sequence never restarts)', { timeout: 30_000 }, async () => {
  const s = new SqliteStore({ path: ':memory:' });
  try {
    for (let i = 0; i < 3; i++) await s.execute({ uid: '1001' }, created(order(), order()));
    assert.equal(await s.pruneEvents(0), 4);
    await s.execute({ uid: '1001' }, created(order()));
    const c = collect(s.events, 0);
    await waitFor(() => c.events.length >= 3, 'the replay');
    assert.deepEqual(seqs(c.events), [5, 6, 7]);
  } finally {
    await s.close();
  }
});
