// The key dialog (new key or edit): owner, names, module, models, expiry, metadata; and the dialog that then shows
// the new secret once (SecretOnce.vue), with its copy button.
import type { Page } from 'playwright-core';
import { choose, chooseIn, closeMenus, field, input, isInvalid } from './widgets.ts';

export type KeyField =
  | 'Owner'
  | 'User'
  | 'Team'
  | 'Attribution team'
  | 'Name'
  | 'Alias'
  | 'Module'
  | 'Models'
  | 'Allowed models'
  | 'Expires'
  | 'Expiry date'
  | 'Metadata';

export interface KeyFormValues {
  owner?: { user: string; team?: string } | { team: string };
  name?: string;
  alias?: string;
  module?: string;
  /** Chosen models; omitted = every model. */
  models?: string[];
  /** An option of the Expires select, e.g. "In 30 days". */
  expiry?: string;
  metadata?: string;
}

// Remote pickers search the API by name or email: the first word of an option's label finds it.
const firstWord = (label: string) => label.split(' ')[0] ?? label;

export class KeyForm {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  root() {
    return this.page.getByTestId('key-form');
  }

  field(label: KeyField) {
    return field(this.root(), label);
  }

  input(label: 'Name' | 'Alias' | 'Metadata') {
    return input(this.root(), label);
  }

  /** The field's message (its error, else its hint). */
  message(label: KeyField) {
    return this.field(label).locator('.n-form-item-feedback');
  }

  /** Waits until the field shows this error (the old message fades out first). */
  async waitForError(label: KeyField, text: RegExp): Promise<void> {
    await this.field(label).locator('.n-form-item-feedback').filter({ hasText: text }).waitFor();
    if (!(await this.isInvalid(label))) throw new Error(`${label} shows ${text} but is not marked invalid`);
  }

  isInvalid(label: KeyField): Promise<boolean> {
    return isInvalid(this.root(), label);
  }

  /** Chooses a radio option by its label (Naive UI hides the native input behind its label). */
  async pick(option: string): Promise<void> {
    await this.root()
      .locator('label')
      .filter({ has: this.page.getByRole('radio', { name: option, exact: true }) })
      .click();
  }

  async fill(values: KeyFormValues): Promise<void> {
    const owner = values.owner;
    if (owner && 'user' in owner) {
      await this.pick('A user');
      await choose(this.page, this.field('User'), owner.user, firstWord(owner.user));
      if (owner.team) await chooseIn(this.page, this.root(), 'Attribution team', owner.team);
    } else if (owner) {
      await this.pick('A team');
      await chooseIn(this.page, this.root(), 'Team', owner.team);
    }
    if (values.name !== undefined) await this.input('Name').fill(values.name);
    if (values.alias !== undefined) await this.input('Alias').fill(values.alias);
    if (values.module) await choose(this.page, this.field('Module'), values.module, firstWord(values.module));
    if (values.models) {
      await this.pick('Only the models I choose');
      for (const m of values.models) await chooseIn(this.page, this.root(), 'Allowed models', m);
      await closeMenus(this.page);
    }
    if (values.expiry) await chooseIn(this.page, this.root(), 'Expires', values.expiry);
    if (values.metadata !== undefined) await this.input('Metadata').fill(values.metadata);
  }

  /** Submits with Enter in the name field: the form works from the keyboard. */
  async submit(): Promise<void> {
    await this.input('Name').press('Enter');
  }

  async waitForClosed(): Promise<void> {
    await this.root().waitFor({ state: 'detached' });
  }
}

/** The dialog that shows a secret once (a new key's, or a rotated key's new secret). */
export class SecretDialog {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  root() {
    return this.page.getByTestId('secret-dialog');
  }

  async waitFor(): Promise<void> {
    await this.root().waitFor();
  }

  async secret(): Promise<string> {
    return this.root().getByTestId('secret-value').locator('input').inputValue();
  }

  warning() {
    return this.root().getByRole('alert').first();
  }

  async copy(): Promise<void> {
    await this.root().getByTestId('copy-secret').click();
    await this.root().getByTestId('copy-secret').getByText('Copied').waitFor();
  }

  async done(): Promise<void> {
    await this.root().getByTestId('secret-done').click();
    await this.root().waitFor({ state: 'detached' });
  }
}
