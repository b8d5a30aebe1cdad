// The tenant admin's member actions (invite, change role, deactivate, reactivate), parsed
// and authorised here so the route stays thin.
import { data } from '@remix-run/node';
import type { User } from 'lucia';
import { z } from 'zod';
import { fieldErrorsOf, readForm } from '~/.server/forms';
import { ROLES } from '~/lib/roles';
import { createInvite, inviteUrl } from './invites';
import { changeMemberRole, MemberError, setMemberStatus } from './members';

const intentSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('invite'),
    email: z.string().trim().toLowerCase().min(1, 'Enter an email.').max(200).email('Enter a valid email address.'),
    role: z.enum(ROLES, { errorMap: () => ({ message: 'Choose a role.' }) }),
  }),
  z.object({ intent: z.literal('role'), userId: z.string().min(1).max(100), role: z.enum(ROLES) }),
  z.object({ intent: z.literal('deactivate'), userId: z.string().min(1).max(100) }),
  z.object({ intent: z.literal('reactivate'), userId: z.string().min(1).max(100) }),
]);

export type MemberActionResult =
  | { ok: true; message: string; inviteLink?: string; expiresAt?: string }
  | { ok: false; formError: string; fieldErrors: Record<string, string> };

export async function handleMemberAction(request: Request, admin: User) {
  let raw: Record<string, string>;
  try {
    raw = await readForm(request);
  } catch {
    return data<MemberActionResult>({ ok: false, formError: 'The form could not be read.', fieldErrors: {} }, { status: 400 });
  }
  const parsed = intentSchema.safeParse(raw);
  if (!parsed.success) {
    return data<MemberActionResult>({ ok: false, formError: 'Please correct the highlighted fields.', fieldErrors: fieldErrorsOf(parsed.error) }, { status: 400 });
  }
  const actor = { userId: admin.id, label: admin.email };
  const tenantId = admin.tenantId;
  const input = parsed.data;
  try {
    switch (input.intent) {
      case 'invite': {
        const { token, expiresAt } = await createInvite({ tenantId, email: input.email, role: input.role, actor });
        const origin = new URL(request.url).origin;
        return data<MemberActionResult>({
          ok: true,
          message: `Invite created for ${input.email}. Hand over this link; it works once.`,
          inviteLink: inviteUrl(token, origin),
          expiresAt: expiresAt.toISOString(),
        });
      }
      case 'role':
        await changeMemberRole({ tenantId, userId: input.userId, role: input.role, actor });
        return data<MemberActionResult>({ ok: true, message: 'Role updated.' });
      case 'deactivate':
      case 'reactivate':
        await setMemberStatus({ tenantId, userId: input.userId, status: input.intent === 'deactivate' ? 'deactivated' : 'active', actor });
        return data<MemberActionResult>({ ok: true, message: input.intent === 'deactivate' ? 'Member deactivated; their sessions were ended.' : 'Member reactivated.' });
    }
  } catch (err) {
    if (err instanceof MemberError) {
      const status = err.code === 'not_found' ? 404 : 400;
      return data<MemberActionResult>({ ok: false, formError: err.message, fieldErrors: err.code === 'email_taken' ? { email: err.message } : {} }, { status });
    }
    throw err;
  }
}
