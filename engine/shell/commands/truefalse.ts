import { ok } from '../io';
import { defineCommand } from './define';

export const trueCmd = defineCommand({
  name: 'true',
  summary: 'do nothing, successfully',
  category: 'shell',
  synopsis: ['true'],
  description: ['Exits with status 0 and prints nothing. Handy in conditions: while true; do ...; done.'],
  examples: [['true && echo yes', 'Prints yes.']],
  run: () => ok(),
});

export const falseCmd = defineCommand({
  name: 'false',
  summary: 'do nothing, unsuccessfully',
  category: 'shell',
  synopsis: ['false'],
  description: ['Exits with status 1 and prints nothing.'],
  examples: [['false || echo failed', 'Prints failed.']],
  run: () => ({ stdout: '', stderr: '', code: 1 }),
});
