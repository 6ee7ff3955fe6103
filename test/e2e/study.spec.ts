/**
 * Study mode in the browser: a study session (reveal, rate, reload keeps progress), a
 * practice exam to its score (with a replay in the simulator), export and a refused import,
 * and an accessibility scan of each page.
 */
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { pageErrors } from './helpers';

async function openStudy(page: Page) {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  (page as Page & { __errors?: string[] }).__errors = errors;
  await page.goto('/');
  await page.getByTestId('mode-study').click();
  await expect(page.getByTestId('study-mode')).toBeVisible();
}

async function noSeriousViolations(page: Page, what: string) {
  const r = await new AxeBuilder({ page }).include('[data-testid="study-mode"]').analyze();
  const serious = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${what}: ${v.id} ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

test('a study session: reveal with the keyboard, rate, and the progress survives a reload', async ({ page }) => {
  await openStudy(page);
  const card = page.getByTestId('study-card');
  await expect(card).toBeVisible();
  const first = await card.getAttribute('data-id');
  await noSeriousViolations(page, 'cards');

  await page.keyboard.press('Space');
  await expect(page.getByTestId('study-back')).toBeVisible();
  await expect(page.getByTestId('study-back')).not.toContainText('{{');
  await noSeriousViolations(page, 'card answer');
  await page.keyboard.press('3'); // good
  await expect(card).not.toHaveAttribute('data-id', first!);

  await page.getByTestId('study-reveal').click();
  await page.getByTestId('rate-easy').click();

  await page.getByTestId('study-tab-data').click();
  await page.getByTestId('exam-date').fill('2027-01-15');
  await page.getByTestId('exam-date').dispatchEvent('change');
  await expect(page.getByTestId('study-mode')).toContainText('Exam 2027-01-15');
  await expect(page.getByTestId('study-mode')).toContainText('2 cards studied, 2 reviews');
  await page.getByTestId('exam-guide-choice').selectOption('DVA-C02');
  await expect
    .poll(async () => {
      const m = (await page.getByTestId('study-mode').textContent())?.match(/\((\d+) of (\d+) cards\)/);
      return m ? Number(m[1]) < Number(m[2]) : false;
    })
    .toBe(true);
  await page.getByTestId('exam-guide-choice').selectOption('');
  await noSeriousViolations(page, 'data');

  await page.getByTestId('study-tab-progress').click();
  await expect(page.getByTestId('topic-table')).toBeVisible();
  await expect(page.getByTestId('topic-table').locator('tbody tr')).not.toHaveCount(0);
  await noSeriousViolations(page, 'progress');

  await page.reload();
  await page.getByTestId('mode-study').click();
  await page.getByTestId('study-tab-data').click();
  await expect(page.getByTestId('study-mode')).toContainText('2 cards studied, 2 reviews');
  await expect(page.getByTestId('study-mode')).toContainText('Exam 2027-01-15');

  // Export, then a foreign file is refused and changes nothing.
  const download = page.waitForEvent('download');
  await page.getByTestId('study-export').click();
  expect((await download).suggestedFilename()).toBe('kms-lab-study.json');
  await page
    .getByTestId('study-import')
    .setInputFiles({ name: 'anki.json', mimeType: 'application/json', buffer: Buffer.from('{"deck":"x"}') });
  await expect(page.getByTestId('study-message')).toContainText('Import refused: not a kms-lab study file');
  await expect(page.getByTestId('study-mode')).toContainText('2 cards studied, 2 reviews');
  expect(pageErrors(page)).toEqual([]);
});

test('a practice exam to its score, with every option explained and a replay in the simulator', async ({ page }) => {
  await openStudy(page);
  await page.getByTestId('study-tab-practice').click();
  await noSeriousViolations(page, 'practice setup');
  await page.getByTestId('exam-count').fill('5');
  await page.getByTestId('exam-topic').selectOption('kms-deletion');
  await page.getByTestId('exam-seed').fill('11');
  await page.getByTestId('exam-start').click();
  await expect(page.getByTestId('exam-position')).toHaveText('Question 1 of 5');
  await noSeriousViolations(page, 'exam question');
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('1');
    if (i < 4) await page.keyboard.press('ArrowRight');
  }
  await page.getByTestId('exam-finish').click();
  await expect(page.getByTestId('exam-score')).toContainText('of 5');
  await expect(page.getByTestId('score-by-topic')).toContainText('Key states and deletion');
  await expect(page.getByTestId('exam-review')).toHaveCount(5);
  await noSeriousViolations(page, 'score');

  const replay = page.getByTestId('exam-replay').first();
  await replay.click();
  await expect(page.getByTestId('replay-result').first()).toContainText('The simulator answered:', { timeout: 20_000 });
  expect(pageErrors(page)).toEqual([]);
});

