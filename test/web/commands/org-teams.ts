// Team steps of the org panel: create a team through the Teams page's dialog and wait for its row.
import type { Page } from 'playwright-core';
import { TeamsPage } from '../pages/org-teams-page.ts';

/** From the Teams page: "New team", the name, Enter; resolves once the row is listed. */
export async function createTeam(page: Page, name: string): Promise<void> {
  const teams = new TeamsPage(page);
  const form = await teams.startCreate();
  await form.submit(name);
  await form.root().waitFor({ state: 'detached' });
  await teams.row(name).waitFor();
}
