// What the HR admin pages load and do: thin routes call these after requireRole(args, 'hr_admin').
// Form posts are validated here with zod; a bad form is a 400 with field errors, never a 500.
import { data, redirect } from '@remix-run/node';
import type { User } from 'lucia';
import { z } from 'zod';
import { badRequest, fieldErrorsOf, readForm } from '~/.server/forms';
import { contactSchema, countryResourcesSchema, DEFAULT_COUNTRY_RESOURCES, normSchema, toneSchema, type Norm, type SupportResources } from '~/lib/culture';
import { screenPassages } from '~/.server/coach/passages';
import { searchPack } from './retrieve';
import { deleteDraftDocument, getDocuments, listDocuments, listLintedChunks, setChunkExcluded } from './store';
import {
  diffDraftAgainstPublished,
  diffRollback,
  discardDraftChanges,
  getDraft,
  getPublishedVersion,
  listVersions,
  PackVersionError,
  publishDraft,
  rollbackToVersion,
  updateDraftStructure,
} from './versions';

const actorOf = (user: User) => ({ userId: user.id, label: user.email });

export async function loadPackSummary(tenantId: string) {
  const [draft, published, diff] = await Promise.all([getDraft({ tenantId }), getPublishedVersion({ tenantId }), diffDraftAgainstPublished({ tenantId })]);
  const unpublishedChanges =
    diff.documentsAdded.length + diff.documentsRemoved.length + diff.documentsChanged.length + diff.toneChanges.length + diff.normsAdded.length + diff.normsRemoved.length + (diff.resourcesChanged ? 1 : 0);
  return {
    draftId: draft.id,
    published: published ? { number: published.number!, publishedAt: published.publishedAt!.toISOString(), publishedBy: published.publishedBy } : null,
    diff,
    unpublishedChanges,
  };
}

export async function loadDocumentsPage(tenantId: string) {
  const draft = await getDraft({ tenantId });
  const [documents, linted] = await Promise.all([listDocuments({ tenantId, versionId: draft.id }), listLintedChunks({ tenantId, versionId: draft.id })]);
  // Failed uploads are not part of the draft: the upload panel lists them, with the reason and a
  // dismiss button; the draft's table holds only documents that are (or are becoming) passages.
  const rows = documents.map(serialiseDocument);
  return { documents: rows.filter((d) => d.status !== 'failed'), failedUploads: rows.filter((d) => d.status === 'failed'), linted };
}

export async function documentStatuses(tenantId: string, ids: string[]) {
  const documents = await getDocuments({ tenantId, ids: ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id)).slice(0, 100) });
  return documents.map(serialiseDocument);
}

function serialiseDocument(d: Awaited<ReturnType<typeof listDocuments>>[number]) {
  return {
    id: d.id,
    name: d.name,
    title: d.title,
    format: d.format,
    sizeBytes: d.sizeBytes,
    status: d.status,
    progress: d.progress,
    error: d.error,
    chunkCount: d.chunkCount,
    chunksEmbedded: d.chunksEmbedded,
    pageCount: d.pageCount,
  };
}

export type ActionResult = { ok: true; message: string } | { ok: false; formError: string; fieldErrors: Record<string, string> };

const ok = (message: string) => data<ActionResult>({ ok: true, message });

/** Documents page: remove a document, exclude or include a flagged passage. */
export async function handleDocumentsAction(request: Request, user: User) {
  const form = await readForm(request);
  const id = z.string().uuid().safeParse(form.id);
  if (!id.success) return badRequest('That item no longer exists. Reload the page.');
  switch (form.intent) {
    case 'remove':
      return (await deleteDraftDocument({ tenantId: user.tenantId, documentId: id.data }))
        ? ok('Document removed from the draft.')
        : badRequest('That document is not in the draft any more.', {}, 404);
    case 'dismiss': {
      // Only a failed upload can be dismissed this way (a ready document is removed with 'remove').
      const [doc] = await getDocuments({ tenantId: user.tenantId, ids: [id.data] });
      if (!doc || doc.status !== 'failed') return badRequest('That failed upload is not there any more.', {}, 404);
      await deleteDraftDocument({ tenantId: user.tenantId, documentId: id.data });
      return ok(`Dismissed “${doc.name}”.`);
    }
    case 'exclude':
    case 'include': {
      const changed = await setChunkExcluded({ tenantId: user.tenantId, chunkId: id.data, excluded: form.intent === 'exclude' });
      if (!changed) return badRequest('That passage is not in the draft any more.', {}, 404);
      return ok(form.intent === 'exclude' ? 'Passage excluded: the coach will not see it once you publish.' : 'Passage included again.');
    }
    default:
      return badRequest('Unknown action.');
  }
}

