// Imports every file of a folder into a tenant's draft (seed and `rapport packs import`), in
// batches of the per-upload limit, waiting for each batch to be indexed.
import fs from 'node:fs';
import path from 'node:path';
import { ingestFilesNow, UPLOAD_LIMITS, type IncomingFile, type UploadOutcome } from './ingest';
import { DocumentRejected } from './parse';

export async function importPackDirectory(opts: { tenantId: string; userId: string | null; dir: string }): Promise<UploadOutcome[]> {
  if (!fs.existsSync(opts.dir) || !fs.statSync(opts.dir).isDirectory()) throw new Error(`${opts.dir} is not a folder`);
  const names = fs
    .readdirSync(opts.dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
  const outcomes: UploadOutcome[] = [];
  for (let start = 0; start < names.length; start += UPLOAD_LIMITS.maxFilesPerUpload) {
    const files = names.slice(start, start + UPLOAD_LIMITS.maxFilesPerUpload).map((name) => readFile(path.join(opts.dir, name)));
    outcomes.push(...(await ingestFilesNow({ tenantId: opts.tenantId, userId: opts.userId, files })));
  }
  return outcomes;
}

// The size limit is checked before reading, so a huge file in the folder is never loaded.
function readFile(filePath: string): IncomingFile {
  const fileName = path.basename(filePath);
  const sizeBytes = fs.statSync(filePath).size;
  if (sizeBytes > UPLOAD_LIMITS.maxBytes) return { fileName, sizeBytes, rejection: new DocumentRejected('too_large') };
  return { fileName, sizeBytes, bytes: new Uint8Array(fs.readFileSync(filePath)) };
}
