// Short-lived confirmations shown in the toast region after an action succeeds or fails.
import { ref } from 'vue';

export interface Notice {
  id: number;
  message: string;
  tone: 'info' | 'danger';
}

const lifetimeMs = 6000;
/** Older notices give way, so a burst of actions never covers the page. */
const maxVisible = 3;
let nextId = 1;

export const notices = ref<Notice[]>([]);

export function dismissNotice(id: number): void {
  notices.value = notices.value.filter((n) => n.id !== id);
}

export function notify(message: string, tone: Notice['tone'] = 'info'): void {
  const id = nextId++;
  notices.value = [...notices.value, { id, message, tone }].slice(-maxVisible);
  window.setTimeout(() => dismissNotice(id), lifetimeMs);
}
