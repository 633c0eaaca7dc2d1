// The layout rule of web/src, read from the source itself: a panel's pages never import the other panel's pages,
// what both panels use lives in components/ or composables/ (never in a shared folder under pages/), and those
// never import pages.
import { describe, expect, it } from 'vitest';

/** Folders under pages/ that would hold pieces for several pages: such pieces belong in components/ or composables/. */
const sharedFolder = /^pages\/(?:.+\/)?(?:shared|components|common)\//;

/** The module specifiers a file imports (static, re-exports, side-effect and dynamic imports). */
function importsOf(text: string): string[] {
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s*)(['"])([^'"]+)\1/gm;
  return [...text.matchAll(pattern)].map((m) => m[2] as string);
}

/** The path below web/src a relative specifier of `file` points at; null for packages. */
function resolveImport(file: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const parts = file.split('/').slice(0, -1);
  for (const part of specifier.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
  }
  return parts.join('/');
}

const panelOf = (path: string): string | undefined => /^pages\/(platform|org)\//.exec(path)?.[1];

/** Every import that breaks the layout rule, as "file -> target: why". */
function pageBoundaryViolations(files: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [file, text] of Object.entries(files)) {
    for (const specifier of importsOf(text)) {
      const target = resolveImport(file, specifier);
      if (target === null) continue;
      const why = (() => {
        if (sharedFolder.test(target))
          return 'imports from a shared folder under pages/ (use components/ or composables/)';
        const [from, to] = [panelOf(file), panelOf(target)];
        if (from && to && from !== to) return `a ${from} page imports another panel's pages (${to})`;
        if (/^(components|composables)\//.test(file) && target.startsWith('pages/'))
          return 'components/composables imports pages';
        return null;
      })();
      if (why) found.push(`${file} -> ${specifier}: ${why}`);
    }
  }
  return found;
}

const sources = import.meta.glob<string>(
  ['./**/*.ts', './**/*.vue', '!./graphql/generated/**', '!./page-boundaries.test.ts'],
  {
    query: '?raw',
    import: 'default',
    eager: true,
  },
);
const files = Object.fromEntries(Object.entries(sources).map(([path, text]) => [path.slice(2), text]));

describe('page boundaries', () => {
  it('reads the source tree', () => {
    expect(Object.keys(files)).toContain('pages/platform/organizations/List.vue');
    expect(Object.keys(files)).toContain('pages/org/keys/List.vue');
    expect(Object.keys(files)).toContain('components/common/PageHeader.vue');
  });

  it('holds in web/src', () => {
    expect(pageBoundaryViolations(files)).toEqual([]);
  });

  it.each([
    ['pages/platform/models/List.vue', "import X from '../../org/keys/KeysTable.vue';", 'imports another panel'],
    ['pages/org/keys/List.vue', "import { a } from '../../platform/models/model-rules';", 'imports another panel'],
    ['pages/org/keys/List.vue', "import X from '../../shared/Thing.vue';", 'shared folder'],
    ['pages/org/keys/List.vue', "import X from '../components/Thing.vue';", 'shared folder'],
    ['pages/platform/fleet/List.vue', "import { a } from '../shared/format';", 'shared folder'],
    ['components/common/X.vue', "import { a } from '../../pages/org/keys/key-form';", 'imports pages'],
    ['composables/use-x.ts', "const P = () => import('../pages/platform/models/Detail.vue');", 'imports pages'],
  ])('refuses %s with %s', (file, line, reason) => {
    const violations = pageBoundaryViolations({ [file]: `${line}\n` });
    expect(violations).toHaveLength(1);
    expect(violations[0]).toContain(reason);
  });

  it.each([
    ['pages/org/users/Detail.vue', "import KeysTable from '../keys/KeysTable.vue';"],
    ['pages/platform/usage/Usage.vue', "import X from '../../../components/usage/UsageDashboard.vue';"],
    ['pages/org/keys/List.vue', "import { useOrgScope } from '../../../composables/use-org-scope';"],
    ['router.ts', "const P = () => import('./pages/org/OrgPanel.vue');"],
  ])('allows %s with %s', (file, line) => {
    expect(pageBoundaryViolations({ [file]: `${line}\n` })).toEqual([]);
  });

  it('finds static, dynamic and side-effect imports and resolves them', () => {
    const text =
      "import a from './a';\nimport './b.css';\nconst c = () => import('../c/C.vue');\nexport { d } from './d';\n";
    expect(importsOf(text)).toEqual(['./a', './b.css', '../c/C.vue', './d']);
    expect(resolveImport('pages/org/keys/List.vue', '../../platform/x')).toBe('pages/platform/x');
    expect(resolveImport('pages/org/keys/List.vue', 'vue')).toBeNull();
  });
});
