/** The renewal workflow(s) the worker registers. */
export { renewalWorkflow } from './workflow';
export { renewalSweepWorkflow } from './sweep';
