// Builds the control plane before the suite when its dist/ is missing or older than its sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { controlPlaneMain, repoRoot } from '../harness/paths.ts';

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

export default function setup(): void {
  const cpDir = join(repoRoot, 'control-plane');
  const built = existsSync(controlPlaneMain) ? statSync(controlPlaneMain).mtimeMs : 0;
  if (built >= newestSource(join(cpDir, 'src'))) return;
  const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  console.log('e2e: building the control plane (dist/ is missing or stale)');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: cpDir, stdio: 'inherit' });
}
