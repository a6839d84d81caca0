// Shared by the server actions of the admin and fleet pages: run a router call as the signed-in person, then go
// back to the page, with the router's refusal (or a generic line for anything else) in a query parameter.
import { TRPCError } from '@trpc/server';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';

export async function runAndReturn(action: () => Promise<unknown>, page: string, errorParam: string): Promise<never> {
  let error: string | undefined;
  try {
    await action();
  } catch (err) {
    if (!(err instanceof TRPCError)) console.error(`[dashboard] ${page} action failed:`, err);
    error = err instanceof TRPCError ? err.message : 'the change could not be saved';
  }
  revalidatePath(page);
  redirect(error ? `${page}?${errorParam}=${encodeURIComponent(error.slice(0, 180))}` : page);
}
