// Culture-pack versions: one editable draft per tenant, immutable published versions numbered
// 1, 2, 3 …, and the tenant's pointer to the published one the chat uses.
//
// Indexed documents are immutable and shared between versions (pack_version_document), so
// publishing writes a version row and its membership rows — no chunk is copied or re-embedded —
// in one short transaction that also moves the tenant's pointer and writes the audit entry.
// Rollback to version N publishes a NEW version with N's content, so history stays linear and
// "current" is always the newest number. A rollback also resets the draft to the restored
// version (its confirmation says unpublished draft changes are discarded).
import type { Tx } from '~/.server/db/client';
import { withTenant } from '~/.server/db/tenant';
import { recordAudit } from '~/.server/governance/audit';
import { DEFAULT_TONE, defaultResources, normSchema, supportResourcesSchema, toneSchema, type Norm, type SupportResources, type Tone } from '~/lib/culture';
import { diffPackVersions, type PackVersionDiff, type PackVersionSnapshot } from './diff';

export type Actor = { userId: string | null; label: string };



export interface PackVersionRow {
  id: string;
  status: 'draft' | 'published';
  number: number | null;
  tone: Tone;
  norms: Norm[];
  resources: SupportResources;
  restoredFrom: number | null;
  note: string;
  createdAt: Date;
  publishedAt: Date | null;
  publishedBy: string | null;
}

const versionColumns = (p = '') =>
  `${p}id, ${p}status, ${p}number, ${p}tone, ${p}norms, ${p}resources, ${p}restored_from as "restoredFrom", ${p}note,
   ${p}created_at as "createdAt", ${p}published_at as "publishedAt", ${p}published_by as "publishedBy"`;
const VERSION_COLUMNS = versionColumns();

export class PackVersionError extends Error {}

/** The tenant's draft, created with defaults (neutral tone, the country's crisis lines) on first use. */
export async function getDraft({ tenantId }: { tenantId: string }): Promise<PackVersionRow> {
  return withTenant(tenantId, (tx) => draftIn(tx, tenantId));
}

export async function draftIn(tx: Tx, tenantId: string): Promise<PackVersionRow> {
  const [existing] = await tx.unsafe<PackVersionRow[]>(`select ${VERSION_COLUMNS} from pack_version where tenant_id = $1 and status = 'draft'`, [tenantId]);
  if (existing) return existing;
  const [tenant] = await tx<{ country: string }[]>`select country from tenants where id = ${tenantId}`;
  const [inserted] = await tx<{ id: string }[]>`
    insert into pack_version (tenant_id, status, tone, norms, resources)
    values (${tenantId}, 'draft', ${tx.json(DEFAULT_TONE as never)}, '[]'::jsonb, ${tx.json(defaultResources(tenant?.country ?? 'US') as never)})
    on conflict do nothing returning id`;
  const [created] = inserted
    ? await tx.unsafe<PackVersionRow[]>(`select ${VERSION_COLUMNS} from pack_version where tenant_id = $1 and id = $2`, [tenantId, inserted.id])
    : [];
  if (created) return created;
  // Another request created it between our select and insert.
  const [raced] = await tx.unsafe<PackVersionRow[]>(`select ${VERSION_COLUMNS} from pack_version where tenant_id = $1 and status = 'draft'`, [tenantId]);
  return raced;
}

export async function getPublishedVersion({ tenantId }: { tenantId: string }): Promise<PackVersionRow | null> {
  return withTenant(tenantId, (tx) => publishedIn(tx, tenantId));
}

async function publishedIn(tx: Tx, tenantId: string): Promise<PackVersionRow | null> {
  const [row] = await tx.unsafe<PackVersionRow[]>(
    `select ${versionColumns('v.')} from culture_pack p join pack_version v on v.tenant_id = p.tenant_id and v.id = p.published_version_id
     where p.tenant_id = $1`,
    [tenantId],
  );
  return row ?? null;
}

