// Turns one uploaded culture-pack file into normalised Markdown. Pure: bytes in, text out,
// no database. Every refusal is a DocumentRejected with a code the UI can show per file.
//
// Format decision: the file's CONTENT decides for binary formats. A PDF or Word file saved
// under the wrong extension (report.txt that starts with %PDF-) is parsed as what it really
// is. A file whose name promises PDF/Word but whose bytes are not (notes.pdf that is plain
// text) is refused as unsupported_type with a message naming the mismatch, because guessing
// what the author meant would silently publish the wrong thing.
import { createHash } from 'node:crypto';
// The parsers are loaded on first use: only uploads need them, and they weigh tens of MB in memory.
import type TurndownService from 'turndown';
import type { getDocumentProxy, StructuredTextItem } from 'unpdf';
import { HIDDEN_TEXT_CLOSE, HIDDEN_TEXT_OPEN } from './lint';

export type DocumentFormat = 'markdown' | 'text' | 'html' | 'pdf' | 'docx';

export interface ParsedDocument {
  title: string;
  format: DocumentFormat;
  /** Normalised text; headings as ATX Markdown (`#`, `##`, ...). */
  markdown: string;
  /** sha256 hex of the uploaded bytes, for duplicate-upload detection. */
  contentHash: string;
  pageCount?: number;
}

export interface ParseInput {
  fileName: string;
  bytes: Uint8Array;
  /** The MIME type the browser declared; used only when the extension says nothing. */
  declaredType?: string;
}

export type RejectionCode =
  | 'unsupported_type'
  | 'too_large'
  | 'empty'
  | 'no_text'
  | 'encrypted_pdf'
  | 'invalid_utf8'
  | 'too_many_pages'
  | 'corrupt';

export const PARSE_LIMITS = {
  maxBytes: 10 * 1024 * 1024,
  maxPdfPages: 500,
} as const;
export type ParseLimits = { maxBytes: number; maxPdfPages: number };

const REJECTION_MESSAGES: Record<RejectionCode, string> = {
  unsupported_type:
    'This file type is not supported. Upload Markdown (.md), plain text (.txt), HTML (.html), PDF (.pdf) or Word (.docx).',
  too_large: 'This file is larger than the 10 MB limit. Split it into smaller documents and upload them separately.',
  empty: 'This file is empty (0 bytes). Check that the right file was chosen and upload it again.',
  no_text:
    'No text could be extracted from this PDF; it may be a scanned image. Run it through OCR or export a text-based copy and upload it again.',
  encrypted_pdf: 'This PDF is password-protected; export an unprotected copy and upload it again.',
  invalid_utf8: 'This text file is not valid UTF-8. Save it with UTF-8 encoding and upload it again.',
  too_many_pages: 'This PDF has more than 500 pages. Split it into smaller documents and upload them separately.',
  corrupt: 'This file appears to be damaged and could not be read. Export a fresh copy and upload it again.',
};

export class DocumentRejected extends Error {
  readonly code: RejectionCode;
  constructor(code: RejectionCode, message: string = REJECTION_MESSAGES[code]) {
    super(message);
    this.name = 'DocumentRejected';
    this.code = code;
  }
}

export async function parseDocument(input: ParseInput, limits: ParseLimits = PARSE_LIMITS): Promise<ParsedDocument> {
  const { fileName, bytes } = input;
  if (bytes.byteLength === 0) throw new DocumentRejected('empty');
  if (bytes.byteLength > limits.maxBytes) {
    throw new DocumentRejected(
      'too_large',
      `This file is ${formatMegabytes(bytes.byteLength, Math.ceil)}; the limit is ${formatMegabytes(limits.maxBytes)}. Split it into smaller documents and upload them separately.`,
    );
  }
  const format = detectFormat(fileName, bytes, input.declaredType);
  const contentHash = createHash('sha256').update(bytes).digest('hex');
  const fallbackTitle = titleFromFileName(fileName);

  switch (format) {
    case 'pdf': {
      const pdf = await parsePdf(bytes, limits.maxPdfPages);
      return finish({ ...pdf, format, contentHash }, fallbackTitle);
    }
    case 'docx':
      return finish({ ...(await parseDocx(bytes)), format, contentHash }, fallbackTitle);
    case 'html':
      return finish({ ...(await parseHtml(decodeUtf8(bytes))), format, contentHash }, fallbackTitle);
    case 'markdown':
      return finish({ ...parseMarkdown(decodeUtf8(bytes)), format, contentHash }, fallbackTitle);
    case 'text':
      return finish({ markdown: normaliseText(decodeUtf8(bytes)), format, contentHash }, fallbackTitle);
  }
}

