/**
 * What a database error means for the ingest: transient (the connection, the server restarting, a lock or
 * serialisation conflict — worth another try) or not (the database refused this write; retrying cannot help). And
 * what may be said about it where: a generic line for counters and the fleet page, the error's own text (without
 * the query's parameters, which hold the message) only in the server log.
 */

interface ErrorLike {
  message?: string;
  code?: string;
  cause?: unknown;
}

/** The error and its causes, outermost first (drizzle wraps the driver's error as `cause`). */
function chain(err: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  for (let e = err, i = 0; e && typeof e === 'object' && i < 5; e = (e as ErrorLike).cause, i++) {
    out.push(e as ErrorLike);
  }
  return out;
}

/** The SQLSTATE of a PostgreSQL/PGlite error, if any. */
export function sqlState(err: unknown): string | undefined {
  return chain(err)
    .map((e) => e.code)
    .find((c): c is string => typeof c === 'string' && /^[0-9A-Z]{5}$/.test(c));
}

// SQLSTATE classes and codes worth a retry: connection exceptions (08), insufficient resources (53), operator
// intervention (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 57014 statement timeout),
// serialization failure and deadlock (40001, 40P01), lock not available (55P03).
const TRANSIENT_STATES = /^(08|53)|^(57P01|57P02|57P03|57014|40001|40P01|55P03)$/;
const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const TRANSIENT_MESSAGES =
  /connection terminated|connection ended|timeout exceeded when trying to connect|client has encountered a connection error|not queryable|connection refused/i;

export function isTransientDbError(err: unknown): boolean {
  const state = sqlState(err);
  if (state) return TRANSIENT_STATES.test(state);
  return chain(err).some(
    (e) => (typeof e.code === 'string' && TRANSIENT_NODE_CODES.has(e.code)) || TRANSIENT_MESSAGES.test(e.message ?? ''),
  );
}

/** For counters and the fleet page: no SQL, no parameters, no error text. */
export function dbErrorDetail(err: unknown, transient: boolean): string {
  const state = sqlState(err);
  if (transient) return `the database was unavailable${state ? ` (SQLSTATE ${state})` : ''}`;
  return `the database refused the write${state ? ` (SQLSTATE ${state})` : ''}; details in the server log`;
}

/**
 * For the server log: the driver's own message (the innermost error's, which names the problem — drizzle's outer
 * message is the query with its parameters, i.e. the whole payload) and the SQLSTATE, shortened.
 */
export function dbErrorLogText(err: unknown): string {
  const errors = chain(err);
  const inner = errors[errors.length - 1] ?? {};
  const state = sqlState(err);
  const text = (inner.message ?? String(err)).slice(0, 500);
  return `${state ? `SQLSTATE ${state}: ` : ''}${text}`;
}
