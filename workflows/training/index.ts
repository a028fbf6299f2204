/** The training workflows the worker registers. */
export { trainingWorkflow } from './workflow';
export { periodicTrainingWorkflow } from './periodic-rounds';
