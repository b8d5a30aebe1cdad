#!/usr/bin/env node
// The `rapport` operator command. It runs the TypeScript sources through tsx, with the
// project's tsconfig (for the ~/ alias) wherever it is started from.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.env.RAPPORT_ROOT ??= root;
register({ tsconfig: path.join(root, 'tsconfig.json') });
await import(pathToFileURL(path.join(root, 'app/cli/main.ts')).href);
