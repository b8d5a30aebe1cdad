import type { RequestAuth } from '~/.server/auth/session';

declare module '@remix-run/node' {
  // Single-fetch typings for loaders/actions (future flag v3_singleFetch is on).
  interface Future {
    v3_singleFetch: true;
  }
  interface AppLoadContext {
    auth: RequestAuth;
    cspNonce: string;
    clientIp: string;
  }
}
declare module '@remix-run/server-runtime' {
  interface AppLoadContext {
    auth: RequestAuth;
    cspNonce: string;
    clientIp: string;
  }
}
export {};
