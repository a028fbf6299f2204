import { ApplicationFailure } from '@temporalio/workflow';
import type { Actor, Role } from '../../domain/case';
import { REFUSAL } from './contract';

/** Thrown from update validators: rejected before anything reaches history. */
export function refuse(type: (typeof REFUSAL)[keyof typeof REFUSAL], message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

// hr ranks below every case role: no case action is open to it.
const RANK: Record<Role, number> = { agent: 0, supervisor: 1, manager: 2, admin: 3, hr: -1 };

export function requireRole(actor: Actor, least: Role, action: string): void {
  if (RANK[actor.role] < RANK[least]) refuse(REFUSAL.forbidden, `${action} needs the ${least} role or higher`);
}

export function requireStatus(allowed: boolean, status: string, action: string): void {
  if (!allowed) refuse(REFUSAL.invalidState, `${action} is not allowed while the case is ${status}`);
}
