/** What every dialect shares: schema fragments, parsing, canonical requests, rendering. */
export * from './schema.js';
export * from './parse.js';
export * from './render.js';
export * from './requests.js';
