/** re2js on its own, so that regex.ts can load it when a pattern first needs it (a new game never does). */
export { RE2JS } from 're2js';
