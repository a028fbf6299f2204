/** The inquiry workflow(s) the worker registers. */
export { inquiryWorkflow } from './workflow';
