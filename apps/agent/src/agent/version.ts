/**
 * Versions that go into every result's provenance. PIPELINE_VERSION is part of the idempotency key: bump it when
 * processing changes what a result means (a new default, a fixed bug), so results get new keys and are redone.
 */
import { LAPIS_SOFTWARE, LAPIS_VERSION } from '../version';

export const PIPELINE_VERSION = 'classical/1';

export const SOFTWARE_VERSION = `${LAPIS_SOFTWARE} ${LAPIS_VERSION}`;
