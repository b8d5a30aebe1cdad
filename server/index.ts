// The Rapport web server: owns the embedded database's lifecycle, security headers, CSRF
// checks and graceful shutdown, and hands every other request to Remix.
//   node --import tsx server/index.ts          production build in build/
//   node --import tsx server/index.ts --dev    Vite dev server with HMR
// With WEB_CONCURRENCY > 1 this process supervises that many web processes (server/cluster.ts).
import cluster from 'node:cluster';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { matchRoutes, type AgnosticRouteObject } from '@remix-run/router';
import type { ServerBuild } from '@remix-run/node';
import compression from 'compression';
import express from 'express';
import { csrfRejection } from '../app/.server/auth/csrf';
import { openProcessDatabase } from '../app/.server/db/connect';
import { DataDirError } from '../app/.server/db/embedded';
import { isDatabaseUnavailable } from '../app/.server/db/errors';
import { EnvError, getEnv } from '../app/.server/env';
import { runPrimary, webConcurrency, webProcessReady } from './cluster';
import { startIngestionProcess, type IngestionProcess } from './ingestion-process';
import { createRequestHandler, sendResponse, smallBody } from './remix-handler';
import { cpuMark } from '../app/.server/cpu-marks';

const started = performance.now();
// A .env file beside package.json is read if present; real environment variables win.
if (fs.existsSync('.env')) process.loadEnvFile('.env');
const dev = process.argv.includes('--dev');
if (!dev) process.env.NODE_ENV ??= 'production';

type Entry = {
  onServerStart: (log: (l: string) => void) => Promise<void>;
  onServerStop: () => Promise<void>;
  resolveSession: (cookie: string | undefined) => Promise<import('../app/.server/auth/session').RequestAuth>;
  pingDb: () => Promise<boolean>;
  /** POST /api/chat without Remix (app/.server/coach/chat-request.ts). */
  chatTurnDirect?: (request: {
    user: import('../app/.server/auth/session').RequestAuth['user'];
    method: string;
    contentLength: number;
    readJson: () => Promise<unknown>;
    signal: AbortSignal;
  }) => Promise<Response>;
  /** Loads what a signed-in person's first chat turn needs and an idle process does not hold (app/.server/i18n/language.ts). */
  preloadLanguageDetector?: () => Promise<void>;
  /** A chat turn's SSE response in its direct form (app/.server/coach/turn-stream.ts), or undefined. */
  directTurnStream?: (response: Response) => ((sink: { write(text: string): void; end(): void }) => { cancel(): void }) | undefined;
};

function fail(message: string): never {
  console.error(`\nRapport could not start:\n${message}\n`);
  process.exit(1);
}

