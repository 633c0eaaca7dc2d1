// Routes (named, lazily loaded) and the guard: signed-out visitors go to the login page, org roles stay in their
// own org's panel, and the platform panel is for platform admins only. The API enforces the same on every request.
import { createRouter, createWebHistory } from 'vue-router';
import { useSession } from './composables/use-session';
import { onUnauthenticated } from './graphql/client';
import { sessionToken } from './graphql/session';
import { type Panel, type PanelRoutes, panelAllows } from './navigation';
import { nextPath } from './pages/auth/sign-in';

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

// Registered first. During a navigation the guard below sees a lost session itself and sends the admin to the
// login page with the page they were opening; the listener at the end must not supersede that with the page they
// were leaving.
let navigating = false;
router.beforeEach(() => {
  navigating = true;
});
router.afterEach(() => {
  navigating = false;
});
router.onError(() => {
  navigating = false;
});

router.beforeEach(async (to) => {
  if (to.name === 'login') {
    // Already signed in (a bookmark, the back button): straight on to where the login page would lead.
    if (!sessionToken.value || !(await useSession().loadAdmin())) return true;
    return nextPath(to.query.next);
  }
  if (to.meta.public) return true;
  if (!sessionToken.value) return { name: 'login', query: { next: to.fullPath } };
  const admin = await useSession().loadAdmin();
  // No admin but a token: the API could not be reached; the page shows the failure of its own requests.
  if (!admin) return sessionToken.value ? true : { name: 'login', query: { next: to.fullPath } };
  const panel = to.matched.find((r) => r.meta.panel)?.meta.panel;
  return panelAllows(admin, panel, to.params.orgId) ? true : { name: 'home' };
});

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · LLM Gateway` : 'LLM Gateway';
});

// A session the API no longer accepts ends here: back to the login page, then to where the admin was.
onUnauthenticated(() => {
  const current = router.currentRoute.value;
  if (!navigating && !current.meta.public) void router.replace({ name: 'login', query: { next: current.fullPath } });
});
