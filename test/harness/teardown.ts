// Collects cleanup steps as resources start and runs them in reverse order, even after failures.

export class Teardown {
  private steps: { label: string; fn: () => Promise<unknown> | unknown }[] = [];

  /** Registers a cleanup step; returns the value passed in, for `const x = td.add(await start(), (x) => x.stop())`. */
  add<T>(value: T, fn: (value: T) => Promise<unknown> | unknown, label = 'cleanup'): T {
    this.steps.push({ label, fn: () => fn(value) });
    return value;
  }

  /** Runs every step (last registered first); throws one error listing every step that failed. */
  async run(): Promise<void> {
    const failures: string[] = [];
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step.fn();
      } catch (e) {
        failures.push(`${step.label}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (failures.length > 0) throw new Error(`teardown failed:\n${failures.join('\n')}`);
  }
}
