/** The pure domain: no I/O, safe to import from workflow code. */
export * from './calendar';
export * from './case';
export * from './claim';
export * from './clock';
export * from './deadline';
export * from './duration';
export * from './policies';