/** Saves the structured part of the draft; each part is validated again here. */
export async function updateDraftStructure(opts: { tenantId: string; tone?: Tone; norms?: Norm[]; resources?: SupportResources }): Promise<void> {
  const tone = opts.tone ? toneSchema.parse(opts.tone) : undefined;
  const norms = opts.norms ? normSchema.array().max(100).parse(opts.norms) : undefined;
  const resources = opts.resources ? supportResourcesSchema.parse(opts.resources) : undefined;
  await withTenant(opts.tenantId, async (tx) => {
    const draft = await draftIn(tx, opts.tenantId);
    await tx`update pack_version set
        tone = coalesce(${tone ? tx.json(tone as never) : null}::jsonb, tone),
        norms = coalesce(${norms ? tx.json(norms as never) : null}::jsonb, norms),
        resources = coalesce(${resources ? tx.json(resources as never) : null}::jsonb, resources)
      where tenant_id = ${opts.tenantId} and id = ${draft.id}`;
  });
}

/** Publishes the draft as the next version number; refuses while a document is still processing. */
export async function publishDraft(opts: { tenantId: string; actor: Actor; note?: string }): Promise<{ versionId: string; number: number }> {
  const { tenantId } = opts;
  const draft = await getDraft({ tenantId });
  const busy = await processingInDraft(tenantId, draft.id);
  if (busy > 0) {
    throw new PackVersionError(`${busy} document${busy === 1 ? ' is' : 's are'} still processing. Publish once every upload has finished.`);
  }
  return publishCopyOf(tenantId, draft, { ...opts, action: 'culture_pack.publish', restoredFrom: null });
}

async function processingInDraft(tenantId: string, draftId: string): Promise<number> {
  return withTenant(tenantId, async (tx) => {
    const [row] = await tx<{ n: number }[]>`
      select count(*)::int as n from pack_version_document m join pack_document d on d.tenant_id = m.tenant_id and d.id = m.document_id
      where m.tenant_id = ${tenantId} and m.version_id = ${draftId} and d.status not in ('ready', 'failed')
        and (d.updated_at > now() - interval '5 minutes'
             or exists (select 1 from ingest_job j where j.tenant_id = d.tenant_id and j.document_id = d.id))`;
    return row.n;
  });
}

/** Rollback: publishes a new version whose content is version `number`'s, and resets the draft to it. */
export async function rollbackToVersion(opts: { tenantId: string; actor: Actor; number: number }): Promise<{ versionId: string; number: number }> {
  const { tenantId } = opts;
  const [source, current] = await withTenant(tenantId, async (tx) => {
    const [row] = await tx.unsafe<PackVersionRow[]>(
      `select ${VERSION_COLUMNS} from pack_version where tenant_id = $1 and number = $2 and status = 'published'`,
      [tenantId, opts.number],
    );
    return [row, await publishedIn(tx, tenantId)] as const;
  });
  if (!source) throw new PackVersionError(`There is no published version ${opts.number}.`);
  if (current?.id === source.id) throw new PackVersionError(`Version ${opts.number} is already the published version.`);
  // The draft is reset to the restored version: not while an upload into it is still processing.
  if ((await processingInDraft(tenantId, (await getDraft({ tenantId })).id)) > 0) {
    throw new PackVersionError('A document is still processing in the draft. Roll back once every upload has finished.');
  }
  return publishCopyOf(tenantId, source, { actor: opts.actor, action: 'culture_pack.rollback', restoredFrom: opts.number, note: `Rolled back to version ${opts.number}` });
}

