// Next calls register() once when the server starts: check that sign-in is configured (a production server
// without it refuses to start), open the database and start the MQTT ingest there, so results are stored even
// while no page is open.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { checkSignInConfigured } = await import('./server/startupChecks');
  checkSignInConfigured();
  const { getServerState } = await import('./server/state');
  try {
    await getServerState();
  } catch (err) {
    // Pages will show the error; the server itself stays up.
    console.error('[dashboard] start-up failed', err);
  }
}
