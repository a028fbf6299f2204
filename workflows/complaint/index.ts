/** The complaint workflow(s) the worker registers. */
export { complaintWorkflow } from './workflow';
