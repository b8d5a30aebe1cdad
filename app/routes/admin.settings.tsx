import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import type { ReactNode } from 'react';
import { requireRole } from '~/.server/auth/guards';
import { handleSettingsAction, MAX_RETENTION_DAYS, modelChoices, zeroRetentionModels, type ZeroRetentionModels } from '~/.server/metering/settings';
import { modelPolicyOf } from '~/lib/culture';
import { getTenant } from '~/.server/tenants/tenants';
import { OFFLINE_COACH_ID, type ModelOption } from '~/lib/models';
import adminStyles from '~/styles/admin.css?url';

export const meta: MetaFunction = () => [{ title: 'Settings · Rapport' }];
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: adminStyles }];

export async function loader(args: LoaderFunctionArgs) {
  const admin = requireRole(args, 'tenant_admin');
  const tenant = await getTenant({ tenantId: admin.tenantId });
  return {
    settings: tenant.settings,
    choices: modelChoices(modelPolicyOf(tenant.settings)),
    zeroRetention: zeroRetentionModels(),
    maxRetentionDays: MAX_RETENTION_DAYS,
  };
}

export async function action(args: ActionFunctionArgs) {
  const admin = requireRole(args, 'tenant_admin');
  return handleSettingsAction(args.request, admin);
}

type Result = ReturnType<typeof useActionData<typeof action>>;

export default function SettingsPage() {
  const { settings, choices, zeroRetention, maxRetentionDays } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== 'idle';
  return (
    <div className="page settings-page">
      <h1>Settings</h1>

      <Section title="Budget and quota" intent="budget" result={result} busy={busy}
        hint="Checked before every model call. At 100% coaching stops, or switches to the fallback model below.">
        {(errors) => (
          <>
            <Field label="Monthly budget (USD)" error={errors.monthlyBudgetUsd}>
              <input name="monthlyBudgetUsd" inputMode="decimal" defaultValue={settings.monthlyBudgetUsd} aria-invalid={!!errors.monthlyBudgetUsd || undefined} />
            </Field>
            <Field label="Alert at (% of budget)" error={errors.budgetAlertPercent}>
              <input name="budgetAlertPercent" inputMode="numeric" defaultValue={settings.budgetAlertPercent} aria-invalid={!!errors.budgetAlertPercent || undefined} />
            </Field>
            <Field label="At 100% of budget" error={errors.budgetAction}>
              <select name="budgetAction" defaultValue={settings.budgetAction}>
                <option value="hard_stop">Stop coaching until the budget is raised</option>
                <option value="fallback_model">Switch to the fallback model</option>
              </select>
            </Field>
            <Field label="Daily messages per person (0 = no limit)" error={errors.dailyMessageQuota}>
              <input name="dailyMessageQuota" inputMode="numeric" defaultValue={settings.dailyMessageQuota} aria-invalid={!!errors.dailyMessageQuota || undefined} />
            </Field>
          </>
        )}
      </Section>

      <Section title="Models" intent="models" result={result} busy={busy}
        hint="Only models configured in this installation are offered. “Default” follows the operator's configuration.">
        {(errors) => (
          <>
            <ModelSelect name="chat" label="Coaching chat" options={choices.chat} value={settings.models?.chat} error={errors.chat} />
            <ModelSelect name="chatSensitive" label="Sensitive topics" options={choices.chatSensitive} value={settings.models?.chatSensitive} error={errors.chatSensitive} />
            <ModelSelect name="judge" label="Quality judge" options={choices.judge} value={settings.models?.judge} error={errors.judge} />
            <ModelSelect name="budgetFallbackModel" label="Fallback at 100% of budget" options={choices.chat} value={settings.budgetFallbackModel ?? OFFLINE_COACH_ID} error={errors.budgetFallbackModel} required />
          </>
        )}
      </Section>

      <Section title="Privacy toward AI providers" intent="privacy" result={result} busy={busy}
        hint="What leaves Rapport when a model outside this installation answers.">
        {() => (
          <>
            <label className="checkbox">
              <input type="checkbox" name="redactPersonalDetails" defaultChecked={settings.redactPersonalDetails} />
              <span>
                <strong>Remove personal details before they leave Rapport</strong>
                <span className="hint block">
                  Names, emails, phone numbers, employee ids and addresses are replaced with placeholders such as [PERSON_1] before a
                  message goes to an external provider; the answer is shown with the real names. Local models get the real text.
                </span>
              </span>
            </label>
            <label className="checkbox">
              <input type="checkbox" name="zeroRetentionOnly" defaultChecked={settings.zeroRetentionOnly} />
              <span>
                <strong>Only zero-retention providers</strong>
                <span className="hint block">Every model whose provider may keep what it is sent is removed, for chat, judging and embeddings.</span>
              </span>
            </label>
            <ZeroRetentionList models={zeroRetention} active={settings.zeroRetentionOnly} />
          </>
        )}
      </Section>

      <Section title="Sharing for review" intent="review" result={result} busy={busy}
        hint="Managers may share an exchange, anonymized, to improve the coach; reviewers annotate it. Nobody sees who shared.">
        {(errors) => (
          <>
            <label className="checkbox">
              <input type="checkbox" name="reviewEnabled" defaultChecked={settings.review.enabled} />
              <span>
                <strong>Let managers share exchanges for review</strong>
                <span className="hint block">
                  {settings.retentionDays === 0
                    ? 'Your organisation keeps no conversation text (zero retention), so nothing can be shared whatever this says.'
                    : 'Off: the share button is not offered and nothing new is stored; what was shared stays until its manager withdraws it.'}
                </span>
              </span>
            </label>
            <Field label="Shared exchanges the judge model scores (%)" error={errors.judgeSamplePercent}>
              <input name="judgeSamplePercent" inputMode="numeric" defaultValue={settings.review.judgeSamplePercent} aria-invalid={!!errors.judgeSamplePercent || undefined} />
            </Field>
          </>
        )}
      </Section>

      <Section title="Temperature cap" intent="temperature" result={result} busy={busy}
        hint="The highest sampling temperature any model may use (0 to 1). Lower is more predictable.">
        {(errors) => (
          <Field label="Temperature cap" error={errors.temperatureCap}>
            <input name="temperatureCap" inputMode="decimal" defaultValue={settings.temperatureCap} aria-invalid={!!errors.temperatureCap || undefined} />
          </Field>
        )}
      </Section>

      <Section title="Retention" intent="retention" result={result} busy={busy}
        hint="Conversation text older than this is deleted hourly; usage and lineage (ids and numbers only) are kept. Zero retention stores no message text at all.">
        {(errors) => <RetentionFields days={settings.retentionDays} maxDays={maxRetentionDays} error={errors.retentionDays ?? errors.retentionMode} />}
      </Section>
    </div>
  );
}