type Extracted = { markdown: string; title?: string; pageCount?: number };

function finish(doc: Extracted & { format: DocumentFormat; contentHash: string }, fallbackTitle: string): ParsedDocument {
  const markdown = doc.markdown.trim();
  if (!hasReadableText(markdown)) {
    throw doc.format === 'pdf' ? new DocumentRejected('no_text') : new DocumentRejected('no_text', 'This file contains no readable text.');
  }
  const title = doc.title?.trim() || firstHeading(markdown) || fallbackTitle;
  const parsed: ParsedDocument = { title, format: doc.format, markdown, contentHash: doc.contentHash };
  if (doc.pageCount !== undefined) parsed.pageCount = doc.pageCount;
  return parsed;
}

// ---------------------------------------------------------------------------------------------
// Format detection

const EXTENSION_FORMATS: Record<string, DocumentFormat> = {
  md: 'markdown',
  markdown: 'markdown',
  txt: 'text',
  text: 'text',
  html: 'html',
  htm: 'html',
  pdf: 'pdf',
  docx: 'docx',
};

const MIME_FORMATS: Record<string, DocumentFormat> = {
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/plain': 'text',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
};

type Sniffed = 'pdf' | 'docx' | 'text' | { refuse: string };

export function detectFormat(fileName: string, bytes: Uint8Array, declaredType?: string): DocumentFormat {
  const claimed = formatFromFileName(fileName) ?? formatFromMime(declaredType);
  const sniffed = sniffContent(bytes, claimed === 'pdf');
  if (sniffed === 'pdf' || sniffed === 'docx') return sniffed;
  if (typeof sniffed === 'object') throw new DocumentRejected('unsupported_type', sniffed.refuse);

  if (claimed === 'pdf' || claimed === 'docx') {
    const label = claimed === 'pdf' ? 'a PDF' : 'a Word .docx document';
    throw new DocumentRejected(
      'unsupported_type',
      `This file is named as ${label} but its contents are not ${label}. Export it again, or rename it to its real type (.md, .txt or .html).`,
    );
  }
  if (!claimed) throw new DocumentRejected('unsupported_type');
  return claimed;
}

function formatFromFileName(fileName: string): DocumentFormat | undefined {
  const match = /\.([a-z0-9]+)$/i.exec(fileName.trim());
  return match ? EXTENSION_FORMATS[match[1].toLowerCase()] : undefined;
}

function formatFromMime(declaredType?: string): DocumentFormat | undefined {
  if (!declaredType) return undefined;
  return MIME_FORMATS[declaredType.split(';')[0].trim().toLowerCase()];
}

const BINARY_SIGNATURES: Array<{ magic: number[]; refuse: string }> = [
  {
    magic: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    refuse: 'This is an older Word (.doc) or Office 97–2003 file. Save it as .docx or PDF and upload it again.',
  },
  { magic: [0x89, 0x50, 0x4e, 0x47], refuse: 'This is an image (PNG), not a document. Upload the text as PDF, Word or Markdown.' },
  { magic: [0xff, 0xd8, 0xff], refuse: 'This is an image (JPEG), not a document. Upload the text as PDF, Word or Markdown.' },
  { magic: [0x47, 0x49, 0x46, 0x38], refuse: 'This is an image (GIF), not a document. Upload the text as PDF, Word or Markdown.' },
  { magic: [0x7b, 0x5c, 0x72, 0x74, 0x66], refuse: 'This is a Rich Text (.rtf) file. Save it as .docx or PDF and upload it again.' },
];

