// Repository paths the harness needs: the repo root, the service entry points and the log folder.
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const controlPlaneMain = fileURLToPath(new URL('../../control-plane/dist/main.js', import.meta.url));
export const dataPlaneMain = fileURLToPath(new URL('../../data-plane/src/main.ts', import.meta.url));
export const logDir = fileURLToPath(new URL('../../test-results/logs/', import.meta.url));
