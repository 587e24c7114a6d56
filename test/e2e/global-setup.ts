import type { TestProject } from 'vitest/node';
import { startSim } from '../sim/server';

declare module 'vitest' {
  export interface ProvidedContext {
    simPort: number;
    controlPort: number;
  }
}

/** Starts the simulator once for the whole e2e run; each test file resets it. */
export default async function setup(project: TestProject) {
  const sim = await startSim();
  project.provide('simPort', sim.port);
  project.provide('controlPort', sim.controlPort);
  return async () => {
    await sim.close();
  };
}
