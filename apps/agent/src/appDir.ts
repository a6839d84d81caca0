/**
 * Where the agent app and the repository are on disk. This module sits one folder below apps/agent, as every file
 * of the built output does (apps/agent/dist), so the same relative path holds whether it runs from src or dist:
 * paths built from another module's import.meta.url would not survive bundling.
 */
import { fileURLToPath } from 'node:url';

/** apps/agent, with a trailing separator. */
export const APP_DIR = fileURLToPath(new URL('../', import.meta.url));

/** The repository root (examples/, models/, apps/dashboard), with a trailing separator. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
