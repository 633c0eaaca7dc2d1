// The Kubernetes manifests in deploy/kubernetes/, parsed and checked against what the services read (src/config.ts):
// ports, probes, every environment variable, resources, and that the objects refer to each other correctly.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { repoRoot } from '../harness/paths.ts';
import { controlPlaneEnv, dataPlaneEnv, probes, type ServiceEnv } from './service-env.ts';

// biome-ignore lint/suspicious/noExplicitAny: manifests are free-form YAML; each check names the fields it reads.
type Obj = any;

const base = join(repoRoot, 'deploy', 'kubernetes', 'base');
const overlay = join(repoRoot, 'deploy', 'kubernetes', 'overlays', 'example');

function loadKustomization(dir: string): { k: Obj; objects: Obj[] } {
  const k = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8'));
  const objects: Obj[] = [];
  for (const res of k.resources as string[]) {
    const path = join(dir, res);
    expect(existsSync(path), `${dir}: resource ${res} exists`).toBe(true);
    if (existsSync(join(path, 'kustomization.yaml'))) continue;
    for (const doc of parseAllDocuments(readFileSync(path, 'utf8'))) {
      expect(doc.errors, path).toEqual([]);
      objects.push(doc.toJSON());
    }
  }
  return { k, objects };
}

const { k: baseK, objects } = loadKustomization(base);
const find = (kind: string, name: string): Obj => objects.find((o) => o.kind === kind && o.metadata.name === name);
const secret = find('Secret', 'gateway-secrets');

/** Every variable a container gets: its env entries and the keys of the ConfigMaps it takes whole. */
function containerEnv(c: Obj): { names: Set<string>; optional: Set<string> } {
  const names = new Set<string>();
  const optional = new Set<string>();
  for (const from of c.envFrom ?? []) {
    const cm = find('ConfigMap', from.configMapRef?.name);
    expect(cm, `ConfigMap ${from.configMapRef?.name}`).toBeDefined();
    for (const key of Object.keys(cm.data)) names.add(key);
  }
  for (const e of c.env ?? []) {
    names.add(e.name);
    const ref = e.valueFrom?.secretKeyRef;
    if (ref) {
      expect(ref.name).toBe('gateway-secrets');
      expect(Object.keys(secret.stringData), `${e.name} is a key of the Secret`).toContain(ref.key);
      if (ref.optional) optional.add(e.name);
    }
  }
  return { names, optional };
}

function configValue(c: Obj, name: string): string | undefined {
  for (const from of c.envFrom ?? []) {
    const v = find('ConfigMap', from.configMapRef?.name)?.data?.[name];
    if (v !== undefined) return v;
  }
  return c.env?.find((e: Obj) => e.name === name)?.value;
}

describe.each([
  ['gateway-control-plane', controlPlaneEnv()],
  ['gateway-data-plane', dataPlaneEnv()],
] as [string, ServiceEnv][])('%s', (name, reads) => {
  const deployment = find('Deployment', name);
  const pod = deployment.spec.template;
  const [c] = pod.spec.containers;

  it('is a Deployment whose selector matches its pods, and a Service that reaches them', () => {
    expect(deployment.spec.selector.matchLabels).toEqual(
      expect.objectContaining(Object.fromEntries(Object.entries(pod.metadata.labels))),
    );
    const svc = find('Service', name);
    for (const [k, v] of Object.entries(svc.spec.selector)) expect(pod.metadata.labels[k]).toBe(v);
    expect(c.ports.map((p: Obj) => p.name)).toContain(svc.spec.ports[0].targetPort);
  });

  it('listens where its port variable says, and probes liveness on /healthz and readiness on /readyz there', () => {
    const port = Number(configValue(c, reads.portVariable) ?? reads.defaultPort);
    const http = c.ports.find((p: Obj) => p.name === 'http');
    expect(http.containerPort).toBe(port);
    expect(c.livenessProbe.httpGet).toEqual({ path: probes.liveness, port: 'http' });
    expect(c.readinessProbe.httpGet).toEqual({ path: probes.readiness, port: 'http' });
    expect(configValue(c, reads.portVariable === 'CP_PORT' ? 'CP_HOST' : 'DP_HOST')).toBe('0.0.0.0');
  });

  it('gets every variable the service reads, and nothing it does not read; required ones are never optional', () => {
    const { names, optional } = containerEnv(c);
    expect(
      [...reads.all].filter((v) => !names.has(v)),
      'read but not set',
    ).toEqual([]);
    expect(
      [...names].filter((v) => !reads.all.has(v)),
      'set but never read',
    ).toEqual([]);
    expect([...reads.required].filter((v) => optional.has(v))).toEqual([]);
  });

  it('keeps secrets out of ConfigMaps', () => {
    const cmKeys = (c.envFrom ?? []).flatMap((f: Obj) => Object.keys(find('ConfigMap', f.configMapRef.name).data));
    for (const key of Object.keys(secret.stringData)) expect(cmKeys).not.toContain(key);
  });

  it('requests CPU and memory, and runs as a non-root user', () => {
    expect(c.resources.requests.cpu).toBeTruthy();
    expect(c.resources.requests.memory).toBeTruthy();
    expect(pod.spec.securityContext.runAsNonRoot).toBe(true);
  });
});

