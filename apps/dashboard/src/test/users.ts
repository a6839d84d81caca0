/** People for router tests: one of each role (contexts for createCaller; not in any database). */
import type { Role, SessionUser } from '../server/auth/roles';

export const testUser = (role: Role): SessionUser => ({
  id: `test-${role}`,
  email: `${role}@example.org`,
  name: `Test ${role}`,
  role,
});
