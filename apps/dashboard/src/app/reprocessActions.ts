'use server';
// Reprocess forms (acquisition and instrument pages): each calls the reprocess router in process as the signed-in
// person — the manager role is checked there — and comes back to the page with what was sent, or why not.
import { TRPCError } from '@trpc/server';
import { redirect } from 'next/navigation';
import { reprocessRequestSchema } from '@lapis/contracts';
import { api } from '../trpc/server';

/** The method the form names, if the contract knows it (empty: the agent's own rules). */
function methodOf(form: FormData) {
  return reprocessRequestSchema.shape.method.safeParse(form.get('method') || undefined).data;
}

/** Back to `back` (a path of this dashboard only) with `reprocess=` what was sent or `reprocessError=` why not. */
function backTo(back: string, result: { sent?: string; error?: string }): string {
  const url = new URL(back.startsWith('/') && !back.startsWith('//') ? back : '/', 'http://x');
  url.searchParams.delete('reprocess');
  url.searchParams.delete('reprocessError');
  if (result.sent) url.searchParams.set('reprocess', result.sent);
  if (result.error) url.searchParams.set('reprocessError', result.error.slice(0, 180));
  return `${url.pathname}${url.search}`;
}

type Caller = Awaited<ReturnType<typeof api>>;

async function send(form: FormData, caller: Caller, input: Parameters<Caller['reprocess']['request']>[0]) {
  const back = String(form.get('back') ?? '/');
  let target: string;
  try {
    const r = await caller.reprocess.request(input);
    target = backTo(back, { sent: `${r.paths} on ${r.instruments}` });
  } catch (err) {
    if (!(err instanceof TRPCError)) console.error('[dashboard] reprocess request failed:', err);
    target = backTo(back, { error: err instanceof TRPCError ? err.message : 'the request could not be sent' });
  }
  redirect(target);
}

export async function reprocessKeys(form: FormData): Promise<void> {
  const caller = await api();
  const keys = form.getAll('key').map(String);
  await send(form, caller, { keys, method: methodOf(form) });
}

export async function reprocessFilter(form: FormData): Promise<void> {
  const caller = await api();
  const text = (name: string) => {
    const v = String(form.get(name) ?? '').trim();
    return v ? v : undefined;
  };
  const experiment = text('experiment');
  await send(form, caller, {
    filter: {
      instrument: String(form.get('instrument') ?? ''),
      ...(text('sample') ? { sample: text('sample') } : {}),
      ...(experiment ? { experiment: experiment as 'T2' } : {}),
    },
    method: methodOf(form),
  });
}
