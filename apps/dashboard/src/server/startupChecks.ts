/**
 * Checks made once when the server starts (src/instrumentation.ts): a production server whose sign-in is not
 * configured stops here with the reason rather than serve results to anyone who reaches its port.
 */
import { authProblem, readEnv } from '../env';

export function checkSignInConfigured(): void {
  const problem = authProblem(readEnv());
  if (!problem) return;
  if (process.env.NODE_ENV === 'production') {
    console.error(
      `[dashboard] refusing to serve: sign-in is not configured — ${problem}. See docs/dashboard.md, "Sign-in".`,
    );
    process.exit(1);
  }
  console.warn(`[dashboard] development only: ${problem}; sessions are signed with a development secret`);
}
