/** The app router: every router of the dashboard, and its type for the client. */
import { acquisitionRouter } from './routers/acquisition';
import { adminRouter } from './routers/admin';
import { alertsRouter } from './routers/alerts';
import { qcRouter } from './routers/qc';
import { reprocessRouter } from './routers/reprocess';
import { spectrumRouter } from './routers/spectrum';
import { fleetRouter } from './routers/fleet';
import { instrumentRouter } from './routers/instrument';
import { liveRouter } from './routers/live';
import { populationsRouter } from './routers/populations';
import { trendsRouter } from './routers/trends';
import { createCallerFactory, createTRPCRouter } from './trpc';

export const appRouter = createTRPCRouter({
  fleet: fleetRouter,
  instrument: instrumentRouter,
  acquisition: acquisitionRouter,
  spectrum: spectrumRouter,
  trends: trendsRouter,
  populations: populationsRouter,
  live: liveRouter,
  admin: adminRouter,
  reprocess: reprocessRouter,
  alerts: alertsRouter,
  qc: qcRouter,
});

export type AppRouter = typeof appRouter;

/** Calls procedures in-process: `createCaller(ctx).fleet.list()` — used by server components and tests. */
export const createCaller = createCallerFactory(appRouter);
