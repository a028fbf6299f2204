/** The staff directory (GET /staff): who can be assigned, scored, trained and counted. */
import { api, unwrap, type Schemas } from './client';

export type StaffMember = Schemas['StaffMember'];
export type StaffQuery = { team?: string; role?: StaffMember['role']; active?: 'true' | 'false' };

export function listStaff(query: StaffQuery): Promise<Schemas['StaffList']> {
  return unwrap(api.GET('/api/v1/staff', { params: { query } }));
}
