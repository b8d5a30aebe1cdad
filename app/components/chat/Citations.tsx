// The culture-pack passages an answer used: document, section and version, each expandable to
// the passage text. Native <details> so it works by keyboard and with screen readers.
import type { Citation } from '~/lib/chat';
import { chatText, fillText, type LanguageCode } from '~/lib/i18n';
import { Markdown } from './Markdown';

export function Citations({ citations, language = 'en' }: { citations: Citation[]; language?: LanguageCode }) {
  if (citations.length === 0) return null;
  const t = chatText(language);
  return (
    <div className="citations">
      <p className="citations-title" lang={language}>{t.citationsTitle}</p>
      <ol className="citations-list">
        {citations.map((c, i) => (
          <li key={c.chunkId}>
            <details>
              <summary>
                <span className="citation-number">[{i + 1}]</span> <strong>{c.document}</strong>
                {c.heading && c.heading !== c.document ? <> — {c.heading}</> : null}
                {c.version !== null && c.version !== '' ? <span className="muted" lang={language}> · {fillText(t.citationVersion, { version: String(c.version) })}</span> : null}
              </summary>
              {c.text ? (
                <blockquote className="citation-text">
                  <Markdown text={c.text} />
                </blockquote>
              ) : <p className="muted small" lang={language}>{t.passageGone}</p>}
            </details>
          </li>
        ))}
      </ol>
    </div>
  );
}