test('a question whose options are different situations replays each of them', async ({ page }) => {
  await openStudy(page);
  await page.getByTestId('study-tab-practice').click();
  await page.getByTestId('exam-topic').selectOption('kms-rotation');
  await page.getByTestId('exam-count').fill('50');
  await page.getByTestId('exam-start').click();
  await page.getByTestId('exam-finish').click();
  const item = page.getByTestId('exam-review').filter({ hasText: 'Which two keys can NOT use automatic rotation' });
  await item.getByTestId('exam-replay').click();
  const result = item.getByTestId('replay-result');
  await expect(result).toContainText('option by option', { timeout: 20_000 });
  await expect(result).toContainText('“An RSA_2048 key” → kms:EnableKeyRotation: UnsupportedOperationException');
  await expect(result).toContainText('“A symmetric customer managed key created by KMS” → kms:EnableKeyRotation: the call succeeded');
  expect(pageErrors(page)).toEqual([]);
});

test('a timed exam shows its clock', async ({ page }) => {
  await openStudy(page);
  await page.getByTestId('study-tab-practice').click();
  await page.getByTestId('exam-start').click();
  await expect(page.getByTestId('exam-position')).toHaveText('Question 1 of 20');
  await expect(page.getByTestId('exam-timer')).toContainText(/^(30:00|29:5\d) left$/);
});

test('"see it happen" opens the walkthrough at that step', async ({ page }) => {
  await openStudy(page);
  await page.getByTestId('study-tab-practice').click();
  await page.getByTestId('exam-count').fill('3');
  await page.getByTestId('exam-topic').selectOption('kms-deletion');
  await page.getByTestId('exam-start').click();
  await page.getByTestId('exam-finish').click();
  await page.getByRole('button', { name: 'See it happen in the walkthrough' }).first().click();
  await expect(page.getByTestId('scenario-player')).toBeVisible();
  await expect(page.getByTestId('scenario-player')).toContainText('Step', { timeout: 20_000 });
});

test('classroom: a link opens the same step with the same ids; clicker keys, blank, pause, speed; notes follow', async ({
  page,
  context,
}) => {
  const hash = '#classroom?scenario=key-lifecycle&step=schedule&seed=1701';
  await page.goto(`/${hash}`);
  await expect(page.getByTestId('classroom-bar')).toBeVisible();
  await expect(page.locator('html')).toHaveClass(/large/);
  await expect(page.locator('html')).toHaveClass(/contrast/);
  // Predict, then reveal: the step's question is asked first.
  await expect(page.getByTestId('scenario-question')).toContainText('Which waiting periods', { timeout: 20_000 });
  // The last call of the replayed steps: its key id and request id come from the seed.
  const ids = async (p: Page) =>
    ((await p.getByTestId('call-inspector').textContent()) ?? '').match(/key\/[0-9a-f-]{36}|request [0-9a-f-]{36}/g);
  await expect(page.getByTestId('call-inspector')).toContainText('request');
  const seen = await ids(page);
  expect(seen?.length).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId('classroom-link')).toHaveValue(/#classroom\?scenario=key-lifecycle&step=schedule&seed=1701$/);
  await page.getByTestId('classroom-qr-toggle').click();
  await expect(page.getByTestId('classroom-qr').locator('svg')).toBeVisible();

  const a11y = await new AxeBuilder({ page }).include('[data-testid="classroom-bar"]').include('[data-testid="scenario-player"]').analyze();
  expect(a11y.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  // A second student opening the same link sees the same key id.
  const other = await context.newPage();
  await other.goto(`/${hash}`);
  await expect(other.getByTestId('scenario-question')).toBeVisible({ timeout: 20_000 });
  await expect(other.getByTestId('call-inspector')).toContainText('request');
  expect(await ids(other)).toEqual(seen);
  await other.close();

  // Presenter notes in a second window.
  const notesPromise = context.waitForEvent('page');
  await page.getByTestId('classroom-notes').click();
  const notes = await notesPromise;
  await expect(notes.getByTestId('notes-view')).toContainText('The room is asked', { timeout: 10_000 });
  await expect(notes.getByTestId('notes-view')).toContainText('7 to 30 days, default 30 ✓ (answer)');
  const notesA11y = await new AxeBuilder({ page: notes }).analyze();
  expect(notesA11y.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  // Clicker: Page Down answers nothing yet but runs the step after the choice; use a choice key first.
  await page.keyboard.press('2');
  await expect(page.getByTestId('scenario-say')).toContainText('waiting period', { timeout: 20_000 });
  await expect(notes.getByTestId('notes-step')).toContainText('step 8 of', { timeout: 10_000 });
  await page.keyboard.press('PageDown');
  await expect(notes.getByTestId('notes-step')).not.toContainText('step 8 of', { timeout: 10_000 });
  await page.keyboard.press('PageUp');
  await expect(notes.getByTestId('notes-step')).toContainText('step 8 of', { timeout: 10_000 });

  await page.keyboard.press('b');
  await expect(page.getByTestId('classroom-blank')).toBeVisible();
  await expect(notes.getByTestId('notes-step')).toContainText('screen blanked');
  await page.keyboard.press('b');
  await expect(page.getByTestId('classroom-blank')).toBeHidden();

  await page.keyboard.press('p');
  await expect(page.getByTestId('classroom-paused')).toBeVisible();
  await page.keyboard.press('p');
  await expect(page.getByTestId('classroom-paused')).toBeHidden();

  const speed = page.getByTestId('flow-speed');
  const before = await speed.inputValue();
  await page.keyboard.press('-');
  await expect(speed).not.toHaveValue(before);
  expect(pageErrors(page)).toEqual([]);
});