function sniffContent(bytes: Uint8Array, claimedPdf: boolean): Sniffed {
  if (startsWith(bytes, PDF_MAGIC) || (claimedPdf && hasLatePdfHeader(bytes))) return 'pdf';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    // A .docx is a ZIP whose entry names are stored in plain ASCII.
    if (containsAscii(bytes, 'word/document.xml')) return 'docx';
    return {
      refuse:
        'This is a ZIP archive (for example .zip, .xlsx, .pptx or .odt), not a Word .docx document. Upload each document as .docx, PDF or Markdown.',
    };
  }
  for (const signature of BINARY_SIGNATURES) {
    if (startsWith(bytes, signature.magic)) return { refuse: signature.refuse };
  }
  return 'text';
}

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-

// Readers accept the header anywhere in the first KiB (some generators prepend junk), but only a
// file named .pdf gets that leniency: a Markdown note that mentions "%PDF-" is not a PDF.
function hasLatePdfHeader(bytes: Uint8Array): boolean {
  return containsAscii(bytes.subarray(0, 1024), '%PDF-');
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

function containsAscii(bytes: Uint8Array, needle: string): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(needle, 0, 'latin1');
}

// ---------------------------------------------------------------------------------------------
// Text formats

function decodeUtf8(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DocumentRejected('invalid_utf8');
  }
  // NUL never appears in real text files; it means a binary file with a text extension.
  if (text.includes('\u0000')) {
    throw new DocumentRejected('unsupported_type', 'This file contains binary data, not text. Upload a Markdown, text, HTML, PDF or Word file.');
  }
  return text;
}

function normaliseText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function parseMarkdown(source: string): Extracted {
  const text = normaliseText(source);
  // YAML front matter is metadata, not content; keep its title if it has one.
  const frontMatter = /^---\n([\s\S]*?)\n---(?:\n|$)/.exec(text);
  if (!frontMatter) return { markdown: text };
  const title = /^title:\s*["']?(.+?)["']?\s*$/m.exec(frontMatter[1])?.[1];
  return { markdown: text.slice(frontMatter[0].length).trim(), title };
}

function hasReadableText(markdown: string): boolean {
  return /[\p{L}\p{N}]/u.test(markdown);
}

// ---------------------------------------------------------------------------------------------
// HTML and Word (Word goes through mammoth's HTML)


const HIDDEN_STYLE =
  /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:\.0+)?(?:px|pt|em|rem|%)?\s*(?:;|$)|opacity\s*:\s*0(?:\.0+)?\s*(?:;|$))/i;
