// better-auth's endpoints (sign-in, sign-out, session, the SSO redirect and callback) under /api/auth.
import { getServerState } from '../../../../server/state';

export const dynamic = 'force-dynamic';

async function handler(req: Request): Promise<Response> {
  const { auth } = await getServerState();
  return auth.handler(req);
}

export { handler as GET, handler as POST };
