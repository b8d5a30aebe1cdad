// `rapport ask`: one chat turn from the command line, through the same runTurn() as the browser,
// in a new conversation recorded like any other (usage, lineage). For evaluation from outside.
import { runTurn } from '~/.server/coach/run-turn';
import { listMembers } from '~/.server/tenants/members';
import { findTenantBySlug } from '~/.server/tenants/tenants';
import { MAX_MESSAGE_CHARS } from '~/lib/chat';
import { printJson, requireString, UsageError, type Command } from '../command';

export const commands: Command[] = [
  {
    name: 'ask',
    summary: 'Ask the coach one question as a manager (new conversation, recorded like any turn)',
    usage: 'ask --tenant <slug> [--user <email>] [--json] "<message>"',
    options: { tenant: { type: 'string' }, user: { type: 'string' }, json: { type: 'boolean' } },
    async run({ values, positionals, io }) {
      const slug = requireString(values, 'tenant');
      const text = positionals.join(' ').trim();
      if (!text) throw new UsageError('write the message to ask, in quotes');
      if (text.length > MAX_MESSAGE_CHARS) throw new UsageError(`the message is over ${MAX_MESSAGE_CHARS} characters`);
      const tenant = await findTenantBySlug(slug);
      if (!tenant) throw new UsageError(`no tenant with slug "${slug}" (see: rapport tenants list)`);
      const members = (await listMembers({ tenantId: tenant.id })).filter((m) => m.status === 'active');
      const email = typeof values.user === 'string' ? values.user.trim().toLowerCase() : null;
      const user = email
        ? members.find((m) => m.email === email)
        : members.filter((m) => m.role === 'manager').sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())[0];
      if (!user) throw new UsageError(email ? `no active member ${email} in ${slug}` : `no active manager in ${slug} (use --user)`);

      const turn = await runTurn({ tenantId: tenant.id, userId: user.id, text });
      const result = await turn.result;
      const output = {
        reply: result.reply,
        model: result.modelId ?? 'none',
        citations: result.citations.map((c) => ({ document: c.document, heading: c.heading, chunkId: c.chunkId })),
        safety: { level: result.safety.level, categories: result.safety.categories },
        // Whether the tenant's pack covers the question (null: nothing was searched, e.g. a crisis reply).
        covered: result.covered,
      };
      if (values.json) printJson(io, output);
      else {
        io.stdout.write(`${output.reply}\n\n— ${output.model}${output.citations.length ? `; sources: ${output.citations.map((c) => `${c.document} (${c.heading})`).join('; ')}` : ''}\n`);
      }
      return result.status === 'error' ? 1 : 0;
    },
  },
];
