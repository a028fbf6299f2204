import { ApplicationFailure } from '@temporalio/workflow';
import { type Actor, atLeastRole, type Role } from '../../domain/case';
import { REFUSAL } from './contract';

/** Thrown from update validators: rejected before anything reaches history. */
export function refuse(type: (typeof REFUSAL)[keyof typeof REFUSAL], message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

export function requireRole(actor: Actor, least: Role, action: string): void {
  if (!atLeastRole(actor.role, least)) refuse(REFUSAL.forbidden, `${action} needs the ${least} role or higher`);
}

export function requireStatus(allowed: boolean, status: string, action: string): void {
  if (!allowed) refuse(REFUSAL.invalidState, `${action} is not allowed while the case is ${status}`);
}
