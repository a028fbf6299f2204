/** The skeleton's local activities: the claim's names, doing nothing (scripts/bench-support/skeleton-workflow.ts). */
export const skeletonActivities = {
  async scheduleClocks(): Promise<[]> {
    return [];
  },
  async projectCase(): Promise<void> {},
};
export type SkeletonActivities = typeof skeletonActivities;

export const SKELETON_TASK_QUEUE = 'bench-skeleton';
