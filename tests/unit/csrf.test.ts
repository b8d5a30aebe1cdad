import { describe, expect, it } from 'vitest';
import { csrfRejection } from '~/.server/auth/csrf';

const base = { host: 'rapport.example:3000', origin: undefined, secFetchSite: undefined };

describe('CSRF check on non-GET requests', () => {
  it('lets reads through', () => {
    expect(csrfRejection({ ...base, method: 'GET', origin: 'https://evil.example' })).toBeNull();
    expect(csrfRejection({ ...base, method: 'HEAD' })).toBeNull();
  });
  it('accepts a same-origin post', () => {
    expect(csrfRejection({ ...base, method: 'POST', origin: 'http://rapport.example:3000' })).toBeNull();
    expect(csrfRejection({ ...base, method: 'POST', secFetchSite: 'same-origin', origin: 'http://rapport.example:3000' })).toBeNull();
  });
  it('refuses cross-site posts by Sec-Fetch-Site or Origin', () => {
    expect(csrfRejection({ ...base, method: 'POST', secFetchSite: 'cross-site', origin: 'http://rapport.example:3000' })).toMatch(/cross-site/);
    expect(csrfRejection({ ...base, method: 'POST', secFetchSite: 'same-site', origin: 'http://other.rapport.example' })).toMatch(/same-site/);
    expect(csrfRejection({ ...base, method: 'DELETE', origin: 'https://evil.example' })).toMatch(/cross-origin/);
    expect(csrfRejection({ ...base, method: 'POST', origin: 'http://rapport.example:3001' })).toMatch(/cross-origin/);
  });
  it('refuses posts with no origin information, or a malformed one', () => {
    expect(csrfRejection({ ...base, method: 'POST' })).toMatch(/no Origin/);
    expect(csrfRejection({ ...base, method: 'POST', origin: 'null' })).toMatch(/malformed|cross-origin/);
  });
});
