import type { Conn } from './connection.ts';

/**
 * Prepares a module's statements once per open store (better-sqlite3 statements are bound to their
 * connection) and hands back the same set on every later call.
 *
 * @example const statements = statementCache((conn) => ({ byId: conn.sqlite.prepare('...') }));
 */
export function statementCache<T>(prepare: (conn: Conn) => T): (conn: Conn) => T {
  const cache = new WeakMap<Conn, T>();
  return function statementsFor(conn: Conn): T {
    let statements = cache.get(conn);
    if (!statements) {
      statements = prepare(conn);
      cache.set(conn, statements);
    }
    return statements;
  };
}
