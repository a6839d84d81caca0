/**
 * Sign-in checks for pages and server actions (server side, on every request): who is signed in, and a redirect
 * to /signin (coming back to the page) when nobody is, or a refusal when the role is too low.
 */
import { forbidden, redirect } from 'next/navigation';
import { headers } from 'next/headers';
import { getServerState } from '../state';
import { sessionUserOf } from './auth';
import { PATH_HEADER } from './pathHeader';
import { roleAtLeast, type Role, type SessionUser } from './roles';

export async function currentUser(): Promise<SessionUser | undefined> {
  const { auth } = await getServerState();
  return sessionUserOf(auth, await headers());
}

/** The signed-in person with at least `role`; otherwise redirects to sign-in, or answers 403. */
export async function requireUser(role: Role = 'viewer'): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) {
    const path = (await headers()).get(PATH_HEADER) ?? '/';
    redirect(`/signin?next=${encodeURIComponent(path)}`);
  }
  if (!roleAtLeast(user.role, role)) forbidden();
  return user;
}
