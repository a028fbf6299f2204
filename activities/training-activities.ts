/**
 * The training Schedule's side effect: assigning a month's periodic rounds. Built by a factory; the
 * worker wires the database and a Temporal client (each record is a workflow of its own).
 */
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { assignPeriodicRounds, type PeriodicRoundsResult } from '../services/periodic-training';

export interface TrainingActivities {
  /** Every team due a periodic round in `month` (`YYYY-MM`) gets it; a second call assigns nothing. */
  assignPeriodicRounds(input: { month: string; teams?: string[] }): Promise<PeriodicRoundsResult>;
}

export function createTrainingActivities(deps: {
  db: Kysely<Database>;
  temporal: Client;
  taskQueue: string;
}): TrainingActivities {
  return {
    assignPeriodicRounds: ({ month, teams }) => assignPeriodicRounds(deps, month, teams),
  };
}
