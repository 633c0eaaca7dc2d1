// Ambient types: Vite's client globals and the route meta fields this app uses.
/// <reference types="vite/client" />
import 'vue-router';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session (the login page). */
    public?: boolean;
    /** Browser tab title. */
    title?: string;
  }
}
