'use client';
// E-mail and password against better-auth's /api/auth/sign-in/email; single sign-on through its OAuth redirect
// (/api/auth/sign-in/social with the generic OIDC provider).
import { useState } from 'react';

async function postJson(path: string, body: unknown): Promise<{ ok: boolean; data: Record<string, unknown> }> {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const data = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  return { ok: res.ok, data };
}

export function SignInForm({ next, sso, error }: { next: string; sso?: string; error?: string }) {
  const [message, setMessage] = useState(error ? 'Single sign-on failed: ' + error : '');
  const [busy, setBusy] = useState(false);

  async function signIn(form: FormData) {
    setBusy(true);
    setMessage('');
    const r = await postJson('/api/auth/sign-in/email', {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
    });
    setBusy(false);
    if (r.ok) window.location.assign(next);
    else setMessage(typeof r.data.message === 'string' ? r.data.message : 'Sign-in failed.');
  }

  async function singleSignOn() {
    setBusy(true);
    const r = await postJson('/api/auth/sign-in/social', {
      provider: 'oidc',
      callbackURL: next,
      errorCallbackURL: `/signin?next=${encodeURIComponent(next)}`,
    });
    if (r.ok && typeof r.data.url === 'string') window.location.assign(r.data.url);
    else {
      setBusy(false);
      setMessage('Single sign-on is not available right now.');
    }
  }

  return (
    <div className="space-y-4">
      <form action={signIn} className="space-y-3">
        <label className="block text-sm">
          E-mail
          <input
            name="email"
            type="email"
            autoComplete="username"
            required
            className="mt-1 block w-full rounded border border-slate-300 px-2 py-1"
          />
        </label>
        <label className="block text-sm">
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            className="mt-1 block w-full rounded border border-slate-300 px-2 py-1"
          />
        </label>
        <button
          type="submit"
          disabled={busy}
          className="w-full rounded bg-slate-900 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50"
        >
          Sign in
        </button>
      </form>
      {sso ? (
        <button
          type="button"
          onClick={singleSignOn}
          disabled={busy}
          className="w-full rounded border border-slate-300 px-3 py-1.5 text-sm font-medium disabled:opacity-50"
        >
          {sso}
        </button>
      ) : null}
      {message ? (
        <p role="alert" className="text-sm text-red-700">
          {message}
        </p>
      ) : null}
    </div>
  );
}
