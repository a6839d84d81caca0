/**
 * `cmd/spectrum`: a viewer asks for a stretch of a spectrum this agent processed, at full resolution; the answer
 * comes from the FullSpectrumStore (docs/mqtt.md, "cmd/spectrum").
 */
import { spectrumRequestSchema, type SpectrumReply } from '@lapis/contracts';
import type { FullSpectrumStore } from './fullSpectrumStore';

export async function answerSpectrumRequest(
  store: FullSpectrumStore,
  instrument: string,
  body: unknown,
): Promise<SpectrumReply | { requestId?: string; error: string }> {
  const parsed = spectrumRequestSchema.safeParse(body);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    // the request id, where there is one, so the viewer that asked hears why
    const id = (body as { requestId?: unknown } | null)?.requestId;
    return {
      ...(typeof id === 'string' && id.length <= 128 ? { requestId: id } : {}),
      error: `bad spectrum request: ${first?.path.join('.') || '(root)'}: ${first?.message}`,
    };
  }
  const { requestId, key } = parsed.data;
  const answer = await store
    .region(parsed.data)
    .catch((err: Error) => ({ error: `the stored spectrum could not be read: ${err.message}` }));
  return { requestId, instrument, at: new Date().toISOString(), key, ...answer };
}
