/** The facilities workflows the worker registers. */
export { equipmentWorkflow } from './equipment';
export { repairWorkflow } from './repair';
export { facilitiesCheckSweepWorkflow } from './check-sweep';
