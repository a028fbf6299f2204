/** Performance assessments (绩效考核): GET /assessments, scoped by the API to what the caller may read. */
import { api, unwrap, type Schemas } from './client';

export type Assessment = Schemas['Assessment'];
export type AssessmentQuery = {
  period?: string;
  team?: string;
  staffId?: string;
  status?: Assessment['status'];
};

export function listAssessments(query: AssessmentQuery): Promise<Schemas['Assessments']> {
  return unwrap(api.GET('/api/v1/assessments', { params: { query: { ...query, limit: 500 } } }));
}

export function getAssessment(id: string): Promise<Assessment> {
  return unwrap(api.GET('/api/v1/assessments/{id}', { params: { path: { id } } }));
}
