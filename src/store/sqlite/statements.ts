import type { Store } from './open.ts';

/**
 * Prepares a module's statements once per open store (better-sqlite3 statements are bound to their
 * connection) and hands back the same set on every later call.
 *
 * @example const statements = statementCache((store) => ({ byId: store.sqlite.prepare('...') }));
 */
export function statementCache<T>(prepare: (store: Store) => T): (store: Store) => T {
  const cache = new WeakMap<Store, T>();
  return function statementsFor(store: Store): T {
    let statements = cache.get(store);
    if (!statements) {
      statements = prepare(store);
      cache.set(store, statements);
    }
    return statements;
  };
}