describe('gateway-data-plane', () => {
  const deployment = find('Deployment', 'gateway-data-plane');
  const pod = deployment.spec.template;
  const [c] = pod.spec.containers;

  it('names each node after its pod and keeps its state dir on a volume', () => {
    expect(c.env.find((e: Obj) => e.name === 'NODE_ID').valueFrom.fieldRef.fieldPath).toBe('metadata.name');
    const stateDir = configValue(c, 'DP_STATE_DIR');
    const mount = c.volumeMounts.find((m: Obj) => m.mountPath === stateDir);
    expect(pod.spec.volumes.map((v: Obj) => v.name)).toContain(mount.name);
  });

  it('follows the control-plane Service at its port', () => {
    const url = new URL(configValue(c, 'CONTROL_PLANE_URL')!);
    const cpSvc = find('Service', url.hostname);
    expect(cpSvc.spec.ports[0].port).toBe(Number(url.port));
  });

  it('is given time to drain and send its usage before it is killed', () => {
    const graceMs = Number(configValue(c, 'SHUTDOWN_GRACE_MS'));
    const preStopS = Number(c.lifecycle.preStop.exec.command[1]);
    expect(pod.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThanOrEqual(preStopS * 1000 + graceMs + 5000);
  });

  it('scales with an HPA and keeps a PodDisruptionBudget below its minimum', () => {
    const hpa = find('HorizontalPodAutoscaler', 'gateway-data-plane');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'gateway-data-plane' });
    const pdb = find('PodDisruptionBudget', 'gateway-data-plane');
    for (const [k, v] of Object.entries(pdb.spec.selector.matchLabels)) expect(pod.metadata.labels[k]).toBe(v);
    expect(pdb.spec.minAvailable).toBeLessThan(hpa.spec.minReplicas);
  });
});

describe('gateway-web', () => {
  it('gets exactly the variable its entrypoint reads, and serves its probes on its port', () => {
    const [c] = find('Deployment', 'gateway-web').spec.template.spec.containers;
    expect([...containerEnv(c).names]).toEqual(['GRAPHQL_URL']);
    expect(readFileSync(join(repoRoot, 'deploy/docker/web/entrypoint.sh'), 'utf8')).toContain('GRAPHQL_URL');
    const nginx = readFileSync(join(repoRoot, 'deploy/docker/web/nginx.conf'), 'utf8');
    expect(nginx).toContain(`listen ${c.ports[0].containerPort};`);
    expect(nginx).toContain(`location = ${c.readinessProbe.httpGet.path} {`);
  });
});

describe('Ingress and overlay', () => {
  it('routes every host and path to a Service port that exists', () => {
    const ingress = find('Ingress', 'gateway');
    const backends = ingress.spec.rules.flatMap((r: Obj) => r.http.paths.map((p: Obj) => p.backend.service));
    expect(backends.map((b: Obj) => b.name).sort()).toEqual([
      'gateway-control-plane',
      'gateway-data-plane',
      'gateway-web',
    ]);
    for (const b of backends) expect(find('Service', b.name).spec.ports.map((p: Obj) => p.name)).toContain(b.port.name);
  });

  it('gives every image of the base a tag, and the example overlay replaces the Secret with the same keys', () => {
    const images = objects
      .filter((o) => o.kind === 'Deployment')
      .map((d) => d.spec.template.spec.containers[0].image)
      .sort();
    expect(baseK.images.map((i: Obj) => i.name).sort()).toEqual(images);
    const { k } = loadKustomization(overlay);
    expect(k.resources).toContain('../../base');
    expect(k.images.map((i: Obj) => i.name).sort()).toEqual(images);
    const gen = k.secretGenerator.find((g: Obj) => g.name === 'gateway-secrets');
    expect(gen.behavior).toBe('replace');
    const example = readFileSync(join(overlay, `${gen.envs[0]}.example`), 'utf8');
    const keys = [...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]).sort();
    expect(keys).toEqual(Object.keys(secret.stringData).sort());
  });

  it('patches only objects and fields the base has', () => {
    const { k } = loadKustomization(overlay);
    for (const p of k.patches) {
      const target = find(p.target.kind, p.target.name);
      expect(target, `${p.target.kind}/${p.target.name}`).toBeDefined();
      for (const op of parse(p.patch) as { op: string; path: string }[]) {
        const value = op.path
          .split('/')
          .slice(1)
          .reduce((o: Obj, key) => o?.[key], target);
        expect(value, `${p.target.name} ${op.path}`).toBeDefined();
      }
    }
    expect(dirname(overlay)).toContain('overlays');
  });
});
