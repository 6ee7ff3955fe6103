import { expect, test } from '@playwright/test';
import { act, createKey, open, pageErrors } from './helpers';

test('a bad or taken alias is refused before CreateKey, so no stray key is left', async ({ page }) => {
  await open(page);
  await act(page, 'CreateKey', { Alias: 'bad name!' }, 0);
  await expect(page.getByTestId('action-result')).toContainText('No key was created');
  await expect(page.getByTestId('action-result')).toContainText('ValidationException');
  await expect(page.getByTestId('key-item')).toHaveCount(0);
  await expect(page.getByTestId('timeline-item')).toHaveCount(0);

  await createKey(page, 'alias/taken');
  await act(page, 'CreateKey', { Alias: 'alias/taken' }, 0);
  await expect(page.getByTestId('action-result')).toContainText('AlreadyExistsException');
  await expect(page.getByTestId('key-item')).toHaveCount(1);
  expect(pageErrors(page)).toEqual([]);
});
