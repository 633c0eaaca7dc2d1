// Form state: values, per-field errors from client rules or the server (shown by FormField.vue), and focus on the
// first invalid field.
import { nextTick, reactive, ref, useTemplateRef, watch } from 'vue';
import type { ApiError } from '../graphql/errors';

type Rules<T> = { [K in keyof T]?: (value: T[K], values: T) => string | undefined };

export interface FormOptions<T> {
  rules?: Rules<T>;
  /**
   * Maps a server `extensions.field` to the form field showing it, when the names differ; `path` is the whole
   * field path (e.g. `input.budgets.monthly`) for forms whose fields sit deeper than the input's first level.
   */
  serverField?: (field: string, values: T, path: string | undefined) => string | undefined;
}

export function useForm<T extends Record<string, unknown>>(initial: T, options: FormOptions<T> = {}) {
  const values = reactive({ ...initial }) as T;
  const errors = reactive<Partial<Record<keyof T, string>>>({}) as Partial<Record<keyof T, string>>;
  /** An error that belongs to no single field, shown above the form. */
  const formError = ref<string>();
  // Focus management searches inside the form: a page marks its own <form> (or Naive UI's NForm, whose element is
  // $el) with ref="form"; FormDialog hands over its form through bindElement.
  const formRef = useTemplateRef<HTMLElement | { $el?: HTMLElement }>('form');
  let bound: (() => HTMLElement | undefined) | undefined;
  const formEl = (): HTMLElement | undefined => {
    if (bound) return bound();
    const r = formRef.value;
    return r instanceof HTMLElement ? r : r?.$el;
  };
  function bindElement(get: () => HTMLElement | undefined): void {
    bound = get;
  }

  // Editing a field clears its error: the old message no longer describes the new value.
  for (const key of Object.keys(initial) as (keyof T)[]) {
    watch(
      () => values[key],
      () => {
        delete errors[key];
      },
      { deep: true },
    );
  }

  function validate(): boolean {
    formError.value = undefined;
    for (const key of Object.keys(initial) as (keyof T)[]) {
      const message = options.rules?.[key]?.(values[key], values);
      if (message) errors[key] = message;
      else delete errors[key];
    }
    const valid = Object.keys(errors).length === 0;
    if (!valid) void focusFirstInvalid();
    return valid;
  }

  function applyServerError(error: ApiError): void {
    const key = error.field ? (options.serverField?.(error.field, values, error.path) ?? error.field) : undefined;
    if (key !== undefined && key in initial) {
      errors[key as keyof T] = error.message;
      void focusFirstInvalid();
    } else {
      formError.value = error.message;
    }
  }

  /** Form items carry `data-invalid` (see FormField.vue); the first one's first focusable control gets focus. */
  async function focusFirstInvalid(): Promise<void> {
    await nextTick();
    const invalid = formEl()?.querySelector<HTMLElement>('[data-invalid="true"]');
    invalid?.querySelector<HTMLElement>('input, textarea, [tabindex]:not([tabindex="-1"])')?.focus();
  }

  /**
   * Focuses the form's first control, e.g. when its dialog has opened (NModal's `after-enter`), unless the admin
   * is already in one of its fields.
   */
  async function focusFirst(): Promise<void> {
    await nextTick();
    const el = formEl();
    if (!el || el.contains(document.activeElement)) return;
    el.querySelector<HTMLElement>('input:not([disabled]), textarea:not([disabled])')?.focus();
  }

  /** Clears every error (e.g. when a dialog reopens). */
  function reset(next: T = initial): void {
    Object.assign(values, next);
    for (const key of Object.keys(errors)) delete errors[key as keyof T];
    formError.value = undefined;
  }

  return { values, errors, formError, validate, applyServerError, reset, focusFirst, bindElement };
}
