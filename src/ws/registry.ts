/**
 * The subscription registry: per connection the set of subscription keys it holds, per key the
 * set of connections holding it. Private keys carry the subscriber's UID
 * (`<uid>|v2|orders|SPOT|default`), so a push computed for one UID can only reach that UID's
 * connections.
 */

/** Two-way index between connections `C` and subscription keys. */
export class Registry<C> {
  private byKey = new Map<string, Set<C>>();
  private byConn = new Map<C, Set<string>>();
  private pairs = 0;

  /** Number of (connection, key) subscriptions held. */
  get size(): number {
    return this.pairs;
  }

  /** Adds `key` to `conn`; false when it already held it. */
  add(conn: C, key: string): boolean {
    let keys = this.byConn.get(conn);
    if (!keys) this.byConn.set(conn, (keys = new Set()));
    if (keys.has(key)) return false;
    keys.add(key);
    this.pairs++;
    let conns = this.byKey.get(key);
    if (!conns) this.byKey.set(key, (conns = new Set()));
    conns.add(conn);
    return true;
  }

  /** Removes `key` from `conn`; false when it did not hold it. */
  remove(conn: C, key: string): boolean {
    const keys = this.byConn.get(conn);
    if (!keys?.delete(key)) return false;
    this.pairs--;
    if (keys.size === 0) this.byConn.delete(conn);
    const conns = this.byKey.get(key);
    conns?.delete(conn);
    if (conns?.size === 0) this.byKey.delete(key);
    return true;
  }

  /** Drops every subscription of `conn` (on close, or on a login as another UID). */
  removeAll(conn: C): void {
    for (const key of [...(this.byConn.get(conn) ?? [])]) this.remove(conn, key);
  }

  /** Connections holding `key` (empty when none). */
  subscribers(key: string): ReadonlySet<C> {
    return this.byKey.get(key) ?? EMPTY;
  }

  /** Number of keys `conn` holds. */
  count(conn: C): number {
    return this.byConn.get(conn)?.size ?? 0;
  }

  /** True when `conn` holds `key`. */
  has(conn: C, key: string): boolean {
    return this.byConn.get(conn)?.has(key) ?? false;
  }
}

const EMPTY: ReadonlySet<never> = new Set();