const splitList = (value: string | undefined) =>
  (value ?? '')
    .split(/[,\n]/)
    .map((w) => w.trim())
    .filter(Boolean);

/** Tone & norms page. */
export async function handleToneAction(request: Request, user: User) {
  const form = await readForm(request);
  if (form.intent === 'tone') {
    const parsed = toneSchema.safeParse({
      formality: form.formality,
      warmth: form.warmth,
      directness: form.directness,
      wordsToUse: splitList(form.wordsToUse),
      wordsToAvoid: splitList(form.wordsToAvoid),
      addressAs: form.addressAs,
    });
    if (!parsed.success) return badRequest('Please correct the highlighted fields.', fieldErrorsOf(parsed.error));
    await updateDraftStructure({ tenantId: user.tenantId, tone: parsed.data });
    return ok('Tone saved to the draft.');
  }
  if (form.intent === 'norms') {
    const lines = (kind: Norm['kind'], value: string | undefined) => (value ?? '').split('\n').map((text) => ({ kind, text: text.trim() })).filter((n) => n.text);
    const norms = [...lines('do', form.dos), ...lines('dont', form.donts)];
    const parsed = normSchema.array().max(100).safeParse(norms);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const index = typeof issue.path[0] === 'number' ? issue.path[0] : -1;
      const field = index >= 0 && norms[index]?.kind === 'dont' ? 'donts' : 'dos';
      const which = index >= 0 ? `“${norms[index].text.slice(0, 40)}”: ` : '';
      return badRequest('Please correct the highlighted fields.', { [field]: `${which}each line must be 3 to 300 characters (at most 100 norms).` });
    }
    await updateDraftStructure({ tenantId: user.tenantId, norms: parsed.data });
    return ok('Norms saved to the draft.');
  }
  return badRequest('Unknown action.');
}

const blank = (v: string | undefined) => (v && v.trim() ? v.trim() : undefined);

function contactFrom(form: Record<string, string>, prefix: string) {
  return {
    name: blank(form[`${prefix}.name`]),
    phone: blank(form[`${prefix}.phone`]),
    email: blank(form[`${prefix}.email`]),
    url: blank(form[`${prefix}.url`]),
    hours: blank(form[`${prefix}.hours`]),
  };
}

/** Support resources page. Country rows are `country.N.*`; an empty row is ignored. */
export async function handleResourcesAction(request: Request, user: User) {
  const form = await readForm(request);
  const fieldErrors: Record<string, string> = {};
  const check = <T>(schema: z.ZodType<T>, value: unknown, prefix: string): T | undefined => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    for (const [key, message] of Object.entries(fieldErrorsOf(parsed.error))) fieldErrors[`${prefix}.${key}`] ??= message;
    return undefined;
  };
  const eapRaw = contactFrom(form, 'eap');
  const eap = eapRaw.name || eapRaw.phone || eapRaw.url ? check(contactSchema, eapRaw, 'eap') : null;
  const hrContact = check(contactSchema, contactFrom(form, 'hr'), 'hr');
  const supportContact = check(contactSchema, contactFrom(form, 'support'), 'support');
  const defaultCountry = (form.defaultCountry ?? '').trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(defaultCountry)) fieldErrors.defaultCountry = 'Use a two-letter country code, e.g. US or GB.';
  const byCountry: SupportResources['byCountry'] = {};
  for (let i = 0; i < 30; i += 1) {
    const code = (form[`country.${i}.code`] ?? '').trim().toUpperCase();
    const row = {
      emergency: blank(form[`country.${i}.emergency`]),
      crisisLine: blank(form[`country.${i}.crisisLine`]),
      crisisPhone: blank(form[`country.${i}.crisisPhone`]),
      crisisUrl: blank(form[`country.${i}.crisisUrl`]),
    };
    if (!code && !row.emergency && !row.crisisLine && !row.crisisPhone && !row.crisisUrl) continue;
    if (!/^[A-Z]{2}$/.test(code)) {
      fieldErrors[`country.${i}.code`] = 'Two-letter country code';
      continue;
    }
    const parsed = check(countryResourcesSchema, row, `country.${i}`);
    if (parsed) byCountry[code] = parsed;
  }
  if (Object.keys(fieldErrors).length > 0 || !hrContact || !supportContact || eap === undefined) {
    return badRequest('Please correct the highlighted fields.', fieldErrors);
  }
  await updateDraftStructure({ tenantId: user.tenantId, resources: { eap, hrContact, supportContact, defaultCountry, byCountry } });
  return ok('Support resources saved to the draft.');
}

