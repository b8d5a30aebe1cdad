import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { requireRole } from '~/.server/auth/guards';
import { handleResourcesAction } from '~/.server/culture/admin';
import { getDraft } from '~/.server/culture/versions';
import { ActionAlert } from '~/components/culture/action-alert';
import { DEFAULT_COUNTRY_RESOURCES, FALLBACK_COUNTRY_RESOURCES, type Contact } from '~/lib/culture';

export async function loader(args: LoaderFunctionArgs) {
  const user = requireRole(args, 'hr_admin');
  const draft = await getDraft({ tenantId: user.tenantId });
  return { resources: draft.resources };
}

export async function action(args: ActionFunctionArgs) {
  const user = requireRole(args, 'hr_admin');
  return handleResourcesAction(args.request, user);
}

type Errors = Record<string, string>;

function ContactFields({ prefix, legend, contact, errors, optional }: { prefix: string; legend: string; contact: Contact | null; errors: Errors; optional?: boolean }) {
  const field = (name: keyof Contact, label: string, type = 'text') => (
    <label>
      {label}
      <input name={`${prefix}.${name}`} type={type} defaultValue={contact?.[name] ?? ''} aria-invalid={!!errors[`${prefix}.${name}`] || undefined} />
      {errors[`${prefix}.${name}`] ? <span className="field-error">{errors[`${prefix}.${name}`]}</span> : null}
    </label>
  );
  return (
    <fieldset className="contact-fields">
      <legend>
        {legend}
        {optional ? <span className="hint"> (optional: leave blank if you have none)</span> : null}
      </legend>
      {field('name', 'Name')}
      {field('phone', 'Phone', 'tel')}
      {field('email', 'Email', 'email')}
      {field('url', 'Website', 'url')}
      {field('hours', 'Hours')}
    </fieldset>
  );
}

export default function SupportResources() {
  const { resources } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Errors = result && !result.ok ? result.fieldErrors : {};
  const busy = useNavigation().state !== 'idle';
  const rows = [...Object.entries(resources.byCountry), ['', null] as const];
  return (
    <>
      <ActionAlert result={result} />
      <Form method="post" className="card resources-form" noValidate>
        <h2>Support resources</h2>
        <p className="muted">Who the coach points people to. Crisis lines are shown immediately when someone may be at risk.</p>
        <ContactFields prefix="eap" legend="Employee assistance programme" contact={resources.eap} errors={errors} optional />
        <ContactFields prefix="hr" legend="HR contact" contact={resources.hrContact} errors={errors} />
        <ContactFields prefix="support" legend="Support contact (receives hand-offs people consent to)" contact={resources.supportContact} errors={errors} />

        <fieldset>
          <legend>Emergency and crisis lines by country</legend>
          <label className="narrow">
            Default country
            <input name="defaultCountry" defaultValue={resources.defaultCountry} maxLength={2} aria-invalid={!!errors.defaultCountry || undefined} />
            {errors.defaultCountry ? <span className="field-error">{errors.defaultCountry}</span> : null}
          </label>
          <p className="hint">
            Countries you do not list use sensible defaults: {Object.entries(DEFAULT_COUNTRY_RESOURCES)
              .map(([code, r]) => `${code} ${r.crisisPhone ?? r.crisisLine}`)
              .join(', ')}
            ; anywhere else, {FALLBACK_COUNTRY_RESOURCES.crisisUrl?.replace('https://', '')}.
          </p>
          <div className="table-wrap">
            <table className="table country-table">
              <thead>
                <tr>
                  <th scope="col">Country</th>
                  <th scope="col">Emergency</th>
                  <th scope="col">Crisis line</th>
                  <th scope="col">Crisis phone</th>
                  <th scope="col">Crisis website</th>
                </tr>
              </thead>
              <tbody>
                {rows.map(([code, row], i) => (
                  <tr key={code || 'new'}>
                    {(['code', 'emergency', 'crisisLine', 'crisisPhone', 'crisisUrl'] as const).map((name) => (
                      <td key={name}>
                        <input
                          name={`country.${i}.${name}`}
                          aria-label={`${name === 'code' ? 'Country code' : name} ${code || '(new country)'}`}
                          placeholder={!row ? (name === 'code' ? 'e.g. GB' : '') : undefined}
                          defaultValue={name === 'code' ? code : (row?.[name] ?? '')}
                          aria-invalid={!!errors[`country.${i}.${name}`] || undefined}
                        />
                        {errors[`country.${i}.${name}`] ? <span className="field-error">{errors[`country.${i}.${name}`]}</span> : null}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="hint">Fill the last row to add a country; clear a row to remove it.</p>
        </fieldset>
        <div>
          <button className="btn btn-primary" type="submit" disabled={busy}>
            Save support resources
          </button>
        </div>
      </Form>
    </>
  );
}
