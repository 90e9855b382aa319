/**
 * A sorted map from bigint keys (prices in ticks) to values (price levels): a treap with a
 * deterministic priority stream, so get, set and delete are O(log n) expected and iteration
 * in key order is O(n). No dependency: nodejs-order-book uses functional-red-black-tree for
 * the same job; a treap is a few dozen lines and needs no allocation per lookup.
 */

interface TreeNode<V> {
  key: bigint;
  value: V;
  priority: number;
  left: TreeNode<V> | null;
  right: TreeNode<V> | null;
}

/** Sorted map keyed by bigint. Not thread-safe in any sense; one owner (one book side). */
export class SortedMap<V> {
  private root: TreeNode<V> | null = null;
  private count = 0;
  private seed = 0x2545f491;

  /** Number of keys. */
  get size(): number {
    return this.count;
  }

  private nextPriority(): number {
    // xorshift32: deterministic, so a book behaves the same on every run
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed;
  }

  /** The value at `key`, or undefined. O(log n). */
  get(key: bigint): V | undefined {
    let n = this.root;
    while (n) {
      if (key === n.key) return n.value;
      n = key < n.key ? n.left : n.right;
    }
    return undefined;
  }

  /** Inserts or replaces the value at `key`. O(log n). */
  set(key: bigint, value: V): void {
    let n = this.root;
    while (n) {
      if (key === n.key) {
        n.value = value;
        return;
      }
      n = key < n.key ? n.left : n.right;
    }
    const [l, r] = split(this.root, key);
    const node: TreeNode<V> = { key, value, priority: this.nextPriority(), left: null, right: null };
    this.root = merge(merge(l, node), r);
    this.count++;
  }

  /** Removes `key`; true when it was there. O(log n). */
  delete(key: bigint): boolean {
    if (this.get(key) === undefined) return false;
    const [l, rest] = split(this.root, key);
    const [, r] = split(rest, key + 1n);
    this.root = merge(l, r);
    this.count--;
    return true;
  }

  /** The smallest key and its value, or undefined when empty. O(log n). */
  min(): [bigint, V] | undefined {
    let n = this.root;
    if (!n) return undefined;
    while (n.left) n = n.left;
    return [n.key, n.value];
  }

  /** The largest key and its value, or undefined when empty. O(log n). */
  max(): [bigint, V] | undefined {
    let n = this.root;
    if (!n) return undefined;
    while (n.right) n = n.right;
    return [n.key, n.value];
  }

  /** Entries in ascending key order (do not mutate the map while iterating). */
  *ascending(): Generator<[bigint, V]> {
    const stack: TreeNode<V>[] = [];
    let n = this.root;
    while (n || stack.length > 0) {
      while (n) {
        stack.push(n);
        n = n.left;
      }
      const top = stack.pop()!;
      yield [top.key, top.value];
      n = top.right;
    }
  }

  /** Entries in descending key order (do not mutate the map while iterating). */
  *descending(): Generator<[bigint, V]> {
    const stack: TreeNode<V>[] = [];
    let n = this.root;
    while (n || stack.length > 0) {
      while (n) {
        stack.push(n);
        n = n.right;
      }
      const top = stack.pop()!;
      yield [top.key, top.value];
      n = top.left;
    }
  }
}

/** Splits into (keys < key, keys >= key). */
function split<V>(t: TreeNode<V> | null, key: bigint): [TreeNode<V> | null, TreeNode<V> | null] {
  if (!t) return [null, null];
  if (t.key < key) {
    const [l, r] = split(t.right, key);
    t.right = l;
    return [t, r];
  }
  const [l, r] = split(t.left, key);
  t.left = r;
  return [l, t];
}

/** Merges two treaps where every key of `a` is below every key of `b`. */
function merge<V>(a: TreeNode<V> | null, b: TreeNode<V> | null): TreeNode<V> | null {
  if (!a) return b;
  if (!b) return a;
  if (a.priority > b.priority) {
    a.right = merge(a.right, b);
    return a;
  }
  b.left = merge(a, b.left);
  return b;
}
