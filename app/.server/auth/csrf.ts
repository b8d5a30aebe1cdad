// CSRF defence for every non-GET request: the browser must say the request is same-origin,
// through Sec-Fetch-Site or an Origin header that matches the Host. Lucia does not do this.
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type CsrfInput = {
  method: string;
  host: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
};

export function csrfRejection(req: CsrfInput): string | null {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return null;
  if (req.secFetchSite && req.secFetchSite !== 'same-origin' && req.secFetchSite !== 'none') {
    return `cross-site request refused (Sec-Fetch-Site: ${req.secFetchSite})`;
  }
  if (!req.origin) {
    return req.secFetchSite ? null : 'request refused: no Origin header';
  }
  let originHost: string;
  try {
    originHost = new URL(req.origin).host;
  } catch {
    return 'request refused: malformed Origin header';
  }
  if (!req.host || originHost.toLowerCase() !== req.host.toLowerCase()) {
    return `cross-origin request refused (Origin ${req.origin})`;
  }
  return null;
}
