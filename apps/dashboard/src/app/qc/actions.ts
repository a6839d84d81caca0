'use server';
// The QC page's forms: designate a reference sample, retire one — through the qc router as the signed-in person.
import { runAndReturn } from '../formResult';
import { api } from '../../trpc/server';

const run = (action: () => Promise<unknown>) => runAndReturn(action, '/qc', 'error');

export async function designateReference(form: FormData): Promise<void> {
  const caller = await api();
  const text = (name: string) => {
    const v = String(form.get(name) ?? '').trim();
    return v ? v : undefined;
  };
  await run(() =>
    caller.qc.create({
      name: String(form.get('name') ?? ''),
      samplePrefix: String(form.get('samplePrefix') ?? ''),
      quantity: String(form.get('quantity') ?? '') as 'mean:T2',
      baselineCount: Number(form.get('baselineCount') ?? 20),
      ...(text('instrument') ? { instrument: text('instrument') } : {}),
      ...(text('experiment') ? { experiment: text('experiment') as 'T2' } : {}),
    }),
  );
}

export async function retireReference(form: FormData): Promise<void> {
  const caller = await api();
  await run(() => caller.qc.retire({ id: Number(form.get('id')) }));
}
