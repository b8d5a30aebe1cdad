// Envelope encryption of conversation text (ADR 029). Pure functions over node:crypto:
// - a value is AES-256-GCM under the tenant's data key, with a fresh random 96-bit IV, the
//   16-byte auth tag, and the key's version in the envelope, so reads accept every version kept;
// - a data key is itself AES-256-GCM-wrapped by the master key (RAPPORT_MASTER_KEY).
// The tenant id is the associated data of both: a value or a wrapped key copied to another tenant
// does not decrypt there.
import crypto from 'node:crypto';

/** Every encrypted value starts so: `rpe1.<key version>.<base64url(iv ‖ ciphertext ‖ tag)>`. */
export const ENVELOPE_PREFIX = 'rpe1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

export class DecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptError';
  }
}

export function isEnvelope(value: string): boolean {
  return value.startsWith(ENVELOPE_PREFIX);
}

/** The key version an envelope names, or null when the value is not one. */
export function envelopeVersion(value: string): number | null {
  if (!isEnvelope(value)) return null;
  const dot = value.indexOf('.', ENVELOPE_PREFIX.length);
  if (dot < 0) return null;
  const version = Number(value.slice(ENVELOPE_PREFIX.length, dot));
  return Number.isInteger(version) && version > 0 ? version : null;
}

function aadFor(tenantId: string, purpose: 'value' | 'key'): Buffer {
  return Buffer.from(`rapport:${purpose}:${tenantId}`, 'utf8');
}

function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

function open(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new DecryptError('ciphertext too short');
  const iv = sealed.subarray(0, IV_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new DecryptError('authentication failed (wrong key or damaged ciphertext)');
  }
}

export function encryptValue(key: Buffer, version: number, tenantId: string, text: string): string {
  return `${ENVELOPE_PREFIX}${version}.${seal(key, Buffer.from(text, 'utf8'), aadFor(tenantId, 'value')).toString('base64url')}`;
}

/** Decrypts with the key of the envelope's version (looked up by `keyFor`); throws DecryptError. */
export function decryptValue(keyFor: (version: number) => Buffer | undefined, tenantId: string, envelope: string): string {
  const version = envelopeVersion(envelope);
  if (version === null) throw new DecryptError('not an encrypted value');
  const key = keyFor(version);
  if (!key) throw new DecryptError(`no data key version ${version} for this tenant`);
  const body = envelope.slice(envelope.indexOf('.', ENVELOPE_PREFIX.length) + 1);
  return open(key, Buffer.from(body, 'base64url'), aadFor(tenantId, 'value')).toString('utf8');
}

export function wrapDataKey(masterKey: Buffer, tenantId: string, dataKey: Buffer): string {
  return seal(masterKey, dataKey, aadFor(tenantId, 'key')).toString('base64');
}

export function unwrapDataKey(masterKey: Buffer, tenantId: string, wrapped: string): Buffer {
  const key = open(masterKey, Buffer.from(wrapped, 'base64'), aadFor(tenantId, 'key'));
  if (key.length !== KEY_BYTES) throw new DecryptError('unwrapped data key has the wrong length');
  return key;
}

export function newDataKey(): Buffer {
  return crypto.randomBytes(KEY_BYTES);
}

/**
 * Keyed digest of a text (HMAC-SHA256, 128 bits), for equality checks the database must make
 * without reading the text (a retried message is the same message). Keyed by the data key, so it
 * is shredded with it.
 */
export function textMac(key: Buffer, text: string): string {
  return crypto.createHmac('sha256', key).update('rapport:mac:').update(text, 'utf8').digest('base64url').slice(0, 22);
}

/** A value that proves which master key is in use without revealing it (stored in app_meta). */
export function masterKeyCheck(masterKey: Buffer): string {
  return crypto.createHmac('sha256', masterKey).update('rapport master key check v1').digest('hex').slice(0, 32);
}

/** RAPPORT_MASTER_KEY: 32 bytes as 64 hex digits or base64; anything else is refused. */
export function parseMasterKey(text: string): Buffer {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) {
    const key = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === KEY_BYTES) return key;
  }
  throw new Error('RAPPORT_MASTER_KEY must be 32 random bytes as 64 hex digits or base64 (e.g. `openssl rand -hex 32`)');
}
