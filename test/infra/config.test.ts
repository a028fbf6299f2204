/**
 * Configuration the worker runs with: slot and poller defaults measured on the target machine, each
 * configurable, and a cache size the SDK cannot work with refused at start, with the reason.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config';

describe('worker configuration', () => {
  it('defaults to the measured slots and pollers (200 workflow tasks, 50 pollers, 200 local activities)', () => {
    const { worker } = loadConfig({});
    expect(worker).toMatchObject({
      maxCachedWorkflows: 250,
      workflowTaskSlots: 200,
      workflowTaskPollers: 50,
      localActivitySlots: 200,
      workflowStackTraces: false,
    });
  });

  it('takes each from the environment', () => {
    const { worker } = loadConfig({
      WORKER_MAX_CACHED_WORKFLOWS: '100',
      WORKER_WORKFLOW_TASK_SLOTS: '80',
      WORKER_WORKFLOW_TASK_POLLERS: '20',
      WORKER_LOCAL_ACTIVITY_SLOTS: '60',
      WORKER_WORKFLOW_STACK_TRACES: 'on',
    });
    expect(worker).toMatchObject({
      maxCachedWorkflows: 100,
      workflowTaskSlots: 80,
      workflowTaskPollers: 20,
      localActivitySlots: 60,
      workflowStackTraces: true,
    });
  });

  it('refuses a workflow cache of 0 at start, saying why', () => {
    expect(() => loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '0' })).toThrow(
      /WORKER_MAX_CACHED_WORKFLOWS must be at least 1: without a cache the local activities/,
    );
  });

  it('refuses a stack-trace switch other than on or off', () => {
    expect(() => loadConfig({ WORKER_WORKFLOW_STACK_TRACES: 'yes' })).toThrow(/WORKER_WORKFLOW_STACK_TRACES/);
  });
});
