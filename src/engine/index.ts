export * from './types.js';
export * from './commands.js';
export * from './steps.js';
export * from './selectors.js';
