// Drag-and-drop or pick several files; each is uploaded on its own request (real upload progress,
// and one bad file cannot stop the others), then its processing is polled until it is indexed.
import { useCallback, useEffect, useRef, useState } from 'react';

export const ACCEPTED_EXTENSIONS = ['.md', '.markdown', '.txt', '.html', '.htm', '.pdf', '.docx'];
const MAX_FILES = 50;
const MAX_BYTES = 10 * 1024 * 1024;
const PARALLEL_UPLOADS = 3;

type Stage = 'waiting' | 'uploading' | 'uploaded' | 'parsing' | 'splitting' | 'embedding' | 'indexing' | 'ready' | 'failed' | 'duplicate';

export interface UploadItem {
  key: string;
  name: string;
  size: number;
  stage: Stage;
  progress: number;
  message?: string;
  documentId?: string;
}

const STAGE_LABELS: Record<Stage, string> = {
  waiting: 'Waiting',
  uploading: 'Uploading',
  uploaded: 'Uploaded',
  parsing: 'Parsing',
  splitting: 'Splitting',
  embedding: 'Embedding',
  indexing: 'Indexing',
  ready: 'Ready',
  failed: 'Failed',
  duplicate: 'Skipped',
};

export function Uploader({ onSettled }: { onSettled: () => void }) {
  const [items, setItems] = useState<UploadItem[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  // Uploading needs the script: until it has loaded, the picker is disabled rather than dead.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const input = useRef<HTMLInputElement>(null);

  const update = useCallback((key: string, patch: Partial<UploadItem>) => {
    setItems((current) => current.map((item) => (item.key === key ? { ...item, ...patch } : item)));
  }, []);

  const start = useCallback(
    (files: File[]) => {
      setNotice(null);
      if (files.length === 0) return;
      if (files.length > MAX_FILES) {
        setNotice(`You chose ${files.length} files; upload at most ${MAX_FILES} at a time. Combine small policies into fewer documents, or upload them in batches.`);
        return;
      }
      const batch = files.map((file, i) => ({ file, item: { key: `${Date.now()}-${i}-${file.name}`, name: file.name, size: file.size, stage: 'waiting' as Stage, progress: 0 } }));
      setItems((current) => [...batch.map((b) => b.item), ...current]);
      const queue = [...batch];
      const worker = async () => {
        for (let next = queue.shift(); next; next = queue.shift()) await uploadOne(next.file, next.item.key, update);
      };
      void Promise.all(Array.from({ length: Math.min(PARALLEL_UPLOADS, queue.length) }, worker)).then(onSettled);
    },
    [onSettled, update],
  );

  // Poll the server for files that are being processed.
  const processing = items.filter((i) => i.documentId && ['uploaded', 'parsing', 'splitting', 'embedding', 'indexing'].includes(i.stage));
  const processingIds = processing.map((i) => i.documentId).join(',');
  useEffect(() => {
    if (!processingIds) return;
    let stopped = false;
    const timer = setInterval(async () => {
      const response = await fetch(`/hr/pack/status?ids=${processingIds}`, { headers: { Accept: 'application/json' } }).catch(() => null);
      if (!response?.ok || stopped) return;
      const { documents } = (await response.json()) as { documents: Array<{ id: string; status: Stage; progress: number; error: string | null }> };
      let finished = false;
      setItems((current) =>
        current.map((item) => {
          const doc = documents.find((d) => d.id === item.documentId);
          if (!doc) return item;
          if (doc.status === 'ready' || doc.status === 'failed') finished = true;
          return { ...item, stage: doc.status, progress: doc.progress, message: doc.error ?? item.message };
        }),
      );
      if (finished) onSettled();
    }, 600);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [processingIds, onSettled]);

  return (
    <div className="uploader">
      <div
        className={`dropzone${dragging ? ' dropzone-active' : ''}`}
        data-ready={ready}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          start(Array.from(e.dataTransfer.files));
        }}
      >
        <p className="dropzone-title">Drop policy documents here</p>
        <p className="muted small">Markdown, text, HTML, PDF or Word (.docx) · up to 10 MB each · up to {MAX_FILES} files at a time</p>
        <label className="btn btn-primary">
          Choose files…
          <input
            ref={input}
            className="visually-hidden"
            type="file"
            name="files"
            multiple
            accept={ACCEPTED_EXTENSIONS.join(',')}
            data-testid="pack-file-input"
            disabled={!ready}
            onChange={(e) => {
              start(Array.from(e.currentTarget.files ?? []));
              e.currentTarget.value = '';
            }}
          />
        </label>
      </div>
      {notice ? (
        <p role="alert" className="alert alert-error">
          {notice}
        </p>
      ) : null}
      {items.length > 0 ? (
        <ul className="upload-list" aria-label="Uploads">
          {items.map((item) => (
            <li key={item.key} className={`upload-item upload-${item.stage}`} data-testid="upload-item">
              <div className="upload-head">
                <span className="upload-name">{item.name}</span>
                <span className="upload-stage" data-testid="upload-stage">
                  {STAGE_LABELS[item.stage]}
                  {item.stage !== 'ready' && item.stage !== 'failed' && item.stage !== 'duplicate' ? ` · ${item.progress}%` : ''}
                </span>
              </div>
              <progress max={100} value={item.progress} aria-label={`${item.name}: ${STAGE_LABELS[item.stage]}`} />
              {item.message ? <p className={item.stage === 'failed' ? 'field-error' : 'hint'}>{item.message}</p> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function uploadOne(file: File, key: string, update: (key: string, patch: Partial<UploadItem>) => void): Promise<void> {
  const extension = file.name.toLowerCase().match(/\.[a-z0-9]+$/)?.[0] ?? '';
  if (!ACCEPTED_EXTENSIONS.includes(extension)) {
    update(key, { stage: 'failed', progress: 100, message: 'This file type is not supported. Upload Markdown (.md), plain text (.txt), HTML (.html), PDF (.pdf) or Word (.docx).' });
    return Promise.resolve();
  }
  if (file.size > MAX_BYTES) {
    update(key, { stage: 'failed', progress: 100, message: `This file is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is 10 MB. Split it into smaller documents.` });
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/hr/pack/upload');
    request.setRequestHeader('Accept', 'application/json');
    request.upload.onprogress = (e) => {
      if (e.lengthComputable) update(key, { stage: 'uploading', progress: Math.round((e.loaded / e.total) * 10) });
    };
    request.onload = () => {
      try {
        const body = JSON.parse(request.responseText) as { outcomes?: Array<{ documentId: string | null; status: string; message?: string }>; error?: string };
        const outcome = body.outcomes?.[0];
        if (!outcome) update(key, { stage: 'failed', progress: 100, message: body.error ?? 'The upload was refused.' });
        else if (outcome.status === 'queued') update(key, { stage: 'uploaded', progress: 10, documentId: outcome.documentId ?? undefined });
        else if (outcome.status === 'duplicate') update(key, { stage: 'duplicate', progress: 100, message: outcome.message });
        else update(key, { stage: 'failed', progress: 100, message: outcome.message, documentId: outcome.documentId ?? undefined });
      } catch {
        update(key, { stage: 'failed', progress: 100, message: `The upload failed (HTTP ${request.status}). Try again.` });
      }
      resolve();
    };
    request.onerror = () => {
      update(key, { stage: 'failed', progress: 100, message: 'The upload was interrupted. Check your connection and try again.' });
      resolve();
    };
    const form = new FormData();
    form.append('file', file, file.name);
    update(key, { stage: 'uploading', progress: 0 });
    request.send(form);
  });
}
