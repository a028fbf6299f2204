/**
 * `npm run db:migrate`: migrates DATABASE_URL, or the embedded PGlite under MOTORDESK_DATA_DIR.
 * `--create-database` first creates the PostgreSQL database when it is missing (development).
 */
import { loadConfig } from '../config';
import { ensureDatabaseExists, openDatabase } from './connection';
import { migrateToLatest } from './migrate';

async function main(argv: string[]): Promise<void> {
  const config = loadConfig();
  if (config.databaseUrl && argv.includes('--create-database')) await ensureDatabaseExists(config.databaseUrl);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, max: 1 });
  try {
    const { applied } = await migrateToLatest(database.db);
    const where = database.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`;
    console.log(applied.length ? `${where}: applied ${applied.join(', ')}` : `${where}: already up to date`);
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
