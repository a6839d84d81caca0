'use server';
// The admin page's forms: each calls the admin router in process as the signed-in person, so the role check and
// the audit entry are the router's. A refusal comes back to the page as `error`.
import { runAndReturn } from '../formResult';
import { api } from '../../trpc/server';

const run = (action: () => Promise<unknown>) => runAndReturn(action, '/admin', 'error');

export async function addUser(form: FormData): Promise<void> {
  const caller = await api();
  await run(() =>
    caller.admin.addUser({
      email: String(form.get('email') ?? ''),
      name: String(form.get('name') ?? '') || undefined,
      role: String(form.get('role') ?? 'viewer') as 'viewer',
      password: String(form.get('password') ?? ''),
    }),
  );
}

export async function setRole(form: FormData): Promise<void> {
  const caller = await api();
  await run(() =>
    caller.admin.setRole({
      userId: String(form.get('userId') ?? ''),
      role: String(form.get('role') ?? '') as 'viewer',
    }),
  );
}

export async function removeUser(form: FormData): Promise<void> {
  const caller = await api();
  await run(() => caller.admin.removeUser({ userId: String(form.get('userId') ?? '') }));
}
