// Copies text to the clipboard and remembers for a moment that it did, for "Copied" feedback.
import { onScopeDispose, ref } from 'vue';

export function useClipboard(resetMs = 2500) {
  const copied = ref(false);
  const failed = ref(false);
  let timer: number | undefined;

  async function copy(text: string): Promise<boolean> {
    window.clearTimeout(timer);
    try {
      await navigator.clipboard.writeText(text);
      copied.value = true;
      failed.value = false;
      timer = window.setTimeout(() => (copied.value = false), resetMs);
      return true;
    } catch {
      // Clipboard access is refused on insecure origins or without permission: the caller offers manual copy.
      copied.value = false;
      failed.value = true;
      return false;
    }
  }

  onScopeDispose(() => window.clearTimeout(timer));
  return { copy, copied, failed };
}
