// Routes (named, lazily loaded) and the guard that keeps signed-out visitors on the login page.
import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router';
import { onUnauthenticated } from './graphql/client';
import { sessionToken } from './graphql/session';

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
      component: () => import('./components/layout/AppLayout.vue'),
      children: [
        { path: '', name: 'home', redirect: { name: 'organizations' } },
        {
          path: 'organizations',
          name: 'organizations',
          component: () => import('./pages/organizations/List.vue'),
          meta: { title: 'Organizations' },
        },
        {
          path: 'organizations/new',
          name: 'organization-create',
          component: () => import('./pages/organizations/Form.vue'),
          meta: { title: 'New organization' },
        },
        {
          path: 'organizations/:orgId',
          component: () => import('./pages/organizations/Detail.vue'),
          props: true,
          children: [
            { path: '', name: 'organization', redirect: { name: 'organization-teams' } },
            {
              path: 'teams',
              name: 'organization-teams',
              component: () => import('./pages/teams/List.vue'),
              props: true,
              meta: { title: 'Teams' },
            },
            {
              path: 'teams/new',
              name: 'team-create',
              component: () => import('./pages/teams/Form.vue'),
              props: true,
              meta: { title: 'New team' },
            },
            {
              path: 'users',
              name: 'organization-users',
              component: () => import('./pages/users/List.vue'),
              props: true,
              meta: { title: 'Users' },
            },
            {
              path: 'users/new',
              name: 'user-create',
              component: () => import('./pages/users/Form.vue'),
              props: true,
              meta: { title: 'New user' },
            },
            {
              path: 'keys',
              name: 'organization-keys',
              component: () => import('./pages/virtual-keys/List.vue'),
              props: true,
              meta: { title: 'Virtual keys' },
            },
            {
              path: 'keys/new',
              name: 'virtual-key-create',
              component: () => import('./pages/virtual-keys/Form.vue'),
              props: true,
              meta: { title: 'New virtual key' },
            },
          ],
        },
        {
          path: ':pathMatch(.*)*',
          name: 'not-found',
          component: () => import('./pages/errors/NotFound.vue'),
          meta: { title: 'Page not found' },
        },
      ],
    },
  ],
});

/** Only same-app paths are accepted as a post-login destination, never another origin. */
export function safeRedirect(value: unknown): string | undefined {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : undefined;
}

function loginFor(to: RouteLocationNormalized) {
  return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
}

router.beforeEach((to) => {
  const isPublic = to.meta.public === true;
  if (!isPublic && !sessionToken.value) return loginFor(to);
  if (to.name === 'login' && sessionToken.value) return safeRedirect(to.query.redirect) ?? { name: 'organizations' };
  return true;
});

router.afterEach((to) => {
  const title = typeof to.meta.title === 'string' ? to.meta.title : undefined;
  document.title = title ? `${title} · LLM Gateway admin` : 'LLM Gateway admin';
});

// The API rejected the session (expired, revoked): back to the login page, remembering where the admin was.
onUnauthenticated(() => {
  const current = router.currentRoute.value;
  if (current.meta.public !== true) void router.replace(loginFor(current));
});