const WHITE_TEXT = /(?:^|;)\s*color\s*:\s*(?:white|#fff(?:fff)?|rgb\(\s*255\s*,\s*255\s*,\s*255\s*\))\s*(?:;|$)/i;
const BACKGROUND = /(?:^|;)\s*background(?:-color)?\s*:/i;

function isHiddenElement(node: HTMLElement): boolean {
  if (node.hasAttribute('hidden')) return true;
  const style = node.getAttribute('style') ?? '';
  if (HIDDEN_STYLE.test(style)) return true;
  // White text only hides on the page's own (white) background, not on a coloured banner.
  if (WHITE_TEXT.test(style) && !BACKGROUND.test(style)) return true;
  const fontColor = node.nodeName === 'FONT' ? (node.getAttribute('color') ?? '') : '';
  return /^(?:white|#fff(?:fff)?)$/i.test(fontColor.trim());
}

const BLOCK_ELEMENTS = new Set(
  'ADDRESS ARTICLE ASIDE BLOCKQUOTE DETAILS DIV DL DD DT FIELDSET FIGCAPTION FIGURE FOOTER FORM H1 H2 H3 H4 H5 H6 HEADER HR LI MAIN NAV OL P PRE SECTION TABLE TBODY TD TH THEAD TR UL'.split(' '),
);

async function createTurndown(): Promise<TurndownService> {
  const { default: Turndown } = await import('turndown');
  const service = new Turndown({
    headingStyle: 'atx',
    codeBlockStyle: 'fenced',
    bulletListMarker: '-',
    emDelimiter: '_',
    strongDelimiter: '**',
  });
  service.remove(['script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'head', 'title', 'canvas']);
  service.remove((node) => node.nodeName.toLowerCase() === 'svg');
  // Text a browser would not show is kept (reviewers should see it) but wrapped so the lint flags it.
  service.addRule('hiddenText', {
    filter: (node) => isHiddenElement(node),
    replacement: (content, node) => {
      const text = content.trim();
      if (!text) return '';
      const marked = `${HIDDEN_TEXT_OPEN} ${text} ${HIDDEN_TEXT_CLOSE}`;
      return BLOCK_ELEMENTS.has(node.nodeName) ? `\n\n${marked}\n\n` : marked;
    },
  });
  // Inline (data:) images from Word carry no text and would bloat every chunk.
  service.addRule('dropInlineImages', {
    filter: (node) => node.nodeName === 'IMG' && /^\s*(?:data:|$)/i.test(node.getAttribute('src') ?? ''),
    replacement: () => '',
  });
  return service;
}

async function htmlToMarkdown(html: string): Promise<string> {
  return normaliseText((await createTurndown()).turndown(html));
}

async function parseHtml(html: string): Promise<Extracted> {
  const titleMatch = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  const title = titleMatch ? decodeBasicEntities(titleMatch[1]).replace(/\s+/g, ' ').trim() : undefined;
  return { markdown: await htmlToMarkdown(html), title: title || undefined };
}

function decodeBasicEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&');
}

async function parseDocx(bytes: Uint8Array): Promise<Extracted> {
  let html: string;
  const { default: mammoth } = await import('mammoth');
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      { convertImage: mammoth.images.imgElement(async () => ({ src: '' })) },
    );
    html = result.value;
  } catch {
    throw new DocumentRejected('corrupt', 'This Word document appears to be damaged and could not be read. Save a fresh copy as .docx and upload it again.');
  }
  return { markdown: await htmlToMarkdown(html) };
}

// ---------------------------------------------------------------------------------------------
// PDF

type PdfProxy = Awaited<ReturnType<typeof getDocumentProxy>>;

async function parsePdf(bytes: Uint8Array, maxPages: number): Promise<Extracted> {
  // pdf.js may take ownership of (detach) the buffer it is given, so hand it a copy.
  const pdf = await openPdf(bytes.slice());
  try {
    // numPages comes from the page tree root, so a 10,000-page file is refused before any page is read.
    const pageCount = pdf.numPages;
    if (pageCount > maxPages) {
      throw new DocumentRejected(
        'too_many_pages',
        `This PDF has ${pageCount.toLocaleString('en-US')} pages; the limit is ${maxPages}. Split it into smaller documents and upload them separately.`,
      );
    }
    const title = await pdfTitle(pdf);
    const { extractTextItems } = await import('unpdf');
    const { items } = await extractTextItems(pdf).catch(() => {
      throw new DocumentRejected('corrupt', 'The text of this PDF could not be read. Export a fresh copy and upload it again.');
    });
    return { markdown: pdfItemsToMarkdown(items), title, pageCount };
  } finally {
    await pdf.destroy();
  }
}

async function openPdf(data: Uint8Array): Promise<PdfProxy> {
  try {
    const { getDocumentProxy } = await import('unpdf');
    return await getDocumentProxy(data, { verbosity: 0 });
  } catch (error) {
    if ((error as { name?: string })?.name === 'PasswordException') throw new DocumentRejected('encrypted_pdf');
    throw new DocumentRejected('corrupt', 'This PDF appears to be damaged and could not be opened. Export a fresh copy and upload it again.');
  }
}

async function pdfTitle(pdf: PdfProxy): Promise<string | undefined> {
  try {
    const { info } = await pdf.getMetadata();
    const title = (info as { Title?: unknown } | undefined)?.Title;
    if (typeof title === 'string' && title.trim() && !/^untitled/i.test(title.trim())) return title.trim();
  } catch {
    // Broken metadata is not a reason to refuse readable text.
  }
  return undefined;
}

type PdfLine = { text: string; fontSize: number; y: number };

/** Rebuilds lines and paragraphs; lines set clearly larger than the body text become headings. */
export function pdfItemsToMarkdown(pages: StructuredTextItem[][]): string {
  const linesByPage = pages.map(itemsToLines);
  const bodySize = dominantFontSize(linesByPage.flat());
  const headingLevels = headingLevelsBySize(linesByPage.flat(), bodySize);
  const blocks: string[] = [];
  for (const lines of linesByPage) {
    let paragraph: string[] = [];
    let previous: PdfLine | undefined;
    const flush = () => {
      if (paragraph.length) blocks.push(paragraph.join('\n'));
      paragraph = [];
    };
    for (const line of lines) {
      const level = headingLevels.get(roundSize(line.fontSize));
      if (level && line.text.length <= 120) {
        flush();
        blocks.push(`${'#'.repeat(level)} ${line.text}`);
        previous = undefined;
        continue;
      }
      // A vertical gap of more than ~1.6 lines starts a new paragraph.
      if (previous && Math.abs(previous.y - line.y) > previous.fontSize * 1.6) flush();
      paragraph.push(escapeMarkdownLineStart(line.text));
      previous = line;
    }
    flush();
  }
  return normaliseText(blocks.join('\n\n'));
}

function itemsToLines(items: StructuredTextItem[]): PdfLine[] {
  const lines: PdfLine[] = [];
  let parts: string[] = [];
  let fontSize = 0;
  let y = 0;
  const push = () => {
    const text = parts.join('').replace(/\s+/g, ' ').trim();
    if (text) lines.push({ text, fontSize, y });
    parts = [];
    fontSize = 0;
  };
  for (const item of items) {
    if (parts.length && item.str && Math.abs(item.y - y) > Math.max(item.fontSize, fontSize) * 0.5) push();
    if (item.str) {
      if (!parts.length) y = item.y;
      parts.push(item.str);
      fontSize = Math.max(fontSize, item.fontSize);
    }
    if (item.hasEOL) push();
  }
  push();
  return lines;
}

function roundSize(size: number): number {
  return Math.round(size * 2) / 2;
}

function dominantFontSize(lines: PdfLine[]): number {
  const charsBySize = new Map<number, number>();
  for (const line of lines) {
    const size = roundSize(line.fontSize);
    charsBySize.set(size, (charsBySize.get(size) ?? 0) + line.text.length);
  }
  let best = 0;
  let bestChars = -1;
  for (const [size, chars] of charsBySize) {
    if (chars > bestChars) [best, bestChars] = [size, chars];
  }
  return best;
}

function headingLevelsBySize(lines: PdfLine[], bodySize: number): Map<number, number> {
  const sizes = [...new Set(lines.map((l) => roundSize(l.fontSize)))]
    .filter((size) => bodySize > 0 && size >= bodySize * 1.2)
    .sort((a, b) => b - a)
    .slice(0, 3);
  return new Map(sizes.map((size, index) => [size, index + 1]));
}

// Text from a PDF is prose, not Markdown: a line starting with "#" must not become a heading.
function escapeMarkdownLineStart(text: string): string {
  return text.replace(/^(#{1,6})(?=\s|$)/, '\\$1');
}

// ---------------------------------------------------------------------------------------------
// Titles

function firstHeading(markdown: string): string | undefined {
  const match = /^#{1,6}[ \t]+(.+?)[ \t#]*$/m.exec(markdown);
  return match ? match[1].replace(/[*_`]/g, '').trim() || undefined : undefined;
}

export function titleFromFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const stem = base.replace(/\.[a-z0-9]+$/i, '').replace(/[-_]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (!stem) return 'Untitled document';
  return stem.charAt(0).toUpperCase() + stem.slice(1);
}

// Sizes over a limit round up, so 10 MB + 1 byte never reads as "10 MB; the limit is 10 MB".
function formatMegabytes(bytes: number, round: (n: number) => number = Math.round): string {
  return `${(round((bytes / (1024 * 1024)) * 10) / 10).toFixed(1).replace(/\.0$/, '')} MB`;
}
