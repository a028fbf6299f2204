/** The assessment workflows the worker registers. */
export { assessmentWorkflow } from './workflow';
