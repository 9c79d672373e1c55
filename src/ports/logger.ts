// The logger every module receives. It is pino's type because app/logger.ts makes a pino logger once at
// start-up; features and adapters take it from here so they never import the composition root.
export type { Logger } from 'pino';
