/** Live: a server-sent-events subscription of changes, so open pages re-fetch when something new arrives. */
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { createTRPCRouter, viewerProcedure } from '../trpc';

export const liveRouter = createTRPCRouter({
  // tRPC adds the browser's Last-Event-ID on a reconnection; the feed only says "something changed", so a page
  // catches up by re-rendering (LiveRefresh) and the id is accepted but not replayed from.
  changes: viewerProcedure
    .input(z.strictObject({ lastEventId: z.string().max(32).nullish() }).optional())
    .subscription(async function* ({ ctx, signal }) {
      for await (const { id, change } of ctx.bus.subscribe(signal)) {
        yield tracked(String(id), change);
      }
    }),
});
