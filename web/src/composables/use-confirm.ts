// Confirmation before destructive actions: a dialog that names what will happen, resolving true or false.
import { type ButtonProps, useDialog } from 'naive-ui';

export interface ConfirmOptions {
  title: string;
  content: string;
  /** The button's label, e.g. "Revoke key". */
  action: string;
  /** Red button for irreversible actions. */
  danger?: boolean;
}

export function useConfirm() {
  const dialog = useDialog();
  return (options: ConfirmOptions): Promise<boolean> =>
    new Promise((resolve) => {
      let settled = false;
      const settle = (value: boolean) => {
        if (settled) return;
        settled = true;
        resolve(value);
      };
      const open = options.danger ? dialog.error : dialog.warning;
      open({
        title: options.title,
        content: options.content,
        positiveText: options.action,
        negativeText: 'Cancel',
        autoFocus: true,
        // Stable handles for browser tests (the dialog itself is found by its title).
        positiveButtonProps: { 'data-test': 'confirm-action' } as ButtonProps,
        negativeButtonProps: { 'data-test': 'confirm-cancel' } as ButtonProps,
        onPositiveClick: () => settle(true),
        onNegativeClick: () => settle(false),
        onClose: () => settle(false),
        onMaskClick: () => settle(false),
        onEsc: () => settle(false),
      });
    });
}
