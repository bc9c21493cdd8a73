// The keyboard alone: Tab, Shift+Tab, Enter, Space, arrows and typing; no
// clicks and no filling by script. The skip link leads to the main region,
// a crime report is registered through the form and decided on, and every
// control that takes the focus shows it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, signedInPage, setPrefs, user, pageProblems } from './lib.mjs';

let browser, page;
before(async () => {
  browser = await launch();
  page = await signedInPage(browser, 'investigator');
});
after(async () => {
  await browser?.close();
});

// The focused element: what it is, and whether its focus can be seen.
function focused() {
  return page.evaluate(() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadowed = style.boxShadow && style.boxShadow !== 'none';
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      name: el.getAttribute('name'),
      type: el.getAttribute('type'),
      value: el.value,
      href: el.getAttribute('href'),
      text: (el.textContent ?? '').trim().slice(0, 60),
      // A date or time field holds the focus in its parts.
      visible: (el.matches(':focus-visible') || el.matches('input[type^=date]:focus-within')) && (outlined || shadowed),
    };
  });
}

function describe(f) {
  return `<${f.tag}${f.id ? ` id=${f.id}` : ''}${f.href ? ` href=${f.href}` : ''}> ${f.text}`;
}

// Presses Tab (or Shift+Tab) until the focused element is the one wanted,
// checking on the way that each focus is visible.
async function tabTo(wanted, { back = false, limit = 150 } = {}) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused();
    assert.ok(f.tag === 'body' || f.visible, `focus not visible on ${describe(f)} at ${page.url()}`);
    if (wanted(f)) return f;
  }
  throw new Error(`Tab never reached the element wanted on ${page.url()}`);
}

// Presses Enter and waits for the page it leads to.
async function enter() {
  await Promise.all([page.waitForEvent('framenavigated'), page.keyboard.press('Enter')]);
  await page.waitForLoadState();
}

// A select set with the arrow keys, as a keyboard user does.
async function choose(id, value) {
  await tabTo((f) => f.id === id);
  for (let i = 0; i < 200 && (await focused()).value !== value; i++) await page.keyboard.press('ArrowDown');
  assert.equal((await focused()).value, value, `${id} never reached ${value}`);
}

async function type(id, text) {
  await tabTo((f) => f.id === id);
  await page.keyboard.type(text);
}

test('the skip link leads to the main region', async () => {
  await page.goto(`${BASE}/reports`);
  const first = await tabTo(() => true);
  assert.equal(first.href, '#main', `the first Tab stop is ${describe(first)}, not the skip link`);
  const box = await page.locator('a.skip').boundingBox();
  assert.ok(box && box.y >= 0, 'the focused skip link is off screen');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  // The next Tab stop is inside the main region, past the navigation.
  await page.keyboard.press('Tab');
  assert.ok(await page.evaluate(() => document.querySelector('main').contains(document.activeElement)));
  // And Shift+Tab goes back out of it.
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  assert.ok(!(await page.evaluate(() => document.querySelector('main').contains(document.activeElement))));
});

test('a report is registered and decided on with the keyboard alone', async () => {
  await page.goto(`${BASE}/`);
  await tabTo((f) => f.href?.startsWith('/reports/new'));
  await enter();
  assert.match(new URL(page.url()).pathname, /^\/reports\/new$/);

  const summary = `Keyboard: a bicycle taken from a yard ${Date.now()}`;
  await choose('f-unit', user('investigator').unit);
  await choose('f-channel', 'line102');
  await type('f-officer', 'Captain Keyboard');
  await type('f-summary', summary);
  await type('f-legal_ground', 'CPC 204');
  await tabTo((f) => f.tag === 'button' && f.type === 'submit');
  await enter();
  const reportPath = new URL(page.url()).pathname;
  assert.match(reportPath, /^\/reports\/[0-9a-f-]{36}$/, `not on the new report's page: ${page.url()}`);
  assert.ok((await page.locator('main').innerText()).includes(summary));

  await tabTo((f) => f.href === `${reportPath}/decide`);
  await enter();
  // Space takes the first choice (open a case); the arrow moves to the next, a refusal.
  await tabTo((f) => f.name === 'outcome.kind');
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowDown');
  assert.ok(await page.locator('#f-outcome-kind-refuse').isChecked(), 'the arrow did not choose a refusal');
  await type('f-outcome-ground', 'CPC 39.1.1');
  await type('f-legal_ground', 'CPC 207');
  await tabTo((f) => f.tag === 'button' && f.type === 'submit');
  await enter();
  assert.equal(
    new URL(page.url()).pathname,
    reportPath,
    `the decision was not recorded: ${await page.locator('.error-summary').innerText().catch(() => '')}`,
  );
  // The report's journal now holds the decision after the registration.
  await page.goto(BASE + reportPath);
  assert.ok((await page.locator('ol.timeline > li').count()) >= 2, 'the decision is not in the journal');
  assert.deepEqual(pageProblems(page), []);
});

test('focus is visible on every Tab stop of a page, in both display modes', async () => {
  for (const accessible of [false, true]) {
    await setPrefs(page, { accessible });
    await page.goto(`${BASE}/cases/new`);
    // Forward through the whole page, then back a little.
    for (let i = 0; i < 60; i++) await tabTo(() => true);
    for (let i = 0; i < 5; i++) await tabTo(() => true, { back: true });
  }
  await setPrefs(page, { accessible: false });
});
