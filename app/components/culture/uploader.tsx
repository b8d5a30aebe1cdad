// Drag-and-drop or pick several files; each is uploaded on its own request (real upload progress,
// and one bad file cannot stop the others), then its processing is polled until it is indexed.
// The stages shown are the ingestion's own (received → parsing → splitting → embedding n/m →
// indexing → ready), as it writes them. Failed files stay here, with the reason and a Dismiss
// button (a failed upload is never a row of the draft); failures from earlier visits come from
// the page's loader.
import { useFetcher } from '@remix-run/react';
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
  /** While embedding: passages done and in all. */
  embedded?: number;
  chunks?: number;
}

export interface FailedUpload {
  id: string;
  name: string;
  error: string | null;
}

const STAGE_LABELS: Record<Stage, string> = {
  waiting: 'Waiting',
  uploading: 'Uploading',
  uploaded: 'Received',
  parsing: 'Parsing',
  splitting: 'Splitting',
  embedding: 'Embedding',
  indexing: 'Indexing',
  ready: 'Ready',
  failed: 'Failed',
  duplicate: 'Skipped',
};

const POLL_MS = 400;
const ACTIVE: Stage[] = ['uploaded', 'parsing', 'splitting', 'embedding', 'indexing'];

function stageText(item: UploadItem): string {
  if (item.stage === 'embedding' && item.chunks) return `Embedding ${item.embedded ?? 0}/${item.chunks}`;
  if (item.stage === 'uploading') return `Uploading · ${item.progress}%`;
  return STAGE_LABELS[item.stage];
}

export function Uploader({ onSettled, failures = [] }: { onSettled: () => void; failures?: FailedUpload[] }) {
  const [items, setItems] = useState<UploadItem[]>([]);
  const [dismissed, setDismissed] = useState<Set<string>>(() => new Set());
  const dismisser = useFetcher();
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

  // Poll the server for files that are being processed: at once, then every POLL_MS after each answer.
  const processingIds = items
    .filter((i) => i.documentId && ACTIVE.includes(i.stage))
    .map((i) => i.documentId)
    .join(',');
  useEffect(() => {
    if (!processingIds) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const response = await fetch(`/hr/pack/status?ids=${processingIds}`, { headers: { Accept: 'application/json' } }).catch(() => null);
      if (stopped) return;
      if (response?.ok) {
        const { documents } = (await response.json()) as {
          documents: Array<{ id: string; status: Stage; progress: number; error: string | null; chunkCount: number; chunksEmbedded: number }>;
        };
        if (stopped) return;
        // Only documents still processing are polled, so any that is ready or failed has just settled.
        const finished = documents.some((d) => d.status === 'ready' || d.status === 'failed');
        setItems((current) =>
          current.map((item) => {
            const doc = documents.find((d) => d.id === item.documentId);
            if (!doc) return item;
            return { ...item, stage: doc.status, progress: doc.progress, message: doc.error ?? item.message, embedded: doc.chunksEmbedded, chunks: doc.chunkCount };
          }),
        );
        if (finished) onSettled();
      }
      timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [processingIds, onSettled]);

  const dismiss = useCallback(
    (key: string, documentId?: string) => {
      setItems((current) => current.filter((i) => i.key !== key));
      if (documentId) {
        setDismissed((current) => new Set(current).add(documentId));
        dismisser.submit({ intent: 'dismiss', id: documentId }, { method: 'post', action: '/hr/pack?index' });
      }
    },
    [dismisser],
  );
  // Failures the page knows of (earlier uploads, or this one after the page refreshed) that this
  // panel is not already showing.
  const shownIds = new Set(items.map((i) => i.documentId).filter(Boolean));
  const earlier: UploadItem[] = failures
    .filter((f) => !shownIds.has(f.id) && !dismissed.has(f.id))
    .map((f) => ({ key: `failed-${f.id}`, name: f.name, size: 0, stage: 'failed', progress: 100, message: f.error ?? undefined, documentId: f.id }));
  const shown = [...items.filter((i) => !(i.documentId && dismissed.has(i.documentId))), ...earlier];

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
      {shown.length > 0 ? (
        <ul className="upload-list" aria-label="Uploads">
          {shown.map((item) => (
            <li key={item.key} className={`upload-item upload-${item.stage}`} data-testid="upload-item">
              <div className="upload-head">
                <span className="upload-name">{item.name}</span>
                <span className="upload-stage" data-testid="upload-stage">
                  {stageText(item)}
                </span>
                {item.stage === 'failed' || item.stage === 'duplicate' ? (
                  <button type="button" className="btn btn-small" onClick={() => dismiss(item.key, item.documentId)} aria-label={`Dismiss ${item.name}`}>
                    Dismiss
                  </button>
                ) : null}
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
