// Server components call the routers in-process (no HTTP round trip to themselves), as the person whose session
// cookie came with the page request: the routers check their role exactly as over HTTP.
import { headers } from 'next/headers';
import { createCaller } from '../server/api/root';
import { createContext } from '../server/state';

export async function api() {
  return createCaller(await createContext(await headers()));
}
