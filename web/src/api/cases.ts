/** Reading cases: one case of any type, a page of the list, the timeline and notifications. */
import { api, unwrap, type CaseType, type CaseView, type Schemas } from './client';
import type { paths } from './schema';

export type CaseListQuery = NonNullable<paths['/api/v1/cases']['get']['parameters']['query']>;

export const COLLECTION: Record<CaseType, string> = {
  claim: '/claims',
  complaint: '/complaints',
  inquiry: '/inquiries',
  renewal: '/renewals',
  purchase: '/purchases',
};

export function isCaseType(type: string): type is CaseType {
  return type in COLLECTION;
}

export function getCase(type: CaseType, id: string): Promise<CaseView> {
  const params = { params: { path: { id } } };
  switch (type) {
    case 'claim':
      return unwrap(api.GET('/api/v1/claims/{id}', params));
    case 'complaint':
      return unwrap(api.GET('/api/v1/complaints/{id}', params));
    case 'inquiry':
      return unwrap(api.GET('/api/v1/inquiries/{id}', params));
    case 'renewal':
      return unwrap(api.GET('/api/v1/renewals/{id}', params));
    case 'purchase':
      return unwrap(api.GET('/api/v1/purchases/{id}', params));
  }
}

export function listCases(query: CaseListQuery): Promise<Schemas['CaseList']> {
  return unwrap(api.GET('/api/v1/cases', { params: { query } }));
}

/** Every page of a list up to `max` items (the desk: one agent's cases are few). */
export async function listAllCases(query: CaseListQuery, max = 1000): Promise<Schemas['CaseListItem'][]> {
  const items: Schemas['CaseListItem'][] = [];
  let cursor: string | undefined;
  do {
    const page = await listCases({ ...query, limit: 200, cursor });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && items.length < max);
  return items;
}

export function getTimeline(id: string): Promise<Schemas['Timeline']> {
  return unwrap(api.GET('/api/v1/cases/{id}/timeline', { params: { path: { id } } }));
}

export function getNotifications(caseId: string): Promise<Schemas['Notifications']> {
  return unwrap(api.GET('/api/v1/notifications', { params: { query: { caseId } } }));
}
