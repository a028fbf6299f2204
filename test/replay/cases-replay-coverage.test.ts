/**
 * Every workflow type the worker registers has committed histories (test/replay/record-histories.ts);
 * claim-replay.test.ts replays every history in the folder. A new workflow type without one fails
 * here, so a later change to it cannot break running cases unnoticed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as registered from '../../workflows';

const folder = path.join(__dirname, 'histories');
const files = fs.readdirSync(folder).filter((f) => f.endsWith('.json'));

/** The workflow type a committed history starts, from its first event. */
function workflowTypeOf(file: string): string | undefined {
  const history = JSON.parse(fs.readFileSync(path.join(folder, file), 'utf8')) as {
    events?: { workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } } }[];
  };
  return history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
}

describe('replay coverage of every registered workflow type', () => {
  it('has at least one committed history for each workflow the worker registers', () => {
    const types = Object.entries(registered)
      .filter(([, value]) => typeof value === 'function')
      .map(([name]) => name);
    expect(types).toContain('claimWorkflow');
    const recorded = new Set(files.map(workflowTypeOf));
    expect(types.filter((type) => !recorded.has(type))).toEqual([]);
  });
});

describe('replay coverage of complaints and inquiries', () => {
  it('has committed complaint histories, including an extended, a regulator and a reviewed (复核) complaint', () => {
    const complaints = files.filter((f) => f.startsWith('complaint-'));
    expect(complaints.some((f) => f.includes('extended'))).toBe(true);
    expect(complaints.some((f) => f.includes('regulator'))).toBe(true);
    expect(complaints.some((f) => f.includes('review-decided'))).toBe(true);
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

describe('replay coverage of training records', () => {
  it('has committed training histories, including a retake passed and a record flagged to HR', () => {
    const records = files.filter((f) => f.startsWith('training-'));
    expect(records.some((f) => f.includes('retake-passed'))).toBe(true);
    expect(records.some((f) => f.includes('flagged'))).toBe(true);
  });
});

describe('replay coverage of assessments', () => {
  it('has committed assessment histories, including an appeal answered and a late supervisor', () => {
    const months = files.filter((f) => f.startsWith('assessment-'));
    expect(months.some((f) => f.includes('appealed'))).toBe(true);
    expect(months.some((f) => f.includes('supervisor-late'))).toBe(true);
  });
});

describe('replay coverage of facilities', () => {
  it('has committed histories of an item through an overdue check and two repairs, one repaired and one replaced', () => {
    expect(files.some((f) => f.startsWith('equipment-') && f.includes('escalated'))).toBe(true);
    const repairs = files.filter((f) => f.startsWith('repair-'));
    expect(repairs.some((f) => f.includes('repaired-closed'))).toBe(true);
    expect(repairs.some((f) => f.includes('replaced'))).toBe(true);
    expect(files.some((f) => f.startsWith('facilities-check-sweep'))).toBe(true);
  });
});
