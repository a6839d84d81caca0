'use server';
// The fleet page's incident controls: each calls the alerts router in process as the signed-in person (the
// manager role is checked there, and the action audited), then comes back to the fleet page.
import { TRPCError } from '@trpc/server';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { api } from '../trpc/server';

async function run(action: () => Promise<unknown>): Promise<never> {
  let error: string | undefined;
  try {
    await action();
  } catch (err) {
    if (!(err instanceof TRPCError)) console.error('[dashboard] alert action failed:', err);
    error = err instanceof TRPCError ? err.message : 'the change could not be saved';
  }
  revalidatePath('/');
  redirect(error ? `/?alertError=${encodeURIComponent(error.slice(0, 180))}` : '/');
}

export async function acknowledgeIncident(form: FormData): Promise<void> {
  const caller = await api();
  await run(() => caller.alerts.acknowledge({ incidentId: Number(form.get('incidentId')) }));
}

export async function muteInstrument(form: FormData): Promise<void> {
  const caller = await api();
  const kind = String(form.get('kind') ?? '');
  await run(() =>
    caller.alerts.mute({
      instrument: String(form.get('instrument') ?? ''),
      hours: Number(form.get('hours')),
      ...(kind ? { kind } : {}),
    }),
  );
}

export async function unmute(form: FormData): Promise<void> {
  const caller = await api();
  await run(() => caller.alerts.unmute({ muteId: Number(form.get('muteId')) }));
}
