/**
 * The retention Schedule's side effect: one page of closed cases past retention anonymised
 * (services/personal-data-rights.ts). Built by a factory; the worker wires the database.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { anonymiseExpiredCases, type RetentionPage } from '../services/personal-data-rights';

export interface RetentionActivities {
  /**
   * Decides the next page of closed cases (after `cursor`, by id) as of `asOf` and anonymises those
   * past retention, each with its audit row. A retried page anonymises nothing twice.
   */
  anonymiseExpiredPage(input: {
    asOf: string;
    cursor: string | null;
    limit: number;
    teams?: string[];
  }): Promise<RetentionPage>;
}

export function createRetentionActivities({ db }: { db: Kysely<Database> }): RetentionActivities {
  return {
    anonymiseExpiredPage: ({ asOf, cursor, limit, teams }) =>
      anonymiseExpiredCases(db, new Date(asOf), cursor, limit, teams),
  };
}
