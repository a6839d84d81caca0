'use client';
/**
 * Keeps a server-rendered page current: listens to the tRPC live subscription (SSE) and re-renders the page on
 * the server when a relevant change arrives (bursts are coalesced into one refresh).
 */
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { useTRPCClient } from '../trpc/react';

export function LiveRefresh({ instrumentId, acquisitionKey }: { instrumentId?: string; acquisitionKey?: string }) {
  const client = useTRPCClient();
  const router = useRouter();
  const [state, setState] = useState<'connecting' | 'live' | 'error'>('connecting');
  const [last, setLast] = useState<string | null>(null);
  const started = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // A refused stream (the server's cap on live connections: 429/503) is not retried by the browser; try again later.
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let retry: ReturnType<typeof setTimeout> | undefined;
    const sub = client.live.changes.subscribe(undefined, {
      onStarted: () => {
        setState('live');
        // Changes made while the stream was down were not seen: catch up once on every reconnection.
        if (started.current) router.refresh();
        started.current = true;
      },
      onError: () => {
        setState('error');
        retry = setTimeout(() => setAttempt((n) => n + 1), 10_000);
      },
      onConnectionStateChange: (s) =>
        setState(s.state === 'pending' ? 'live' : s.state === 'connecting' ? 'connecting' : 'error'),
      onData: (msg) => {
        const change = msg.data;
        if (instrumentId && change.instrumentId !== instrumentId) return;
        // An acquisition page changes only if its own key arrives (a replay); instrument pages on any change.
        if (acquisitionKey && !(change.type === 'acquisition' && change.key === acquisitionKey)) return;
        setLast(new Date().toLocaleTimeString());
        clearTimeout(timer.current);
        timer.current = setTimeout(() => router.refresh(), 250);
      },
    });
    return () => {
      clearTimeout(timer.current);
      clearTimeout(retry);
      sub.unsubscribe();
    };
  }, [client, router, instrumentId, acquisitionKey, attempt]);
  const dot = state === 'live' ? 'bg-emerald-500' : state === 'connecting' ? 'bg-amber-400' : 'bg-rose-500';
  return (
    <span className="flex items-center gap-2 text-xs text-slate-500" data-live={state}>
      <span className={`inline-block h-2 w-2 rounded-full ${dot}`} />
      {state === 'live' ? 'live' : state}
      {last ? ` · updated ${last}` : ''}
    </span>
  );
}
