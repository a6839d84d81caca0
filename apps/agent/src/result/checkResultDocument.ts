import { resultDocSchema } from '@lapis/contracts';
import type { ResultDoc } from '@lapis/contracts';

/**
 * Checks a document against `lapis-result/1` before anything writes or publishes it; a document that fails is a bug
 * in the builder (`who`), reported with the first offending path. Returns the document as built, not zod's copy:
 * same content, but the keys stay in the order written (a D–T2 peak at { D, T2 }, following the axes).
 */
export function checkResultDocument(doc: unknown, who: string): ResultDoc {
  const parsed = resultDocSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${who}: the result does not meet lapis-result/1 (${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'})`,
      { cause: parsed.error },
    );
  }
  return doc as ResultDoc;
}
