/** Training records (GET /training/records), scoped by the API to what the caller may read. */
import { api, unwrap, type Schemas } from './client';

export type TrainingRecord = Schemas['TrainingRecord'];
export type TrainingQuery = { staffId?: string; team?: string };

export function listTrainingRecords(query: TrainingQuery): Promise<Schemas['TrainingRecords']> {
  return unwrap(api.GET('/api/v1/training/records', { params: { query: { ...query, limit: 500 } } }));
}
