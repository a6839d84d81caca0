// The manager's reprocess control: a method (or the agent's own rules) and a button; the hidden fields say what.
import type { ReactNode } from 'react';
import { displayText } from '../lib/displayText';

const METHODS: [string, string][] = [
  ['', "the agent's rules"],
  ['auto', 'auto (UPEN or Tikhonov by the data)'],
  ['tikhonov', 'Tikhonov'],
  ['upen', 'UPEN'],
  ['sparse', 'sparse (L1)'],
  ['nnls', 'NNLS'],
  ['dl', 'network (T1–T2, D–T2 maps)'],
];

export function ReprocessForm({
  action,
  label,
  children,
  id,
}: {
  action: (form: FormData) => Promise<void>;
  label: string;
  children: ReactNode;
  /** For inputs elsewhere on the page that belong to this form (the acquisition list's checkboxes). */
  id?: string;
}) {
  return (
    <form action={action} id={id} className="flex flex-wrap items-center gap-2 text-sm" data-reprocess-form>
      {children}
      <label className="flex items-center gap-1 text-slate-600">
        method
        <select name="method" defaultValue="" className="rounded border border-slate-300 px-2 py-1">
          {METHODS.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </label>
      <button className="rounded bg-slate-700 px-3 py-1 text-white">{label}</button>
    </form>
  );
}

/** What came back from a reprocess form (`?reprocess=` or `?reprocessError=`). */
export function ReprocessNotice({ sent, error }: { sent?: string; error?: string }) {
  if (error)
    return (
      <p role="alert" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
        Not reprocessed: {displayText(error)}
      </p>
    );
  if (sent)
    return (
      <p
        className="rounded border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800"
        data-reprocess-sent
      >
        Reprocess request sent: {displayText(sent)} instrument(s). Each new result appears as a new version beside the
        old one.
      </p>
    );
  return null;
}
