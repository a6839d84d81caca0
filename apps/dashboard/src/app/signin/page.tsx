import { redirect } from 'next/navigation';
import { readEnv } from '../../env';
import { currentUser } from '../../server/auth/pageGuard';
import { SignInForm } from './SignInForm';

/** Only paths of this dashboard are followed after sign-in (never another site). */
function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const params = await searchParams;
  const next = safeNext(params.next);
  if (await currentUser()) redirect(next);
  const env = readEnv();
  const sso = Boolean(env.LAPIS_OIDC_ISSUER && env.LAPIS_OIDC_CLIENT_ID && env.LAPIS_OIDC_CLIENT_SECRET);
  return (
    <div className="mx-auto mt-16 max-w-sm rounded border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="mb-4 text-xl font-semibold">Sign in to Lapis</h1>
      <SignInForm next={next} sso={sso ? env.LAPIS_OIDC_LABEL : undefined} error={params.error} />
    </div>
  );
}
