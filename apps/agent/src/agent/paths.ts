/** Paths of the agent's watch roots. */
import { sep } from 'node:path';

/** Whether `child` is `parent` or lies below it (`parent` with or without a trailing separator). */
export function inside(parent: string, child: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}
