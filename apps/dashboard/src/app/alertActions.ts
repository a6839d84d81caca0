'use server';
// The fleet page's incident controls: each calls the alerts router in process as the signed-in person (the
// manager role is checked there, and the action audited), then comes back to the fleet page.
import { runAndReturn } from './formResult';
import { api } from '../trpc/server';

const run = (action: () => Promise<unknown>) => runAndReturn(action, '/', 'alertError');

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
