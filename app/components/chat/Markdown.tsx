// Answers are Markdown rendered safely: raw HTML is dropped (never parsed), links open in a new
// tab without access to this page, and the URL filter drops javascript: links. The tenant's
// support numbers become tap-to-call (tel:) and tap-to-text (sms:) links, with large targets.
import ReactMarkdown, { defaultUrlTransform } from 'react-markdown';
import { isTappableHref, linkContactsInMarkdown, type ContactPoint } from '~/lib/contact-links';

const urlTransform = (url: string) => (isTappableHref(url) ? url : defaultUrlTransform(url));

export function Markdown({ text, contacts = [] }: { text: string; contacts?: ContactPoint[] }) {
  const known = new Set(contacts.map((c) => c.href));
  return (
    <div className="md">
      <ReactMarkdown
        skipHtml
        urlTransform={urlTransform}
        components={{
          a: ({ href, children }) =>
            isTappableHref(href) ? (
              <a href={href} className="contact-link">
                {children}
              </a>
            ) : (
              <a href={href} className={href && known.has(href) ? 'contact-link' : undefined} target="_blank" rel="noopener noreferrer nofollow">
                {children}
              </a>
            ),
          img: ({ alt }) => <span>{alt}</span>,
        }}
      >
        {contacts.length > 0 ? linkContactsInMarkdown(text, contacts) : text}
      </ReactMarkdown>
    </div>
  );
}
