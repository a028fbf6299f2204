/**
 * The complaint and inquiry workflows have committed histories (test/replay/record-histories.ts);
 * claim-replay.test.ts replays every history in the folder, these included.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const files = fs.readdirSync(path.join(__dirname, 'histories')).filter((f) => f.endsWith('.json'));

describe('replay coverage of complaints and inquiries', () => {
  it('has committed complaint histories, including an extended and a regulator complaint', () => {
    const complaints = files.filter((f) => f.startsWith('complaint-'));
    expect(complaints.some((f) => f.includes('extended'))).toBe(true);
    expect(complaints.some((f) => f.includes('regulator'))).toBe(true);
  });

  it('has committed inquiry histories, including one answered on the spot and one with consultations', () => {
    const inquiries = files.filter((f) => f.startsWith('inquiry-'));
    expect(inquiries.some((f) => f.includes('on-the-spot'))).toBe(true);
    expect(inquiries.some((f) => f.includes('consulted'))).toBe(true);
  });

  it('has committed purchase histories, including a renewal bought again and an expired quote', () => {
    const purchases = files.filter((f) => f.startsWith('purchase-'));
    expect(purchases.some((f) => f.includes('renewal'))).toBe(true);
    expect(purchases.some((f) => f.includes('expired'))).toBe(true);
  });
});
