import type { EntityManager } from 'typeorm';
import { SqlDialect } from '../database/sql-dialect.js';

/** At most this many types are asked about at once (an agreement names ≤ 6, a connection ≤ its rules). */
const CHUNK = 200;

/**
 * Which of these event types no stored event has: one query, one index probe per type
 * (IDX_events_type), whatever the number of events of the types that were seen. In the order given,
 * without repeats; an empty list asks nothing.
 */
export async function unseenTypesIn(manager: EntityManager, types: readonly string[]): Promise<string[]> {
  const wanted = [...new Set(types.filter((type) => typeof type === 'string' && type.length > 0))];
  if (wanted.length === 0) return [];
  const dialect = SqlDialect.of(manager);
  const seen = new Set<string>();
  for (let at = 0; at < wanted.length; at += CHUNK) {
    const chunk = wanted.slice(at, at + CHUNK);
    // EXISTS stops at the first event of a type; a DISTINCT over the types would read them all.
    // Each type twice: SQLite's `?` placeholders are positional, one value each.
    const sql = chunk.map((_, i) => `SELECT CAST(${dialect.param(2 * i + 1)} AS varchar) AS type WHERE EXISTS (SELECT 1 FROM events WHERE type = ${dialect.param(2 * i + 2)})`);
    const rows = await SqlDialect.rows<{ type: string }>(manager, sql.join(' UNION ALL '), chunk.flatMap((type) => [type, type]));
    for (const row of rows) seen.add(row.type);
  }
  return wanted.filter((type) => !seen.has(type));
}
