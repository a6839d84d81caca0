'use server';
// Naming populations from the populations page (server actions: Next checks that the request comes from this
// dashboard's own pages). A refused name comes back to the page as `nameError`, not as an error page.
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { forgetName, saveName } from '../../server/populations/names';
import { getServerState } from '../../server/state';
import { audit } from '../../server/audit/audit';
import { requireUser } from '../../server/auth/pageGuard';

/** Where to go back to: this page with its filters, nothing else. */
function backTo(formData: FormData, error?: string): string {
  const back = String(formData.get('back') ?? '');
  const url = new URL(back.startsWith('/populations') ? back : '/populations', 'http://x');
  url.searchParams.delete('nameError');
  if (error) url.searchParams.set('nameError', error.slice(0, 180));
  return `${url.pathname}${url.search}`;
}

const messageOf = (err: unknown) =>
  err instanceof z.ZodError ? err.issues.map((i) => i.message).join('; ') : 'the name could not be saved';

export async function namePopulation(formData: FormData): Promise<void> {
  const user = await requireUser('manager');
  let error: string | undefined;
  try {
    const centre: unknown = JSON.parse(String(formData.get('centre') ?? '{}'));
    const { handle } = await getServerState();
    await saveName(handle.db, {
      experiment: String(formData.get('experiment') ?? ''),
      scope: String(formData.get('scope') ?? ''),
      name: String(formData.get('name') ?? ''),
      centre: centre as Record<string, number>,
    });
    await audit(handle.db, user, 'population.name', String(formData.get('name') ?? '').slice(0, 100), {
      experiment: String(formData.get('experiment') ?? '').slice(0, 40),
      scope: String(formData.get('scope') ?? '').slice(0, 200),
    });
  } catch (err) {
    if (!(err instanceof z.ZodError)) console.error('[dashboard] naming a population failed:', err);
    error = messageOf(err);
  }
  revalidatePath('/populations');
  redirect(backTo(formData, error));
}

export async function forgetPopulationName(formData: FormData): Promise<void> {
  const user = await requireUser('manager');
  const id = Number(formData.get('id'));
  let error: string | undefined;
  try {
    const { handle } = await getServerState();
    await forgetName(handle.db, id);
    await audit(handle.db, user, 'population.forget-name', String(id));
  } catch (err) {
    console.error('[dashboard] forgetting a population name failed:', err);
    error = 'the name could not be removed';
  }
  revalidatePath('/populations');
  redirect(backTo(formData, error));
}