async function publishCopyOf(
  tenantId: string,
  source: PackVersionRow,
  opts: { actor: Actor; action: string; restoredFrom: number | null; note?: string },
): Promise<{ versionId: string; number: number }> {
  // Documents are shared, not copied: the whole publish is a few rows in one short transaction.
  return withTenant(tenantId, async (tx) => {
    const before = await publishedIn(tx, tenantId);
    const [{ next }] = await tx<{ next: number }[]>`
      select coalesce(max(number), 0) + 1 as next from pack_version where tenant_id = ${tenantId} and number is not null`;
    const [version] = await tx<{ id: string }[]>`
      insert into pack_version (tenant_id, status, number, tone, norms, resources, excluded_chunk_ids, restored_from, note, published_at, published_by)
      select ${tenantId}, 'published', ${next}, tone, norms, resources, excluded_chunk_ids, ${opts.restoredFrom}, ${(opts.note ?? '').slice(0, 500)},
        now(), ${opts.actor.label}
      from pack_version where tenant_id = ${tenantId} and id = ${source.id}
      returning id`;
    await copyMembership(tx, tenantId, source.id, version.id);
    // After a rollback the draft is the restored version too, or the next publish would quietly
    // bring back what was just rolled back (issue 13, item 6).
    if (opts.restoredFrom !== null) await resetDraftTo(tx, tenantId, version.id);
    await tx`insert into culture_pack (tenant_id, published_version_id) values (${tenantId}, ${version.id})
      on conflict (tenant_id) do update set published_version_id = excluded.published_version_id, updated_at = now()`;
    const diff = diffPackVersions(before ? await snapshotIn(tx, tenantId, before) : null, await snapshotIn(tx, tenantId, { ...source, id: version.id }));
    await recordAudit(tx, {
      tenantId,
      actorUserId: opts.actor.userId,
      actorLabel: opts.actor.label,
      action: opts.action,
      target: `culture pack version ${next}`,
      details: { version: next, previousVersion: before?.number ?? null, restoredFrom: opts.restoredFrom, ...summariseDiff(diff) },
    });
    return { versionId: version.id, number: next };
  });
}

/** The ready documents of one version become the documents of another (whose set was empty). */
async function copyMembership(tx: Tx, tenantId: string, fromVersionId: string, toVersionId: string): Promise<void> {
  await tx`
    insert into pack_version_document (tenant_id, version_id, document_id)
    select m.tenant_id, ${toVersionId}, m.document_id
    from pack_version_document m join pack_document d on d.tenant_id = m.tenant_id and d.id = m.document_id
    where m.tenant_id = ${tenantId} and m.version_id = ${fromVersionId} and d.status = 'ready'`;
}

/** Makes the draft equal to the published version again (documents, exclusions, tone, norms, resources). */
export async function discardDraftChanges({ tenantId }: { tenantId: string }): Promise<boolean> {
  return withTenant(tenantId, async (tx) => {
    const published = await publishedIn(tx, tenantId);
    if (!published) return false;
    await resetDraftTo(tx, tenantId, published.id);
    return true;
  });
}

/** The draft becomes a copy of one version; documents no version holds any more are deleted. */
async function resetDraftTo(tx: Tx, tenantId: string, versionId: string): Promise<void> {
  const draft = await draftIn(tx, tenantId);
  await tx`delete from pack_version_document where tenant_id = ${tenantId} and version_id = ${draft.id}`;
  await tx`update pack_version d set tone = p.tone, norms = p.norms, resources = p.resources, excluded_chunk_ids = p.excluded_chunk_ids
    from pack_version p where d.tenant_id = ${tenantId} and d.id = ${draft.id} and p.tenant_id = d.tenant_id and p.id = ${versionId}`;
  await copyMembership(tx, tenantId, versionId, draft.id);
  await tx`delete from pack_document d where d.tenant_id = ${tenantId}
    and not exists (select 1 from pack_version_document m where m.tenant_id = d.tenant_id and m.document_id = d.id)`;
}

