/** Live: a server-sent-events subscription of changes, so open pages re-fetch when something new arrives. */
import { tracked } from '@trpc/server';
import { createTRPCRouter, publicProcedure } from '../trpc';

export const liveRouter = createTRPCRouter({
  changes: publicProcedure.subscription(async function* ({ ctx, signal }) {
    for await (const { id, change } of ctx.bus.subscribe(signal)) {
      yield tracked(String(id), change);
    }
  }),
});
