// Builds the app if needed and starts one instance for all browser tests.
import type { TestProject } from 'vitest/node';
import { buildIfStale, trainSafetyModelIfStale } from '../../scripts/build-if-stale.mjs';
import { startApp, type RunningApp } from './harness';

declare module 'vitest' {
  export interface ProvidedContext {
    appUrl: string;
    appDataDir: string;
  }
}

let app: RunningApp | undefined;

export async function setup(project: TestProject) {
  buildIfStale({ quiet: true });
  trainSafetyModelIfStale({ quiet: true });
  app = await startApp();
  project.provide('appUrl', app.url);
  project.provide('appDataDir', app.dataDir);
}

export async function teardown() {
  await app?.stop();
}
