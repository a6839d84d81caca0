// Liveness for start-up scripts and load balancers: answers once the database is open. Says nothing else.
import { getServerState } from '../../../server/state';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  try {
    await getServerState();
    return Response.json({ ok: true }, { headers: { 'cache-control': 'no-store' } });
  } catch {
    return Response.json({ ok: false }, { status: 503, headers: { 'cache-control': 'no-store' } });
  }
}
