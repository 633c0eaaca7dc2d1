// A clock for relative times ("12 seconds ago") and a refresh every few seconds while the page is open: paused
// while the tab is hidden or the admin turns it off, never overlapping a refresh still running, stopped on leave.
import { onScopeDispose, ref } from 'vue';

export function useAutoRefresh(refresh: () => Promise<void>, everyMs = 5000) {
  const enabled = ref(true);
  /** True while a timer-started refresh runs: the page keeps its rows instead of showing a loading state. */
  const background = ref(false);
  const now = ref(Date.now());
  let lastRun = Date.now();

  async function tick(): Promise<void> {
    now.value = Date.now();
    if (!enabled.value || background.value || document.visibilityState === 'hidden') return;
    if (now.value - lastRun < everyMs) return;
    lastRun = now.value;
    background.value = true;
    try {
      await refresh();
    } finally {
      background.value = false;
    }
  }

  const timer = window.setInterval(() => void tick(), 1000);
  onScopeDispose(() => window.clearInterval(timer));

  /** A refresh the admin asked for; the next automatic one comes a full period later. */
  async function refreshNow(): Promise<void> {
    lastRun = Date.now();
    await refresh();
  }

  return { enabled, background, now, refreshNow };
}
