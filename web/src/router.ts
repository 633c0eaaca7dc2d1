// Routes (named, lazily loaded) and the guard: signed-out visitors go to the login page, org roles stay in their
// own org's panel, and the platform panel is for platform admins only. The API enforces the same on every request.
import { createRouter, createWebHistory } from 'vue-router';
import { useSession } from './composables/use-session';
import { onUnauthenticated } from './graphql/client';
import { sessionToken } from './graphql/session';
import type { Panel, PanelRoutes } from './navigation';

// Each page folder with pages has a `routes.ts` exporting `panelRoutes` (see navigation.ts).
const declared = Object.values(import.meta.glob<{ panelRoutes: PanelRoutes }>('./pages/**/routes.ts', { eager: true }));
const routesOf = (panel: Panel) => declared.flatMap((m) => (m.panelRoutes.panel === panel ? m.panelRoutes.routes : []));

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    {
      path: '/login',
      name: 'login',
      component: () => import('./pages/auth/Login.vue'),
      meta: { public: true, title: 'Sign in' },
    },
    {
      path: '/',
      component: () => import('./components/layout/AppShell.vue'),
      children: [
        { path: '', name: 'home', component: () => import('./pages/Home.vue'), meta: { title: 'Home' } },
        {
          path: 'platform',
          meta: { panel: 'platform' },
          children: [{ path: '', redirect: { name: 'platform-organizations' } }, ...routesOf('platform')],
        },
        {
          path: 'orgs/:orgId',
          component: () => import('./pages/org/OrgPanel.vue'),
          props: true,
          meta: { panel: 'org' },
          children: [{ path: '', redirect: { name: 'org-overview' } }, ...routesOf('org')],
        },
        {
          path: ':pathMatch(.*)*',
          name: 'not-found',
          component: () => import('./pages/NotFound.vue'),
          meta: { title: 'Not found' },
        },
      ],
    },
  ],
});

router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  if (!sessionToken.value) return { name: 'login', query: { next: to.fullPath } };
  const admin = await useSession().loadAdmin();
  if (!admin) return sessionToken.value ? true : { name: 'login', query: { next: to.fullPath } };
  const panel = to.matched.find((r) => r.meta.panel)?.meta.panel;
  if (panel === 'platform' && admin.role !== 'PLATFORM_ADMIN') return { name: 'home' };
  if (panel === 'org' && admin.role !== 'PLATFORM_ADMIN' && to.params.orgId !== admin.orgId) return { name: 'home' };
  return true;
});

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · LLM Gateway` : 'LLM Gateway';
});

// A session the API no longer accepts ends here: back to the login page, then to where the admin was.
onUnauthenticated(() => {
  const current = router.currentRoute.value;
  if (!current.meta.public) void router.replace({ name: 'login', query: { next: current.fullPath } });
});