export function defaultCrisisHint(country: string) {
  return DEFAULT_COUNTRY_RESOURCES[country.toUpperCase()] ?? null;
}

/** Versions page: publish, roll back, discard draft changes. */
export async function handleVersionsAction(request: Request, user: User) {
  const form = await readForm(request);
  try {
    switch (form.intent) {
      case 'publish': {
        const version = await publishDraft({ tenantId: user.tenantId, actor: actorOf(user) });
        return redirect(`/hr/pack/versions?published=${version.number}`);
      }
      case 'rollback': {
        const number = z.coerce.number().int().positive().safeParse(form.number);
        if (!number.success) return badRequest('Choose a version to roll back to.');
        const version = await rollbackToVersion({ tenantId: user.tenantId, actor: actorOf(user), number: number.data });
        // Done: the confirmation (?compare=N) closes, and the page says what happened.
        return redirect(`/hr/pack/versions?restored=${number.data}&published=${version.number}`);
      }
      case 'discard':
        return (await discardDraftChanges({ tenantId: user.tenantId }))
          ? ok('Draft reset to the published version.')
          : badRequest('Nothing is published yet, so there is nothing to reset to.');
      default:
        return badRequest('Unknown action.');
    }
  } catch (err) {
    if (err instanceof PackVersionError) return badRequest(err.message, {}, 409);
    throw err;
  }
}

export async function loadVersionsPage(tenantId: string, compareTo: number | null) {
  const versions = await listVersions({ tenantId });
  const rollbackDiff = compareTo ? await diffRollback({ tenantId, number: compareTo }) : null;
  return {
    versions: versions.map((v) => ({ ...v, publishedAt: v.publishedAt.toISOString() })),
    compareTo: rollbackDiff ? compareTo : null,
    rollbackDiff,
  };
}

const previewSchema = z.object({ question: z.string().trim().min(3, 'Ask a question of at least 3 characters.').max(1000) });

/** Preview: the passages the coach would get for a question, from the draft. */
export async function previewQuestion(request: Request, user: User) {
  const form = await readForm(request);
  const parsed = previewSchema.safeParse(form);
  if (!parsed.success) return badRequest('Please correct the highlighted fields.', fieldErrorsOf(parsed.error));
  const result = await searchPack({ tenantId: user.tenantId, query: parsed.data.question, target: 'draft' });
  const excludedIds = new Set(screenPassages(result.passages.map((p) => ({ ...p, heading: p.headingPath.join(' › ') }))).quarantined.map((p) => p.chunkId));
  return data({
    ok: true as const,
    question: parsed.data.question,
    embeddingModel: result.embeddingModel,
    // The coach's own screen (coach/passages.ts): passages it would drop are marked here, so HR
    // preview and the chat agree on what can be cited (issue 13, item 7).
    passages: result.passages.map((p) => ({ ...p, excludedFromAnswers: excludedIds.has(p.chunkId) })),
  });
}
