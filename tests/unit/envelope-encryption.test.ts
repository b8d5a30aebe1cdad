import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DecryptError,
  decryptValue,
  encryptValue,
  envelopeVersion,
  isEnvelope,
  masterKeyCheck,
  newDataKey,
  parseMasterKey,
  textMac,
  unwrapDataKey,
  wrapDataKey,
} from '~/.server/privacy/envelope';
import { TenantCipher, UNREADABLE_TEXT } from '~/.server/privacy/tenant-keys';

const TENANT = '6f1c3c1e-8d5b-4b7e-9a51-0c6f7d2e1a90';
const OTHER = '0b7a7e55-2f4d-4c57-8a57-3f1b2a9c4d11';

describe('envelope encryption', () => {
  it('round-trips text (unicode, empty, long) and never repeats a ciphertext', () => {
    const key = newDataKey();
    for (const text of ['Marcus has been late every shift', '', 'Priya 🤰 — señora Ñúñez', 'x'.repeat(20_000)]) {
      const a = encryptValue(key, 3, TENANT, text);
      const b = encryptValue(key, 3, TENANT, text);
      expect(a).not.toBe(b); // random IV per value
      expect(isEnvelope(a)).toBe(true);
      expect(envelopeVersion(a)).toBe(3);
      expect(a).not.toContain('Marcus');
      expect(decryptValue((v) => (v === 3 ? key : undefined), TENANT, a)).toBe(text);
    }
  });

  it('fails closed on a wrong key, another tenant, a missing version or a flipped byte', () => {
    const key = newDataKey();
    const envelope = encryptValue(key, 1, TENANT, 'Priya told me she is pregnant');
    expect(() => decryptValue(() => newDataKey(), TENANT, envelope)).toThrow(DecryptError);
    expect(() => decryptValue(() => key, OTHER, envelope)).toThrow(DecryptError);
    expect(() => decryptValue(() => undefined, TENANT, envelope)).toThrow(/no data key version 1/);
    const body = Buffer.from(envelope.split('.')[2], 'base64url');
    body[body.length - 20] ^= 1;
    const damaged = `rpe1.1.${body.toString('base64url')}`;
    expect(() => decryptValue(() => key, TENANT, damaged)).toThrow(DecryptError);
    expect(() => decryptValue(() => key, TENANT, 'rpe1.1.AAAA')).toThrow(/too short/);
  });

  it('wraps a data key under the master key, bound to the tenant', () => {
    const master = crypto.randomBytes(32);
    const dataKey = newDataKey();
    const wrapped = wrapDataKey(master, TENANT, dataKey);
    expect(unwrapDataKey(master, TENANT, wrapped).equals(dataKey)).toBe(true);
    expect(() => unwrapDataKey(crypto.randomBytes(32), TENANT, wrapped)).toThrow(DecryptError);
    expect(() => unwrapDataKey(master, OTHER, wrapped)).toThrow(DecryptError);
  });

  it('parses master keys as hex or base64 and refuses anything else', () => {
    const raw = crypto.randomBytes(32);
    expect(parseMasterKey(raw.toString('hex')).equals(raw)).toBe(true);
    expect(parseMasterKey(raw.toString('base64')).equals(raw)).toBe(true);
    expect(parseMasterKey(raw.toString('base64url')).equals(raw)).toBe(true);
    expect(() => parseMasterKey('secret')).toThrow(/64 hex digits/);
    expect(() => parseMasterKey(crypto.randomBytes(16).toString('hex'))).toThrow();
    expect(masterKeyCheck(raw)).toBe(masterKeyCheck(Buffer.from(raw)));
    expect(masterKeyCheck(raw)).not.toBe(masterKeyCheck(crypto.randomBytes(32)));
  });

  it('keys the message digest by the data key', () => {
    const a = newDataKey();
    expect(textMac(a, 'hello')).toBe(textMac(a, 'hello'));
    expect(textMac(a, 'hello')).not.toBe(textMac(a, 'hello!'));
    expect(textMac(newDataKey(), 'hello')).not.toBe(textMac(a, 'hello'));
  });
});

describe('TenantCipher', () => {
  it('writes under the active version and reads every version it holds (rotation)', () => {
    const v1 = newDataKey();
    const v2 = newDataKey();
    const before = new TenantCipher(TENANT, 1, new Map([[1, v1]]), Date.now());
    const old = before.encrypt('Marcus has been late every shift');
    const during = new TenantCipher(TENANT, 2, new Map([[1, v1], [2, v2]]), Date.now());
    const fresh = during.encrypt('Marcus again');
    expect(envelopeVersion(fresh)).toBe(2);
    expect(during.decrypt(old)).toBe('Marcus has been late every shift');
    expect(during.decrypt(fresh)).toBe('Marcus again');
    // After the old version is destroyed, its values are unreadable (crypto-shredding), not a crash.
    const after = new TenantCipher(TENANT, 2, new Map([[2, v2]]), Date.now());
    expect(after.decryptOrMark(old)).toEqual({ text: UNREADABLE_TEXT, unreadable: true });
    expect(after.decryptOrMark(fresh)).toEqual({ text: 'Marcus again', unreadable: false });
  });

  it('passes plain values (from before encryption) and null through', () => {
    const cipher = new TenantCipher(TENANT, 1, new Map([[1, newDataKey()]]), Date.now());
    expect(cipher.decrypt('New conversation')).toBe('New conversation');
    expect(cipher.decrypt(null)).toBeNull();
    expect(cipher.encryptNullable(null)).toBeNull();
  });
});
