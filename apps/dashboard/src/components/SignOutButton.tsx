'use client';

export function SignOutButton() {
  async function signOut() {
    await fetch('/api/auth/sign-out', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    window.location.assign('/signin');
  }
  return (
    <button type="button" onClick={signOut} className="text-sm text-slate-600 underline hover:text-slate-900">
      Sign out
    </button>
  );
}
