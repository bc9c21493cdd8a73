// The public site on its own listener: axe-core on every public page in
// each language and each display setting (every contrast scheme, the
// largest text, wide spacing with the readable font and images off), and
// the settings' panel worked by the keyboard alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PUBLIC, launch, newPage, axeViolations, outsideRequests, pageProblems } from './lib.mjs';

// A quarter the generated data fills (it ends in June 2024), and its district.
const PERIOD = '2024Q2';
const DISTRICT = 'BAK-NSM';
const PAGES = [
  ['/', 'home'],
  ['/units', 'units'],
  ['/units?q=N%C9%99simi', 'units found'],
  [`/units/${DISTRICT}`, 'a unit'],
  [`/figures?period=${PERIOD}&unit=${DISTRICT}`, 'figures'],
  ['/figures/methods', 'methods'],
  ['/prefs/display?back=/units', 'display settings'],
  ['/online/report', 'online report'],
  ['/online/report?topic=domestic_violence', 'online report, sensitive'],
  ['/online/appeal', 'online appeal'],
  ['/online/status', 'status lookup'],
  ['/news', 'news'],
  ['/news?topic=prevention', 'news, filtered'],
  ['/no-such-page', 'not found', 404],
];
// Each as the panel's form sends it.
const SETTINGS = {
  standard: 'view=standard',
  'largest, black on white': 'size=200&scheme=bw&spacing=normal&font=standard&images=on',
  'white on black': 'size=100&scheme=wb&spacing=normal&font=standard&images=on',
  'blue on beige': 'size=150&scheme=beige&spacing=normal&font=standard&images=on',
  'wide, readable, no images': 'size=100&scheme=standard&spacing=wide&font=readable&images=off',
};

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function audit(page, path, label, status = 200) {
  await page.goto(PUBLIC + path);
  assert.equal(page.status, status, `${label} (${path}) answered ${page.status}`);
  const found = [
    ...(await axeViolations(page)),
    ...outsideRequests(page, page.requests, PUBLIC).map((u) => `request outside the server: ${u}`),
    ...pageProblems(page),
  ];
  page.problems.length = 0;
  page.requests.length = 0;
  return found.length ? [`${label} (${page.url()}):\n  ${found.join('\n  ')}`] : [];
}

for (const lang of ['az', 'ru', 'en']) {
  for (const [name, query] of Object.entries(SETTINGS)) {
    test(`the public pages pass axe (${lang}, ${name})`, async () => {
      const page = await newPage(browser);
      await page.goto(`${PUBLIC}/prefs?lang=${lang}&${query}&back=/`);
      const problems = [];
      // The newest release in this language, read off the news list.
      await page.goto(`${PUBLIC}/news`);
      const release = await page.locator('main ol.news-list a').first().getAttribute('href');
      const pages = [...PAGES, [release, 'a release']];
      for (const [path, label, status] of pages) problems.push(...(await audit(page, path, label, status)));
      await page.context().close();
      assert.equal(problems.length, 0, `\n${problems.join('\n\n')}\n`);
    });
  }
}

// Tab from the top of a page: the skip link, then the settings; Enter opens
// the panel, the arrows pick white on black, Tab reaches the button and
// Enter applies it, back on the page it came from.
test('the display settings work by keyboard alone', async () => {
  const page = await newPage(browser);
  await page.goto(`${PUBLIC}/units`);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), '#main');
  await page.keyboard.press('Tab');
  const href = await page.evaluate(() => document.activeElement.getAttribute('href'));
  assert.ok(href.startsWith('/prefs/display?back='), `the second stop is the settings: ${href}`);
  const visible = await page.evaluate(() => document.activeElement.matches(':focus-visible'));
  assert.ok(visible, 'the settings link shows its focus');
  await Promise.all([page.waitForURL(/\/prefs\/display/), page.keyboard.press('Enter')]);
  // Into the colours' group: Tab until a scheme's radio has the focus.
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement.getAttribute('name') === 'scheme')) break;
  }
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('name')), 'scheme');
  // Standard, then black on white, then white on black.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.value), 'wb');
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement.getAttribute('type') === 'submit')) break;
  }
  await Promise.all([page.waitForURL(/\/units$/), page.keyboard.press('Enter')]);
  const classes = await page.evaluate(() => document.documentElement.className);
  assert.match(classes, /\bscheme-wb\b/, `white on black is applied: ${classes}`);
  assert.deepEqual(pageProblems(page), []);
  await page.context().close();
});
