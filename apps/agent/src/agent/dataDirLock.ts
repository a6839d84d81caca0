/**
 * One agent per data directory: two processes draining one outbox would publish everything twice and fight over
 * acknowledgements. The lock is a file holding the owner's pid, created exclusively; a lock whose pid is no longer
 * running (the agent was killed) is taken over, so a crash never blocks the restart.
 */
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DataDirLock {
  file: string;
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/** Locks this process holds: a lock file with our own pid is stale (a container restarts as pid 1) unless listed here. */
const held = new Set<string>();

export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'agent.lock');
  if (held.has(file))
    throw new Error(`another agent (pid ${process.pid}) is using ${dataDir}; stop it or give this one another dataDir`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      held.add(file);
      return {
        file,
        release: () => {
          held.delete(file);
          try {
            if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file);
          } catch {
            // already gone: nothing to release
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot lock ${file}`, { cause: e });
      const owner = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
        throw new Error(`another agent (pid ${owner}) is using ${dataDir}; stop it or give this one another dataDir`);
      }
      unlinkSync(file); // stale: its agent is gone
    }
  }
  throw new Error(`cannot lock ${file}: it keeps reappearing`);
}
