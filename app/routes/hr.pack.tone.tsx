import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { requireRole } from '~/.server/auth/guards';
import { handleToneAction } from '~/.server/culture/admin';
import { getDraft } from '~/.server/culture/versions';
import { ActionAlert } from '~/components/culture/action-alert';

export async function loader(args: LoaderFunctionArgs) {
  const user = requireRole(args, 'hr_admin');
  const draft = await getDraft({ tenantId: user.tenantId });
  return { tone: draft.tone, norms: draft.norms };
}

export async function action(args: ActionFunctionArgs) {
  const user = requireRole(args, 'hr_admin');
  return handleToneAction(args.request, user);
}

const CHOICES = {
  formality: [
    ['casual', 'Casual'],
    ['neutral', 'Neutral'],
    ['formal', 'Formal'],
  ],
  warmth: [
    ['reserved', 'Reserved'],
    ['warm', 'Warm'],
    ['very_warm', 'Very warm'],
  ],
  directness: [
    ['gentle', 'Gentle'],
    ['balanced', 'Balanced'],
    ['direct', 'Direct'],
  ],
} as const;

export default function ToneAndNorms() {
  const { tone, norms } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.fieldErrors : {};
  const busy = useNavigation().state !== 'idle';
  return (
    <>
      <ActionAlert result={result} />
      <section className="card">
        <h2>Tone</h2>
        <p className="muted">How the coach sounds when it speaks for your company.</p>
        <Form method="post" className="form-grid" noValidate>
          <input type="hidden" name="intent" value="tone" />
          {(Object.keys(CHOICES) as Array<keyof typeof CHOICES>).map((field) => (
            <label key={field}>
              {field[0].toUpperCase() + field.slice(1)}
              <select name={field} defaultValue={tone[field]}>
                {CHOICES[field].map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
          ))}
          <label>
            Address people as
            <input name="addressAs" defaultValue={tone.addressAs} aria-invalid={!!errors.addressAs || undefined} />
            <span className="hint">e.g. “first name”, “team member”, “colleague”</span>
            {errors.addressAs ? <span className="field-error">{errors.addressAs}</span> : null}
          </label>
          <label className="span-2">
            Words to use
            <textarea name="wordsToUse" rows={2} defaultValue={tone.wordsToUse.join(', ')} aria-invalid={!!errors.wordsToUse || undefined} />
            <span className="hint">Separated by commas</span>
            {errors.wordsToUse ? <span className="field-error">{errors.wordsToUse}</span> : null}
          </label>
          <label className="span-2">
            Words to avoid
            <textarea name="wordsToAvoid" rows={2} defaultValue={tone.wordsToAvoid.join(', ')} aria-invalid={!!errors.wordsToAvoid || undefined} />
            <span className="hint">Separated by commas</span>
            {errors.wordsToAvoid ? <span className="field-error">{errors.wordsToAvoid}</span> : null}
          </label>
          <div className="span-2">
            <button className="btn btn-primary" type="submit" disabled={busy}>
              Save tone
            </button>
          </div>
        </Form>
      </section>

      <section className="card">
        <h2>Norms</h2>
        <p className="muted">Short do and don’t statements the coach keeps to. One per line.</p>
        <Form method="post" className="form-grid" noValidate>
          <input type="hidden" name="intent" value="norms" />
          <label>
            Do
            <textarea
              name="dos"
              rows={9}
              defaultValue={norms.filter((n) => n.kind === 'do').map((n) => n.text).join('\n')}
              aria-invalid={!!errors.dos || undefined}
            />
            {errors.dos ? <span className="field-error">{errors.dos}</span> : null}
          </label>
          <label>
            Don’t
            <textarea
              name="donts"
              rows={9}
              defaultValue={norms.filter((n) => n.kind === 'dont').map((n) => n.text).join('\n')}
              aria-invalid={!!errors.donts || undefined}
            />
            {errors.donts ? <span className="field-error">{errors.donts}</span> : null}
          </label>
          <div className="span-2">
            <button className="btn btn-primary" type="submit" disabled={busy}>
              Save norms
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}
