/** The PostgreSQL test database started by `test/sql/postgres-setup.ts`, or a visible reason to skip. */
import { inject } from 'vitest';

/**
 * The test database URL, or `''` after warning why the PostgreSQL tests are skipped (binaries missing, or
 * the global setup not registered).
 */
export function postgresTestUrl(): string {
  const url = inject('postgresUrl');
  if (url) return url;
  const reason =
    url === undefined
      ? 'test/sql/postgres-setup.ts did not run (register it as a vitest globalSetup)'
      : inject('postgresSkipReason');
  console.warn(`PostgreSQL tests skipped: ${reason}`);
  return '';
}
