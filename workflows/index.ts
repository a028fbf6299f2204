/** Every workflow the worker registers (the bundle's entry point). */
export { claimWorkflow } from './claim/workflow';
