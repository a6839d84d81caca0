// Server components call the routers in-process (no HTTP round trip to themselves).
import { createCaller } from '../server/api/root';
import { createContext } from '../server/state';

export async function api() {
  return createCaller(await createContext());
}
