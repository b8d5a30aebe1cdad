// The result of a culture-pack form post, announced to screen readers.
export function ActionAlert({ result }: { result: { ok: true; message: string } | { ok: false; formError?: string } | undefined }) {
  if (!result) return null;
  return (
    <div role={result.ok ? 'status' : 'alert'} className={`alert ${result.ok ? 'alert-ok' : 'alert-error'}`}>
      <p>{result.ok ? result.message : result.formError}</p>
    </div>
  );
}
