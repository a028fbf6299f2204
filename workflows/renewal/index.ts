/** The renewal workflow(s) the worker registers. */
export {};
