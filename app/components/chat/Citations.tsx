// The culture-pack passages an answer used: document, section and version, each expandable to
// the passage text. Native <details> so it works by keyboard and with screen readers.
import type { Citation } from '~/lib/chat';
import { Markdown } from './Markdown';

export function Citations({ citations }: { citations: Citation[] }) {
  if (citations.length === 0) return null;
  return (
    <div className="citations">
      <p className="citations-title">Sources from your company's guidance</p>
      <ol className="citations-list">
        {citations.map((c, i) => (
          <li key={c.chunkId}>
            <details>
              <summary>
                <span className="citation-number">[{i + 1}]</span> <strong>{c.document}</strong>
                {c.heading && c.heading !== c.document ? <> — {c.heading}</> : null}
                {c.version !== null && c.version !== '' ? <span className="muted"> · version {String(c.version)}</span> : null}
              </summary>
              {c.text ? (
                <blockquote className="citation-text">
                  <Markdown text={c.text} />
                </blockquote>
              ) : <p className="muted small">The passage text is no longer available.</p>}
            </details>
          </li>
        ))}
      </ol>
    </div>
  );
}
