// Reads a multipart upload of culture-pack files without buffering unbounded bodies: each file is
// read up to the 10 MB limit, and a larger one is drained and discarded (and reported per file)
// rather than failing the whole request. More files than the per-upload cap are not read at all.
import { unstable_parseMultipartFormData as parseMultipartFormData } from '@remix-run/node';
import { DocumentRejected } from './parse';
import { TOO_MANY_FILES_MESSAGE, UPLOAD_LIMITS, type IncomingFile } from './ingest';

export class UploadRefused extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The whole request may not exceed every file at its limit plus multipart overhead. */
const MAX_REQUEST_BYTES = UPLOAD_LIMITS.maxFilesPerUpload * (UPLOAD_LIMITS.maxBytes + 64 * 1024);

export async function readUploadedFiles(request: Request): Promise<IncomingFile[]> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_REQUEST_BYTES) throw new UploadRefused(TOO_MANY_FILES_MESSAGE, 413);
  const files: IncomingFile[] = [];
  let tooMany = false;
  try {
    await parseMultipartFormData(request, async ({ filename, contentType, data }) => {
      if (typeof filename !== 'string') {
        for await (const _ of data) void _; // form fields carry nothing we need
        return null;
      }
      if (files.length >= UPLOAD_LIMITS.maxFilesPerUpload) {
        tooMany = true;
        for await (const _ of data) void _;
        return null;
      }
      files.push(await readPart(filename, contentType, data));
      return null;
    });
  } catch {
    throw new UploadRefused('The upload could not be read. Try again with the file picker.', 400);
  }
  if (tooMany) throw new UploadRefused(TOO_MANY_FILES_MESSAGE, 413);
  if (files.length === 0) throw new UploadRefused('Choose at least one file to upload.', 400);
  return files;
}

async function readPart(fileName: string, contentType: string, data: AsyncIterable<Uint8Array>): Promise<IncomingFile> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of data) {
    size += chunk.byteLength;
    // Past the limit, keep counting (to report the size) but stop keeping bytes.
    if (size <= UPLOAD_LIMITS.maxBytes) parts.push(chunk);
  }
  if (size > UPLOAD_LIMITS.maxBytes) {
    const megabytes = Math.ceil((size / (1024 * 1024)) * 10) / 10;
    return {
      fileName,
      declaredType: contentType,
      sizeBytes: size,
      rejection: new DocumentRejected('too_large', `This file is ${megabytes} MB; the limit is 10 MB. Split it into smaller documents and upload them separately.`),
    };
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return { fileName, declaredType: contentType, bytes, sizeBytes: size };
}
