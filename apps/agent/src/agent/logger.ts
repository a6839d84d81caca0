/**
 * pino structured logs. The logger is created once by the command and injected into every part, so tests can pass
 * a silent one or capture lines.
 */
import { pino } from 'pino';
import type { Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    { name: 'lapis-agent', level, base: { pid: process.pid } },
    destination ?? pino.destination({ fd: 2, sync: true }),
  );
}

/** A logger that drops everything (tests). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
