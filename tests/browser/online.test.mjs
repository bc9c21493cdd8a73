// The public site's online services on a phone, by the keyboard alone, in
// each language: a crime report and an appeal sent, their receipts read,
// their status looked up; axe on every page of the journey; and "exit this
// page" first on a sensitive report, leaving without a way back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PUBLIC, launch, newPage, axeViolations, pageProblems } from './lib.mjs';

const PHONE = { width: 375, height: 740 };

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// Presses Tab until the control named `name` (or matching `selector`) has the focus.
async function tabTo(page, { name, selector }) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    const here = await page.evaluate(
      ([name, selector]) => {
        const a = document.activeElement;
        return name ? a?.getAttribute('name') === name : a?.matches(selector);
      },
      [name, selector],
    );
    if (here) return;
  }
  throw new Error(`Tab never reached ${name ?? selector} on ${page.url()}`);
}

async function type(page, name, text) {
  await tabTo(page, { name });
  await page.keyboard.type(text);
}

// Tabs to the form's button and presses Enter, waiting for the page it leads to.
async function send(page) {
  await tabTo(page, { selector: 'main form button[type=submit]' });
  await Promise.all([page.waitForEvent('framenavigated'), page.keyboard.press('Enter')]);
  await page.waitForLoadState();
}

async function clean(page, label) {
  const found = [...(await axeViolations(page)), ...pageProblems(page)];
  assert.deepEqual(found, [], `${label} (${page.url()}):\n  ${found.join('\n  ')}`);
}

async function receipt(page) {
  const refs = await page.locator('.receipt .reference').allInnerTexts();
  assert.equal(refs.length, 2, `a reference and a secret: ${refs}`);
  return { reference: refs[0].trim(), secret: refs[1].trim() };
}

async function lookUp(page, lang, { reference, secret }) {
  await page.goto(`${PUBLIC}/online/status`);
  await clean(page, `status lookup, ${lang}`);
  await type(page, 'reference', reference);
  await type(page, 'secret', secret);
  await send(page);
  assert.equal(page.status, 200, `the status of ${reference}`);
  assert.ok((await page.locator('.stage').innerText()).length > 5, 'where it stands, in words');
  await clean(page, `status, ${lang}`);
}

for (const lang of ['az', 'ru', 'en']) {
  test(`a crime report and an appeal sent on a phone by keyboard and followed (${lang})`, async () => {
    const page = await newPage(browser, PHONE);
    await page.goto(`${PUBLIC}/prefs?lang=${lang}&view=standard&back=/online/report`);
    await clean(page, `report form, ${lang}`);
    await type(page, 'summary', 'Velosipedim həyətdən oğurlanıb.');
    await type(page, 'when', '2024-06-20 21:00');
    await type(page, 'where', 'Nizami küçəsi 5');
    await type(page, 'applicant.full_name', 'Leyla Əliyeva');
    await type(page, 'contact', '+994 50 123 45 67');
    await send(page);
    assert.equal(page.status, 200, 'the receipt');
    const report = await receipt(page);
    assert.match(report.reference, /^M-/);
    await clean(page, `report receipt, ${lang}`);
    await lookUp(page, lang, report);

    await page.goto(`${PUBLIC}/online/appeal`);
    await clean(page, `appeal form, ${lang}`);
    await type(page, 'subject', 'Sahə müvəkkili cavab vermir');
    await type(page, 'text', 'İki dəfə yazmışam, cavab yoxdur.');
    await type(page, 'applicants.person.full_name', 'Rauf Məmmədov');
    await type(page, 'applicants.person.address', 'Bakı, Nəsimi r., 5');
    await send(page);
    assert.equal(page.status, 200, 'the receipt');
    const appeal = await receipt(page);
    assert.match(appeal.reference, /^AP-/);
    await clean(page, `appeal receipt, ${lang}`);
    await lookUp(page, lang, appeal);
    await page.context().close();
  });
}

test('exit this page is the first stop on a sensitive report and leaves no way back', async () => {
  const page = await newPage(browser, PHONE);
  await page.goto(`${PUBLIC}/units`);
  await page.goto(`${PUBLIC}/online/report?topic=domestic_violence`);
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => document.activeElement.className);
  assert.equal(first, 'exit-page', 'the first stop');
  await Promise.all([page.waitForURL(`${PUBLIC}/`), page.keyboard.press('Enter')]);
  await page.goBack();
  assert.ok(!page.url().includes('/online/report'), `Back does not return to the form: ${page.url()}`);
  await page.context().close();
});
