const styles: Record<string, string> = {
  online: 'bg-emerald-100 text-emerald-800 ring-emerald-300',
  offline: 'bg-rose-100 text-rose-800 ring-rose-300',
  unknown: 'bg-slate-100 text-slate-600 ring-slate-300',
};

/** Online / offline / unknown, as the retained status (or the broker's Last Will) says. */
export function StateBadge({ state }: { state: string }) {
  return (
    <span className={`rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ${styles[state] ?? styles.unknown}`}>
      {state}
    </span>
  );
}
