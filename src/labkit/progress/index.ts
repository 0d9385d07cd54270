/** What a student has done, stored in the browser. See format.ts for the data and store.ts for the API. */
export * from './format';
export * from './store';
