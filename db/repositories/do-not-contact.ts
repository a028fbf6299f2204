/**
 * The do-not-contact list (a declined renewal, an opt-out): every outreach to a customer, on any
 * case and any channel, asks it first. Addresses are stored as SHA-256 of their normalised form with
 * a masked copy for operators, so the list is not a second copy of customers' numbers.
 */
import { createHash } from 'node:crypto';
import type { Executor } from './support';

export type ContactKind = 'phone' | 'email';

export interface ContactAddresses {
  phone?: string | null;
  email?: string | null;
}

function normalise(kind: ContactKind, address: string): string {
  if (kind === 'email') return address.trim().toLowerCase();
  const digits = address.replace(/\D/g, '');
  return digits.length === 13 && digits.startsWith('86') ? digits.slice(2) : digits;
}

function contactHash(kind: ContactKind, address: string): string {
  return createHash('sha256')
    .update(`${kind}:${normalise(kind, address)}`)
    .digest('hex');
}

function masked(kind: ContactKind, address: string): string {
  const value = normalise(kind, address);
  if (kind === 'phone') return value.length >= 7 ? `${value.slice(0, 3)}****${value.slice(-4)}` : '****';
  const at = value.indexOf('@');
  return at > 0 ? `${value.slice(0, 1)}***${value.slice(at)}` : '***';
}

function entries(addresses: ContactAddresses): { kind: ContactKind; address: string }[] {
  const list: { kind: ContactKind; address: string }[] = [];
  if (addresses.phone?.trim()) list.push({ kind: 'phone', address: addresses.phone });
  if (addresses.email?.trim()) list.push({ kind: 'email', address: addresses.email });
  return list;
}

export interface DoNotContactEntry {
  reason: string;
  sourceCaseId: string | null;
  createdBy: string;
}

/** Puts the addresses on the list; an address already there keeps its first entry. Returns how many were new. */
export async function addToDoNotContact(
  db: Executor,
  addresses: ContactAddresses,
  entry: DoNotContactEntry,
): Promise<number> {
  const rows = entries(addresses).map(({ kind, address }) => ({
    contact_hash: contactHash(kind, address),
    kind,
    masked: masked(kind, address),
    reason: entry.reason.slice(0, 200),
    source_case_id: entry.sourceCaseId,
    created_by: entry.createdBy,
  }));
  if (rows.length === 0) return 0;
  const result = await db
    .insertInto('do_not_contact')
    .values(rows)
    .onConflict((oc) => oc.column('contact_hash').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
}

/** Whether any of the addresses is on the list. */
export async function isOnDoNotContact(db: Executor, addresses: ContactAddresses): Promise<boolean> {
  const hashes = entries(addresses).map(({ kind, address }) => contactHash(kind, address));
  if (hashes.length === 0) return false;
  const row = await db
    .selectFrom('do_not_contact')
    .select('contact_hash')
    .where('contact_hash', 'in', hashes)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
