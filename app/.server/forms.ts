// Reading form posts: anything malformed is a 400 with a message, never a 500.
import { data } from '@remix-run/node';
import type { z } from 'zod';

export type FieldErrors = Record<string, string>;
export type FormFailure = { ok: false; formError?: string; fieldErrors: FieldErrors };

export async function readForm(request: Request): Promise<Record<string, string>> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new Response('The form could not be read.', { status: 400 });
  }
  const out: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string' && !(key in out)) out[key] = value;
  }
  return out;
}

export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || '_form';
    out[key] ??= issue.message;
  }
  return out;
}

/**
 * Parses a form post with a zod schema. On failure, `failure` is a 400 response carrying the
 * field errors, for the route to return so the form shows them next to the inputs.
 */
export async function parseForm<S extends z.ZodTypeAny>(
  request: Request,
  schema: S,
): Promise<{ ok: true; data: z.infer<S> } | { ok: false; failure: ReturnType<typeof badRequest> }> {
  let raw: Record<string, string>;
  try {
    raw = await readForm(request);
  } catch {
    return { ok: false, failure: badRequest('The form could not be read. Please try again.') };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, failure: badRequest('Please correct the highlighted fields.', fieldErrorsOf(parsed.error)) };
  }
  return { ok: true, data: parsed.data };
}

export function badRequest(formError: string, fieldErrors: FieldErrors = {}, status = 400) {
  return data({ ok: false as const, formError, fieldErrors }, { status });
}
