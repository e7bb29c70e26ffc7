/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
  },
  // engine tests must never load the terminal-only ESM packages
  moduleFileExtensions: ['ts', 'js', 'json'],
  // whole simulated weeks and child processes run inside tests; on a busy two-core CI machine the
  // default 5 s is a flake, not a finding (speed is measured by npm run bench instead); a week of
  // full-volume logs read line by line takes minutes there
  testTimeout: 300_000,
  // both cores: the suite simulates weeks of a busy machine, and one worker leaves half the box idle
  maxWorkers: 2,
};