async function main() {
  let env;
  try {
    env = getEnv();
  } catch (err) {
    if (err instanceof EnvError) fail(err.message);
    throw err;
  }

  // Uploads are ingested by the server's job process, not on a web process's event loop (ADR 038).
  process.env.RAPPORT_INGESTION_WORKER = 'process';
  const concurrency = webConcurrency(env, dev);
  if (concurrency > 1 && cluster.isPrimary) return runPrimary({ env, concurrency, started, fail });
  // A web process of a cluster: the primary opened the database and passed its URL on.
  const clustered = cluster.isWorker;
  const firstOfCluster = process.env.RAPPORT_FIRST_WEB_PROCESS === '1';

  let database;
  try {
    database = clustered
      ? { url: process.env.RAPPORT_DATABASE_URL!, embedded: null, describe: '' }
      : await openProcessDatabase({
          databaseUrl: env.DATABASE_URL,
          dataDir: env.dataDir,
          port: env.EMBEDDED_DB_PORT,
          sharedBuffers: env.EMBEDDED_DB_SHARED_BUFFERS,
          owner: `rapport web server on port ${env.PORT}`,
        });
  } catch (err) {
    if (err instanceof DataDirError) fail(err.message);
    throw err;
  }
  process.env.RAPPORT_DATABASE_URL = database.url;

  const vite = dev
    ? await import('vite').then((v) => v.createServer({ server: { middlewareMode: true } }))
    : undefined;
  const loadBuild = async (): Promise<ServerBuild> =>
    vite
      ? ((await vite.ssrLoadModule('virtual:remix/server-build')) as ServerBuild)
      : ((await import(path.resolve('build/server/index.js')).catch(() =>
          fail('No production build found in build/. Run `npm run build` (npm start does it for you).'),
        )) as ServerBuild);
  const entry = async () => (await loadBuild()).entry.module as unknown as Entry;

  try {
    // In a cluster only the first web process migrates, seeds and prints the demo logins.
    await (await entry()).onServerStart(clustered && !firstOfCluster ? () => {} : (line) => console.log(line));
  } catch (err) {
    await database.embedded?.close();
    if ((err as Error).name === 'MasterKeyError') fail((err as Error).message);
    fail(`the database could not be prepared: ${(err as Error).message}`);
  }
  // In a cluster the primary runs the job process; a single web process runs its own.
  let ingestion: IngestionProcess | undefined;
  if (!clustered) {
    ingestion = startIngestionProcess({ databaseUrl: database.url });
    process.on('rapport-ingest-queued', () => ingestion?.kick());
  }

  const app = express();
  app.disable('x-powered-by');
  if (env.TRUST_PROXY) app.set('trust proxy', env.TRUST_PROXY);

  app.use((req, res, next) => {
    const nonce = crypto.randomBytes(16).toString('base64');
    res.locals.cspNonce = nonce;
    // Which web process of the cluster answered (1…WEB_CONCURRENCY), for operators and tests.
    if (clustered) res.setHeader('X-Rapport-Web-Process', String(cluster.worker!.id));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
    if (!dev) {
      res.setHeader(
        'Content-Security-Policy',
        [
          "default-src 'self'",
          `script-src 'self' 'nonce-${nonce}'`,
          "style-src 'self' 'unsafe-inline'",
          "img-src 'self' data:",
          "connect-src 'self'",
          "font-src 'self'",
          "object-src 'none'",
          "base-uri 'self'",
          "form-action 'self'",
          "frame-ancestors 'none'",
        ].join('; '),
      );
    }
    next();
  });

  // Event streams must not be buffered by compression, or a streamed reply arrives all at once.
  app.use(
    compression({
      filter: (req, res) => {
        const type = String(res.getHeader('Content-Type') ?? '');
        if (type.includes('text/event-stream') || type.includes('text/x-ndjson')) return false;
        return compression.filter(req, res);
      },
    }),
  );

  // Pages answer 503 while the database is unreachable; a healthy answer is trusted for 2 s. A request whose session
  // was read from the database counts as one, so signed-in requests a second or so apart (a person chatting) do not
  // also send a ping round trip every 2 s before their session read.
  let lastHealthy = 0;
  const databaseHealthy = async () => {
    if (Date.now() - lastHealthy < 2000) return true;
    const ok = await (await entry()).pingDb();
    if (ok) lastHealthy = Date.now();
    return ok;
  };

  app.get('/healthz', async (_req, res) => {
    lastHealthy = 0;
    const ok = await databaseHealthy();
    res
      .status(ok ? 200 : 503)
      .json({ status: ok ? 'ok' : 'degraded', db: ok ? 'ok' : 'unreachable', ...(clustered ? { webProcess: cluster.worker!.id } : {}) });
  });

  app.use((req, res, next) => {
    const problem = csrfRejection({
      method: req.method,
      host: req.headers.host,
      origin: req.headers.origin,
      secFetchSite: req.headers['sec-fetch-site'] as string | undefined,
    });
    if (!problem) return next();
    res.status(403).type('text/plain').send(`Forbidden: ${problem}`);
  });

  if (vite) {
    app.use(vite.middlewares);
  } else {
    app.use('/assets', express.static('build/client/assets', { immutable: true, maxAge: '1y' }));
    // No file is served under /api/: a chat turn does not pay a file-system lookup first.
    const files = express.static('build/client', { maxAge: '1h' });
    app.use((req, res, next) => (req.path.startsWith('/api/') ? next() : files(req, res, next)));
  }

  // A POST (PUT, DELETE …) to a page or endpoint without an action: a plain 405 page, instead of
  // Remix's internal message ("…did not provide an `action` for route …"), HTML or JSON alike.
  const builtForMethods = vite ? undefined : await loadBuild();
  app.use((req, res, next) => {
    if (!builtForMethods || req.method === 'GET' || req.method === 'HEAD' || req.path.endsWith('.data')) return next();
    if (hasAction(builtForMethods, req.path, req.query.index !== undefined)) return next();
    res.status(405).set('Allow', 'GET, HEAD').type('html').send(methodNotAllowedPage());
  });

  // A chat turn's event stream is written straight into the response (server/remix-handler.ts).
  const handler = createRequestHandler({
    build: vite ? loadBuild : await loadBuild(),
    mode: dev ? 'development' : 'production',
    getLoadContext: (req, res) => res.locals.loadContext,
    directStream: async (response) => (await entry()).directTurnStream?.(response),
  });

  /** The database is reachable and the request's session is read (into res.locals.loadContext); false: answered 503. */
  const prepareRequest = async (req: express.Request, res: express.Response, next: express.NextFunction): Promise<boolean> => {
    if (!(await databaseHealthy())) {
      res.status(503).type('html').send(unavailablePage());
      return false;
    }
    try {
      const app = await entry();
      const auth = await app.resolveSession(req.headers.cookie);
      // Someone signed in is here: load the language detector now (in the background), not at start and not in their
      // first turn.
      if (auth.user) void app.preloadLanguageDetector?.();
      // A session found or refused: the database answered just now.
      if (auth.session || auth.setCookie) lastHealthy = Date.now();
      if (auth.setCookie) res.append('Set-Cookie', auth.setCookie);
      res.locals.loadContext = { auth, cspNonce: res.locals.cspNonce, clientIp: req.ip ?? req.socket.remoteAddress ?? '' };
      return true;
    } catch (err) {
      lastHealthy = 0;
      // A connection the database dropped (a restart) is a 503 even when the next ping already succeeds.
      if (isDatabaseUnavailable(err) || !(await databaseHealthy())) {
        res.status(503).type('html').send(unavailablePage());
        return false;
      }
      next(err);
      return false;
    }
  };

  // A chat turn goes to its handler without Remix (its request, routing and response cost ≈ 1.5 ms of CPU a
  // turn; docs/decisions/047). The same function answers Remix's action, which serves what this route does not
  // take (a body of unknown length, the dev server).
  app.post('/api/chat', async (req, res, next) => {
    cpuMark('request');
    const chat = vite ? undefined : (await entry()).chatTurnDirect;
    if (!chat) return next();
    if (!(await prepareRequest(req, res, next))) return;
    cpuMark('session-read');
    const body = await smallBody(req);
    cpuMark('body-read');
    if (body === undefined) return handler(req, res, next);
    // Aborts the turn once no response can be written, as Remix's request signal does (remix-handler.ts).
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    try {
      const response = await chat({
        user: res.locals.loadContext.auth.user,
        method: req.method,
        contentLength: Number(req.headers['content-length'] ?? 0),
        // As Request.json(): UTF-8 with a byte-order mark dropped; an empty body is not JSON.
        readJson: async () => JSON.parse(new TextDecoder().decode(body)),
        signal: controller.signal,
      });
      await sendResponse(res, response, async (r) => (await entry()).directTurnStream?.(r));
    } catch (error) {
      if (error instanceof Response) return sendResponse(res, error, async () => undefined);
      if (isDatabaseUnavailable(error)) {
        lastHealthy = 0;
        res.status(503).type('text/plain').send("Rapport can't reach its database just now. Please try again in a minute.");
        return;
      }
      if (!controller.signal.aborted) console.error(error);
      if (!res.headersSent) res.status(500).type('text/plain').send('Unexpected Server Error');
      else res.destroy();
    }
  });

  app.all('*', async (req, res, next) => {
    if (!(await prepareRequest(req, res, next))) return;
    return handler(req, res, next);
  });

  const server = app.listen(env.PORT, env.HOST, () => {
    const port = (server.address() as { port: number }).port;
    if (clustered) return webProcessReady(port); // the primary prints one line for all of them
    const ms = Math.round(performance.now() - started);
    console.log(`Rapport is running at http://localhost:${port} (ready in ${ms} ms)`);
    console.log(`Database: ${database.describe}`);
    if (database.embedded?.owned) {
      console.log(`  psql: psql "postgres://postgres@127.0.0.1:${database.embedded.port}/postgres"`);
    }
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (!clustered) console.log(`\n${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close();
    server.closeAllConnections?.();
    await ingestion?.stop();
    await (await entry()).onServerStop().catch(() => {});
    await vite?.close();
    await database.embedded?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

function unavailablePage() {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Rapport is unavailable</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem; color: #1f2937">
<h1>Rapport can't reach its database</h1>
<p>Nothing you wrote has been lost. Please try again in a minute; if this keeps happening, tell your administrator.</p>
<p style="color:#6b7280">Error 503</p></body></html>`;
}

main().catch((err) => fail((err as Error).stack ?? String(err)));

type BuildRoute = ServerBuild['routes'][string];

/** Whether the route a non-GET request to `pathname` goes to exports an action (Remix's own matching). */
const routeTrees = new WeakMap<ServerBuild, AgnosticRouteObject[]>();

function routeTree(build: ServerBuild): AgnosticRouteObject[] {
  let cached = routeTrees.get(build);
  if (cached) return cached;
  const routes = Object.values(build.routes) as BuildRoute[];
  const tree = (parentId: string | undefined): AgnosticRouteObject[] =>
    routes
      .filter((r) => r.parentId === parentId)
      .map((r) => (r.index ? { id: r.id, path: r.path, index: true } : { id: r.id, path: r.path, caseSensitive: r.caseSensitive, children: tree(r.id) }));
  routeTrees.set(build, (cached = tree(undefined)));
  return cached;
}

function hasAction(build: ServerBuild, pathname: string, indexParam: boolean): boolean {
  // The route tree is built once per build (every POST asked, a chat turn too).
  const matches = matchRoutes(routeTree(build), pathname);
  if (!matches || matches.length === 0) return true; // a 404: Remix answers it
  // Like Remix: a POST to a layout's URL goes to the layout unless ?index asks for its index route.
  let target = matches[matches.length - 1];
  if (target.route.index && !indexParam && matches.length > 1) target = matches[matches.length - 2];
  return Boolean(build.routes[target.route.id!]?.module.action);
}

function methodNotAllowedPage() {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Error 405 · Rapport</title><link rel="icon" href="/favicon.ico">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1.25rem;color:#1f2a27}a{color:#2f6f5e}.code{color:#5c6b66;font-weight:600}</style>
</head><body><main><p class="code">Error 405</p><h1>This page cannot do that</h1>
<p>This address does not accept that kind of request. Go back and use the page’s own buttons and forms.</p>
<p><a href="/">Go to your home page</a></p></main></body></html>`;
}