function Section(props: {
  title: string;
  intent: string;
  hint: string;
  result: Result;
  busy: boolean;
  children: (errors: Record<string, string | undefined>) => ReactNode;
}) {
  const mine = props.result && props.result.intent === props.intent ? props.result : undefined;
  const errors: Record<string, string | undefined> = mine && !mine.ok ? mine.fieldErrors : {};
  return (
    <section className="card settings-section" aria-labelledby={`${props.intent}-title`}>
      <h2 id={`${props.intent}-title`}>{props.title}</h2>
      <p className="hint">{props.hint}</p>
      {mine ? (
        <div role={mine.ok ? 'status' : 'alert'} className={`alert ${mine.ok ? 'alert-ok' : 'alert-error'}`}>
          <p>{mine.ok ? mine.message : mine.formError}</p>
        </div>
      ) : null}
      <Form method="post" className="settings-form" noValidate>
        <input type="hidden" name="intent" value={props.intent} />
        {props.children(errors)}
        <div>
          <button className="btn btn-primary" type="submit" disabled={props.busy}>
            Save
          </button>
        </div>
      </Form>
    </section>
  );
}

function Field({ label, error, children }: { label: string; error?: string; children: ReactNode }) {
  return (
    <label className="settings-field">
      {label}
      {children}
      {error ? <span className="field-error">{error}</span> : null}
    </label>
  );
}

function ModelSelect(props: { name: string; label: string; options: ModelOption[]; value?: string; error?: string; required?: boolean }) {
  const known = !props.value || props.options.some((o) => o.id === props.value);
  return (
    <Field label={props.label} error={props.error}>
      <select name={props.name} defaultValue={props.value ?? ''} aria-invalid={!!props.error || undefined}>
        {props.required ? null : <option value="">Default</option>}
        {known ? null : <option value={props.value}>{props.value} (not configured)</option>}
        {props.options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

function ZeroRetentionList({ models, active }: { models: ZeroRetentionModels; active: boolean }) {
  const list = (labels: string[], none: string) => (labels.length > 0 ? labels.join(', ') : none);
  return (
    <div className="zdr-models" aria-live="polite">
      <p className="small">{active ? 'Models that remain for your team:' : 'With this setting on, these models would remain:'}</p>
      <dl className="zdr-list">
        <dt>Coaching chat</dt>
        <dd>{list(models.chat, 'none — chats use the offline coach')}</dd>
        <dt>Sensitive topics</dt>
        <dd>{list(models.chatSensitive, 'none — the chat model above answers')}</dd>
        <dt>Quality judge</dt>
        <dd>{list(models.judge, 'none — judging is skipped')}</dd>
        <dt>Embeddings</dt>
        <dd>{models.embedding}</dd>
      </dl>
      {models.removed.length > 0 ? (
        <p className="small muted">{active ? 'Not used for your team' : 'Would no longer be used'}: {models.removed.join(', ')}.</p>
      ) : null}
    </div>
  );
}

function RetentionFields({ days, maxDays, error }: { days: number; maxDays: number; error?: string }) {
  const mode = days === 0 ? 'zero' : 'days';
  return (
    <fieldset className="retention-fields">
      <legend className="visually-hidden">Retention mode</legend>
      <label className="radio">
        <input type="radio" name="retentionMode" value="days" defaultChecked={mode === 'days'} />
        Keep conversation text for
        <input
          name="retentionDays"
          inputMode="numeric"
          className="days-input"
          aria-label="Days to keep conversation text"
          defaultValue={days === 0 ? 90 : days}
          aria-invalid={!!error || undefined}
        />
        days (1–{maxDays})
      </label>
      <label className="radio">
        <input type="radio" name="retentionMode" value="zero" defaultChecked={mode === 'zero'} />
        Zero retention: store no message text (only usage and lineage ids)
      </label>
      {error ? <span className="field-error">{error}</span> : null}
    </fieldset>
  );
}
