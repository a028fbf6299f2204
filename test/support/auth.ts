/** Tokens for tests, signed the way the API verifies them. */
import { randomUUID } from 'node:crypto';
import { signToken } from '../../api/auth';
import type { Role } from '../../domain/case';
import { TEST_JWT_SECRET } from './config';

export function tokenFor(role: Role, team?: string, sub = `${role}-${randomUUID().slice(0, 8)}`): string {
  return signToken(team === undefined ? { sub, role } : { sub, role, team }, TEST_JWT_SECRET, '1h');
}

/** A team name no other test uses, so scoped lists only see this test's cases. */
export function uniqueTeam(prefix = 'team'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
