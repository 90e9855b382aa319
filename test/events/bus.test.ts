/**
 * The delivery core shared by both buses (src/events/bus.ts), with a scripted outbox: catch-up
 * in pages, over what retention pruned, while live events keep arriving, with no gap and no
 * duplicate; a throwing subscriber does not stop the others.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SequencedBus } from '../../src/events/bus.js';
import type { StoredEvent } from '../../src/events/types.js';
import { collect, range, seqs, waitFor } from './collect.js';

const ev = (seq: number): StoredEvent => ({ seq, ts: seq, uid: null, event: { kind: 'trade', data: { n: seq } } });

/** An outbox of `seqs` read in pages of `page` events, each read taking a macrotask. */
function outbox(stored: number[], page: number) {
  const reads: Array<[number, number]> = [];
  const rows = stored.map(ev);
  const read = async (after: number, upTo: number) => {
    reads.push([after, upTo]);
    await new Promise((r) => setTimeout(r, 5));
    return rows.filter((e) => e.seq > after && e.seq <= upTo).slice(0, page);
  };
  return { rows, reads, read };
}

test('catch-up reads page after page, passes over pruned sequences, then goes live without gap or duplicate', { timeout: 10_000 }, async () => {
  // 1..3 pruned, 4..20 retained
  const box = outbox(range(4, 20), 3);
  const bus = new SequencedBus(box.read, 20);
  const c = collect(bus, 0);
  // live commits while the replay is still reading
  for (let seq = 21; seq <= 25; seq++) {
    box.rows.push(ev(seq));
    bus.publish([ev(seq)]);
    await new Promise((r) => setTimeout(r, 3));
  }
  await waitFor(() => c.all.length >= 22, 'replay and live');
  bus.publish([ev(26)]);
  bus.publish([ev(25), ev(26)]); // overlap is ignored
  assert.deepEqual(seqs(c.all), range(4, 26));
  assert.ok(box.reads.length >= 6, 'read in pages');
  await bus.close();
});

test('a subscriber without a sequence starts after the last published one; one that throws does not stop the others', { timeout: 10_000 }, async () => {
  const errors: unknown[] = [];
  const bus = new SequencedBus(() => [], 7, (e) => errors.push(e));
  bus.subscribe(() => {
    throw new Error('bad subscriber');
  });
  const c = collect(bus);
  bus.publish([ev(8), ev(9)]);
  bus.publish([ev(10)]);
  assert.deepEqual(seqs(c.all), [8, 9, 10]);
  assert.equal(c.batches, 2);
  assert.equal(errors.length, 2);
  c.close();
  bus.publish([ev(11)]);
  assert.equal(c.all.length, 3, 'closed: nothing more');
  await bus.close();
});
