/** The purchase workflow(s) the worker registers. */
export { purchaseWorkflow } from './workflow';
