import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection';
import { migrateToLatest } from '../../db/migrate';
import { applyProjection } from '../../db/repositories/case-projection';
import { getCaseRow } from '../../db/repositories/case-reads';
import { projection } from './fixtures';

describe('embedded PGlite', () => {
  it('persists under <dataDir>/pglite across close and reopen, and refuses a second open while in use', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motordesk-pglite-'));
    try {
      const first = await openDatabase({ dataDir });
      expect(first.kind).toBe('pglite');
      await expect(openDatabase({ dataDir })).rejects.toThrow(/already open/);
      await migrateToLatest(first.db);
      await applyProjection(first.db, projection('claim-persisted'));
      await first.close();
      expect(fs.existsSync(path.join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);

      const second = await openDatabase({ dataDir });
      try {
        expect(await migrateToLatest(second.db)).toEqual({ applied: [] });
        expect((await getCaseRow(second.db, 'claim-persisted'))?.id).toBe('claim-persisted');
      } finally {
        await second.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
