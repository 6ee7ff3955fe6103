import { expect, type Page } from '@playwright/test';

/** Opens the page fresh and makes the flow animation quick (it still animates). */
export async function open(page: Page, speed = '4'): Promise<void> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  (page as Page & { __errors?: string[] }).__errors = errors;
  await page.goto('/');
  await expect(page.getByTestId('send')).toBeEnabled();
  await page.getByTestId('flow-speed').selectOption(speed);
}

/** Page errors (uncaught exceptions) seen so far: every test expects none. */
export function pageErrors(page: Page): string[] {
  return (page as Page & { __errors?: string[] }).__errors ?? [];
}

export async function timelineCount(page: Page): Promise<number> {
  return page.getByTestId('timeline-item').count();
}

/** Waits for `n` more timeline entries, then for the flow to finish playing the last one. */
export async function waitCalls(page: Page, before: number, n = 1): Promise<void> {
  await expect(page.getByTestId('timeline-item')).toHaveCount(before + n, { timeout: 20_000 });
  await expect(page.getByTestId('flow')).toHaveAttribute('data-phase', /done|idle/, { timeout: 20_000 });
}

type Fields = Record<string, string | boolean>;

/** Picks an action in the action bar, fills its fields, sends it and waits for the flow to end. */
export async function act(page: Page, action: string, fields: Fields = {}, calls = 1): Promise<void> {
  await page.getByTestId('action-select').selectOption(action);
  for (const [name, value] of Object.entries(fields)) {
    const el = page.getByTestId(`field-${name}`);
    const tag = await el.evaluate((e) => e.tagName.toLowerCase() + (e.getAttribute('type') === 'checkbox' ? ':checkbox' : ''));
    if (tag === 'select') await el.selectOption(String(value));
    else if (tag.endsWith(':checkbox')) await el.setChecked(value === true || value === 'true');
    else await el.fill(String(value));
  }
  const before = await timelineCount(page);
  await page.getByTestId('send').click();
  await waitCalls(page, before, calls);
}

/** The last timeline entry's action and status. */
export async function lastCall(page: Page): Promise<{ action: string | null; status: string | null }> {
  const last = page.getByTestId('timeline-item').last();
  return { action: await last.getAttribute('data-action'), status: await last.getAttribute('data-status') };
}

export async function expectLast(page: Page, action: string, status: string): Promise<void> {
  const last = page.getByTestId('timeline-item').last();
  await expect(last).toHaveAttribute('data-action', action);
  await expect(last).toHaveAttribute('data-status', status);
  await expect(page.getByTestId('call-inspector')).toHaveAttribute('data-action', action);
}

export function keyItem(page: Page, alias: string) {
  return page.getByTestId('key-item').filter({ hasText: alias });
}

export async function createKey(page: Page, alias: string, spec = 'SYMMETRIC_DEFAULT', usage = 'ENCRYPT_DECRYPT'): Promise<void> {
  await act(page, 'CreateKey', { KeySpec: spec, KeyUsage: usage, Description: `e2e ${alias}`, Alias: alias }, 2);
  await expect(keyItem(page, alias)).toBeVisible();
  await expectLast(page, 'CreateAlias', 'OK');
}
