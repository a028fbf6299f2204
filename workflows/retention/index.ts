/** The retention workflows the worker registers. */
export { personalDataRetentionWorkflow } from './sweep';
