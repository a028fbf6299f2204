/** The assessment workflows the worker registers. */
export { assessmentWorkflow } from './workflow';
export { annualAssessmentWorkflow, monthlyAssessmentWorkflow } from './monthly-run';