async function snapshotIn(tx: Tx, tenantId: string, version: Pick<PackVersionRow, 'id' | 'tone' | 'norms' | 'resources'>): Promise<PackVersionSnapshot> {
  const documents = await tx<{ name: string; contentHash: string }[]>`
    select d.name, d.content_hash as "contentHash"
    from pack_version_document m join pack_document d on d.tenant_id = m.tenant_id and d.id = m.document_id
    where m.tenant_id = ${tenantId} and m.version_id = ${version.id} and d.status = 'ready' order by d.name`;
  return { documents: [...documents], tone: version.tone, norms: version.norms, resources: version.resources };
}

function summariseDiff(diff: PackVersionDiff) {
  return {
    documentsAdded: diff.documentsAdded,
    documentsRemoved: diff.documentsRemoved,
    documentsChanged: diff.documentsChanged,
    toneChanged: diff.toneChanges.map((c) => c.field),
    normsAdded: diff.normsAdded.length,
    normsRemoved: diff.normsRemoved.length,
    resourcesChanged: diff.resourcesChanged,
  };
}

export interface VersionSummary {
  id: string;
  number: number;
  publishedAt: Date;
  publishedBy: string | null;
  restoredFrom: number | null;
  note: string;
  documentCount: number;
  chunkCount: number;
  current: boolean;
  /** Against the version before it (null for version 1's predecessor). */
  diff: PackVersionDiff;
}

/** Published versions, newest first, each with its diff against the one before. */
export async function listVersions({ tenantId }: { tenantId: string }): Promise<VersionSummary[]> {
  return withTenant(tenantId, async (tx) => {
    const versions = await tx.unsafe<PackVersionRow[]>(
      `select ${VERSION_COLUMNS} from pack_version where tenant_id = $1 and status = 'published' order by number`,
      [tenantId],
    );
    const current = await publishedIn(tx, tenantId);
    const counts = await tx<{ versionId: string; documents: number; chunks: number }[]>`
      select m.version_id as "versionId", count(*)::int as documents, coalesce(sum(d.chunk_count), 0)::int as chunks
      from pack_version_document m join pack_document d on d.tenant_id = m.tenant_id and d.id = m.document_id
      where m.tenant_id = ${tenantId} and d.status = 'ready' group by m.version_id`;
    const countOf = new Map(counts.map((c) => [c.versionId, c]));
    const summaries: VersionSummary[] = [];
    let previous: PackVersionSnapshot | null = null;
    for (const version of versions) {
      const snapshot = await snapshotIn(tx, tenantId, version);
      summaries.push({
        id: version.id,
        number: version.number!,
        publishedAt: version.publishedAt!,
        publishedBy: version.publishedBy,
        restoredFrom: version.restoredFrom,
        note: version.note,
        documentCount: countOf.get(version.id)?.documents ?? 0,
        chunkCount: countOf.get(version.id)?.chunks ?? 0,
        current: current?.id === version.id,
        diff: diffPackVersions(previous, snapshot),
      });
      previous = snapshot;
    }
    return summaries.reverse();
  });
}

/** What publishing the draft would change, against the published version (or nothing). */
export async function diffDraftAgainstPublished({ tenantId }: { tenantId: string }): Promise<PackVersionDiff> {
  return withTenant(tenantId, async (tx) => {
    const draft = await draftIn(tx, tenantId);
    const published = await publishedIn(tx, tenantId);
    return diffPackVersions(published ? await snapshotIn(tx, tenantId, published) : null, await snapshotIn(tx, tenantId, draft));
  });
}

/** What rolling back to version `number` would change, against the published version. */
export async function diffRollback({ tenantId, number }: { tenantId: string; number: number }): Promise<PackVersionDiff | null> {
  return withTenant(tenantId, async (tx) => {
    const [target] = await tx.unsafe<PackVersionRow[]>(
      `select ${VERSION_COLUMNS} from pack_version where tenant_id = $1 and number = $2 and status = 'published'`,
      [tenantId, number],
    );
    if (!target) return null;
    const published = await publishedIn(tx, tenantId);
    return diffPackVersions(published ? await snapshotIn(tx, tenantId, published) : null, await snapshotIn(tx, tenantId, target));
  });
}
