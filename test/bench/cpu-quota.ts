// A CPU quota for the process under test (Linux cgroups, v1 or v2), so that in the throughput scenario it saturates
// its share of a core before the load generator and the fixture saturate theirs: its maximum throughput on one
// core is then the rate it reaches divided by the share. Needs write access to the cgroup tree (root, usually).
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const periodUs = 100_000;

export interface CpuQuota {
  /** Share of one core the processes inside get, e.g. 0.4. */
  readonly share: number;
  /** Moves a process (all its threads) under the quota. */
  add(pid: number): void;
  /** Moves it back to where it came from. */
  release(pid: number): void;
  dispose(): void;
}

interface Layout {
  /** The cgroup directory holding this process now. */
  parent: string;
  write(dir: string, share: number): void;
}

function layout(): Layout | null {
  const own = readFileSync('/proc/self/cgroup', 'utf8').split('\n');
  const v2 = '/sys/fs/cgroup/cgroup.controllers';
  if (existsSync(v2) && readFileSync(v2, 'utf8').split(/\s+/).includes('cpu')) {
    const path = own.find((l) => l.startsWith('0::'))?.slice(3) ?? '/';
    return {
      parent: join('/sys/fs/cgroup', path),
      write: (dir, share) => writeFileSync(join(dir, 'cpu.max'), `${Math.round(share * periodUs)} ${periodUs}`),
    };
  }
  const line = own.find((l) => /^\d+:([^:]*,)?cpu(,[^:]*)?:/.test(l));
  const mount = ['/sys/fs/cgroup/cpu', '/sys/fs/cgroup/cpu,cpuacct'].find((m) =>
    existsSync(join(m, 'cpu.cfs_quota_us')),
  );
  if (!line || !mount) return null;
  return {
    parent: join(mount, line.split(':')[2]),
    write: (dir, share) => {
      writeFileSync(join(dir, 'cpu.cfs_period_us'), String(periodUs));
      writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(Math.round(share * periodUs)));
    },
  };
}

/** A quota of `share` of one core, or null where cgroups cannot be written (then no quota is used). */
export function createCpuQuota(share: number): CpuQuota | null {
  const l = layout();
  if (!l) return null;
  const dir = join(l.parent, `gw-bench-${process.pid}`);
  try {
    mkdirSync(dir);
    l.write(dir, share);
  } catch {
    try {
      rmdirSync(dir);
    } catch {
      // never created
    }
    return null;
  }
  return {
    share,
    add: (pid) => writeFileSync(join(dir, 'cgroup.procs'), String(pid)),
    release: (pid) => writeFileSync(join(l.parent, 'cgroup.procs'), String(pid)),
    dispose: () => {
      for (const pid of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) {
        writeFileSync(join(l.parent, 'cgroup.procs'), pid);
      }
      rmdirSync(dir);
    },
  };
}
