import Link from 'next/link';
import type { ReactNode } from 'react';
import { TRPCReactProvider } from '../trpc/react';
import { HydrationMark } from '../components/HydrationMark';
import { SignOutButton } from '../components/SignOutButton';
import { currentUser } from '../server/auth/pageGuard';
import './globals.css';

export const metadata = { title: 'Lapis dashboard', description: 'Laplace NMR across the lab' };

// Every page is rendered per request: the CSP nonce (src/proxy.ts) must reach the scripts Next renders, which a
// page prerendered at build time (the 404 page, say) would not have.
export const dynamic = 'force-dynamic';

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900">
        <HydrationMark />
        <header className="border-b border-slate-200 bg-white">
          <nav className="mx-auto flex max-w-7xl items-center gap-6 px-6 py-3">
            <Link href="/" className="text-lg font-bold text-slate-900">
              Lapis
            </Link>
            <Link href="/" className="text-sm text-slate-600 hover:text-slate-900">
              Fleet
            </Link>
            <Link href="/trends" className="text-sm text-slate-600 hover:text-slate-900">
              Trends
            </Link>
            <Link href="/populations" className="text-sm text-slate-600 hover:text-slate-900">
              Populations
            </Link>
            <Link href="/qc" className="text-sm text-slate-600 hover:text-slate-900">
              QC
            </Link>
            {user?.role === 'admin' ? (
              <Link href="/admin" className="text-sm text-slate-600 hover:text-slate-900">
                Admin
              </Link>
            ) : null}
            {user ? (
              <span className="ml-auto flex items-center gap-3 text-sm text-slate-500" data-signed-in={user.role}>
                <span>
                  {user.email} · {user.role}
                </span>
                <SignOutButton />
              </span>
            ) : null}
          </nav>
        </header>
        <TRPCReactProvider>
          <main className="mx-auto max-w-7xl px-6 py-6">{children}</main>
        </TRPCReactProvider>
      </body>
    </html>
  );
}
