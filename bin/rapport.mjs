#!/usr/bin/env node
// The `rapport` operator command. It runs the TypeScript sources through tsx, with the
// project's tsconfig (for the ~/ alias) wherever it is started from.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.env.RAPPORT_ROOT ??= root;
// A .env file beside package.json is read if present; real environment variables win.
if (fs.existsSync(path.join(root, '.env'))) process.loadEnvFile(path.join(root, '.env'));
register({ tsconfig: path.join(root, 'tsconfig.json') });
await import(pathToFileURL(path.join(root, 'app/cli/main.ts')).href);
