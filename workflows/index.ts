/** Every workflow the worker registers (the bundle's entry point). */
export { claimWorkflow } from './claim/workflow';
export * from './complaint';
export * from './inquiry';
export * from './renewal';
export * from './purchase';
export * from './training';
export * from './assessment';
export * from './facilities';
export * from './retention';
