/** The migrated test database of the run (global set-up), one pool per test file. */
import os from 'node:os';
import { openDatabase, type OpenedDatabase } from '../../db/connection';
import { testDatabaseUrl } from './env';

export function openTestDatabase(): Promise<OpenedDatabase> {
  return openDatabase({ databaseUrl: testDatabaseUrl(), dataDir: os.tmpdir(), max: 4 });
}
