// modules/index.ts is the only list infrastructure reads: an entity, resolver or module defined under modules/ but
// not collected there would silently be missing from the ORM or the schema, so these tests fail instead.
import { readdirSync } from 'node:fs';
import { EntitySchema } from '@mikro-orm/core';
import { getMetadataStorage } from 'type-graphql';
import { describe, expect, it } from 'vitest';
import { useOrmDatabase } from '../test-support/orm-db.ts';
import { createLoaders, entities, modules, resolvers } from './index.ts';
import type { GatewayModule } from './module.ts';

const root = new URL('./', import.meta.url);
const folders = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

/** The exports of every `*<suffix>` file of a module folder, as [file, export name, value]. */
async function exportsOf(suffix: string): Promise<[string, string, unknown][]> {
  const found: [string, string, unknown][] = [];
  for (const folder of folders) {
    for (const file of readdirSync(new URL(`${folder}/`, root)).filter((f) => f.endsWith(suffix))) {
      const mod: Record<string, unknown> = await import(new URL(`${folder}/${file}`, root).href);
      for (const [name, value] of Object.entries(mod)) found.push([`${folder}/${file}`, name, value]);
    }
  }
  return found;
}

describe('modules/index.ts', () => {
  it('collects the module of every folder under modules/, once and under its folder name', async () => {
    const names = modules.map((m) => m.name);
    expect([...names].sort()).toEqual(folders);
    for (const folder of folders) {
      const mod: Record<string, unknown> = await import(new URL(`${folder}/index.ts`, root).href);
      const defined = Object.values(mod) as GatewayModule<object>[];
      expect(defined.map((m) => m.name)).toEqual([folder]);
      expect(modules).toContain(defined[0]);
    }
  });

  it('collects every entity exported by a *.entity.ts file', async () => {
    const defined = (await exportsOf('.entity.ts')).filter(([, , value]) => value instanceof EntitySchema);
    expect(defined.length).toBeGreaterThan(0);
    const missing = defined.filter(([, , value]) => !entities.includes(value as EntitySchema));
    expect(missing.map(([file, name]) => `${file}: ${name}`)).toEqual([]);
    expect(new Set(entities).size).toBe(entities.length);
  });

  it('collects every resolver class exported by a *.resolver.ts file', async () => {
    const defined = await exportsOf('.resolver.ts');
    const resolverClasses = new Set<unknown>(getMetadataStorage().resolverClasses.map((r) => r.target));
    const declared = defined.filter(([, , value]) => resolverClasses.has(value));
    expect(declared.length).toBeGreaterThan(0);
    const missing = declared.filter(([, , value]) => !(resolvers as unknown[]).includes(value));
    expect(missing.map(([file, name]) => `${file}: ${name}`)).toEqual([]);
    expect(new Set(resolvers).size).toBe(resolvers.length);
  });
});

describe('request loaders', () => {
  const fresh = useOrmDatabase();

  it("are every module's, each name defined by one module only", () => {
    const em = fresh.orm.em.fork();
    const perModule = modules.flatMap((m) => Object.keys(m.loaders(em)));
    expect(perModule.length).toBeGreaterThan(0);
    expect(perModule.filter((name, i) => perModule.indexOf(name) !== i)).toEqual([]);
    expect(Object.keys(createLoaders(em)).sort()).toEqual([...perModule].sort());
  });
});
