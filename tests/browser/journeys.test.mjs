// The main journeys end to end in Chromium: a report registered, a case
// opened from it, a suspect added, the case solved, and the Board's figures
// for that quarter and district moving; exports opened and checked; the
// language and the display mode kept across pages; a card attached on a
// case's page and found by the lookup.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { BASE, launch, signedInPage, setPrefs, user, pageProblems, follow } from './lib.mjs';

const UNIT = user('investigator').unit;

let browser, investigator, analyst, chief;
before(async () => {
  browser = await launch();
  investigator = await signedInPage(browser, 'investigator', { lang: 'en' });
  analyst = await signedInPage(browser, 'hq_analyst', { lang: 'en' });
  chief = await signedInPage(browser, 'unit_chief', { lang: 'en' });
});
after(async () => {
  await browser?.close();
});

// Now in Baku (UTC+4, no summer time), as the forms' datetime-local fields take it.
function bakuNow(minutesAgo = 0) {
  return new Date(Date.now() + (4 * 60 - minutesAgo) * 60_000).toISOString().slice(0, 16);
}

function currentQuarter() {
  const [year, month] = bakuNow().split('-').map(Number);
  return `${year}Q${Math.floor((month - 1) / 3) + 1}`;
}

// A figure of the Board's report in the reporting period's column, by its row's English label.
async function figure(label) {
  await analyst.goto(`${BASE}/report?period=${currentQuarter()}&unit=${UNIT}`);
  const row = analyst.locator('#figures ~ .table-wrap tbody tr', { has: analyst.locator(`th:text-is("${label}")`) });
  assert.equal(await row.count(), 1, `no row "${label}" in the report`);
  const text = await row.locator('td').first().innerText();
  return Number(text.replace(/[^\d-]/g, ''));
}

// Submits the form of the main region and waits for the page it leads to.
async function submit(page) {
  await follow(page, 'main form button[type=submit]');
  const errors = await page.locator('.error-summary').count();
  assert.equal(errors, 0, errors ? await page.locator('.error-summary').innerText() : '');
}

test('a report becomes a solved case and the Board figures count it', async () => {
  const recorded = await figure('Crimes recorded');
  const solved = await figure('Crimes solved in the period');
  const page = investigator;

  await page.goto(`${BASE}/reports/new`);
  const summary = `A television taken from a flat ${Date.now()}`;
  await page.selectOption('#f-unit', UNIT);
  await page.selectOption('#f-channel', 'in_person');
  await page.fill('#f-received_at', bakuNow(30));
  await page.fill('#f-officer', 'Lieutenant Journey');
  await page.fill('#f-summary', summary);
  await page.fill('#f-applicant-full_name', 'Aynur Məmmədova');
  await page.fill('#f-legal_ground', 'CPC 204');
  await submit(page);
  const reportPath = new URL(page.url()).pathname;
  assert.match(reportPath, /^\/reports\/[0-9a-f-]{36}$/);

  await page.goto(`${BASE}${reportPath}/decide`);
  await page.check('#f-outcome-kind-open_case');
  await page.fill('#f-decided_at', bakuNow(20));
  await page.fill('#f-legal_ground', 'CPC 207');
  await submit(page);
  // Deciding to open a case leads to the case form, the report named on it.
  assert.equal(new URL(page.url()).pathname, '/cases/new');
  await page.selectOption('#f-unit', UNIT);
  await page.fill('#f-articles', '177.1');
  await page.fill('#f-occurred_at', bakuNow(60));
  await page.fill('#f-registered_at', bakuNow(15));
  await page.fill('#f-description', summary);
  await page.fill('#f-legal_ground', 'CPC 207');
  await submit(page);
  const casePath = new URL(page.url()).pathname;
  assert.match(casePath, /^\/cases\/[0-9a-f-]{36}$/);

  await page.goto(`${BASE}${casePath}/persons/new`);
  await page.selectOption('#f-person-role', 'suspect');
  await page.fill('#f-person-full_name', 'Rauf Quliyev');
  await page.fill('#f-legal_ground', 'CPC 224');
  await submit(page);
  assert.ok((await page.locator('main').innerText()).includes('Rauf Quliyev'), 'the suspect is not on the case page');

  await page.goto(`${BASE}${casePath}/decide`);
  await page.check('#f-decision-kind-solved');
  await page.fill('#f-decided_at', bakuNow(5));
  await page.fill('#f-decision-how', 'The suspect was identified from a neighbour’s camera.');
  await page.fill('#f-legal_ground', 'CPC 229');
  await submit(page);
  assert.equal(new URL(page.url()).pathname, casePath);

  assert.equal(await figure('Crimes recorded'), recorded + 1, 'the new case is not counted as recorded');
  assert.equal(await figure('Crimes solved in the period'), solved + 1, 'the solved case is not counted');
  assert.deepEqual(pageProblems(page), []);
});

// Follows a download link of the main region; returns the file's bytes.
async function download(page, linkSelector) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(linkSelector)]);
  const bytes = readFileSync(await file.path());
  // A download aborts the navigation the link started: that is no failure.
  page.problems.length = 0;
  return { bytes, name: file.suggestedFilename() };
}

// The names of the files in a zip archive, read from its central directory.
function zipEntries(bytes) {
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end > 0, 'no end of central directory');
  let at = bytes.readUInt32LE(end + 16);
  const names = new Map();
  for (let i = 0; i < bytes.readUInt16LE(end + 10); i++) {
    const method = bytes.readUInt16LE(at + 10);
    const size = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extra = bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.subarray(at + 46, at + 46 + nameLength).toString();
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const raw = bytes.subarray(start, start + size);
    names.set(name, () => (method === 8 ? inflateRawSync(raw) : raw).toString());
    at += 46 + nameLength + extra;
  }
  return names;
}

function checkCsv({ bytes, name }, cell) {
  assert.match(name, /\.csv$/);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], `${name} has no UTF-8 byte order mark`);
  const text = bytes.subarray(3).toString('utf8');
  assert.ok(text.includes(cell), `${name} lacks ${cell}`);
}

function checkXlsx({ bytes, name }, cell) {
  assert.match(name, /\.xlsx$/);
  assert.equal(bytes.subarray(0, 2).toString(), 'PK', `${name} is not a zip`);
  const entries = zipEntries(bytes);
  assert.ok(entries.has('xl/workbook.xml'), `${name} has no workbook: ${[...entries.keys()]}`);
  const texts = [...entries].filter(([n]) => n.startsWith('xl/')).map(([, read]) => read());
  assert.ok(texts.some((t) => t.includes(cell)), `${name} lacks ${cell}`);
}

test('a list and the report export to CSV and XLSX', async () => {
  await chief.goto(`${BASE}/cases?unit=${UNIT}`);
  const firstNumber = (await chief.locator('main table tbody tr').first().locator('td, th').first().innerText()).trim();
  assert.ok(firstNumber, 'the case list is empty');
  checkCsv(await download(chief, 'main a[href*="format=csv"]'), firstNumber);
  checkXlsx(await download(chief, 'main a[href*="format=xlsx"]'), firstNumber);

  await analyst.goto(`${BASE}/report?period=2024Q2&unit=${user('hq_analyst').unit}`);
  checkCsv(await download(analyst, 'main a[href*="format=csv"]'), 'Crimes recorded');
  checkXlsx(await download(analyst, 'main a[href*="format=xlsx"]'), 'Crimes recorded');
  assert.equal(await analyst.locator('main a[href*="format=pdf"]').count(), 1, 'the report offers no PDF');
  const { bytes } = await download(analyst, 'main a[href*="format=pdf"]');
  assert.equal(bytes.subarray(0, 4).toString(), '%PDF');
});

test('the language chosen is kept across pages', async () => {
  const page2 = await signedInPage(browser, 'duty_officer');
  for (const [lang, link] of [['ru', 'Русский'], ['en', 'English']]) {
    await page2.goto(`${BASE}/reports`);
    await Promise.all([page2.waitForURL(/\/reports$/), page2.click(`header a[hreflang="${lang}"]`)]);
    assert.equal(await page2.getAttribute('html', 'lang'), lang, `${link} was not switched to`);
    for (const path of ['/cases', '/reports/new', '/search']) {
      await page2.goto(BASE + path);
      assert.equal(await page2.getAttribute('html', 'lang'), lang, `${path} forgot ${link}`);
    }
  }
  await page2.context().close();
});

test('the mode for the visually impaired is kept across pages', async () => {
  const page = chief;
  await setPrefs(page, { lang: 'az' });
  await page.goto(`${BASE}/cases`);
  // The settings' panel, the first link of the page: the largest text in black on white.
  await Promise.all([page.waitForURL(/\/prefs\/display/), page.click('a.display-link')]);
  await page.check('#display-size-200');
  await page.check('#display-scheme-bw');
  await Promise.all([page.waitForURL(/\/cases$/), page.click('main form.display-settings button[type=submit]')]);
  const accessible = () => page.evaluate(() => document.documentElement.classList.contains('accessible'));
  assert.ok(await accessible(), 'the switch did not turn the mode on');
  const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  assert.ok((await size()) > 16, 'the text is not larger');
  for (const path of ['/reports', '/persons', '/search', `/report?period=2024Q2&unit=${UNIT}`]) {
    await page.goto(BASE + path);
    assert.ok(await accessible(), `${path} forgot the mode`);
  }
  await follow(page, 'header a.view');
  assert.ok(!(await accessible()), 'the switch did not turn the mode off');
  await page.goto(`${BASE}/cases`);
  assert.ok(!(await accessible()));
});

test("a card attached on a case's page is found by the lookup typed otherwise, its number shown nowhere", async () => {
  const card = '4916 3389 0115 2263';
  const digits = card.replace(/ /g, '');
  investigator.problems.length = 0;
  await investigator.goto(`${BASE}/cases?unit=${UNIT}`);
  const casePath = await investigator
    .locator('main a[href^="/cases/"]')
    .evaluateAll((as) => as.map((a) => a.getAttribute('href')).find((h) => /\/[0-9a-f-]{36}$/.test(h)));
  assert.ok(casePath, 'no case to attach to');
  await investigator.goto(`${BASE}${casePath}`);
  await investigator.selectOption('#f-identifier-kind', 'card');
  await investigator.fill('#f-identifier-input', card);
  await investigator.fill('#f-note', 'Card the money left through');
  await investigator.fill('#f-legal_ground', 'CPC art. 207');
  await follow(investigator, 'main form[action$="/identifiers/new"] button[type=submit]');
  assert.equal(new URL(investigator.url()).pathname, casePath);
  const listed = await investigator.locator('#identifiers').innerText();
  assert.match(listed, /491633\*{6}2263/);
  assert.ok(!(await investigator.content()).includes(digits), 'the case page shows the card number');

  // Typed with dashes, the lookup finds the case; the answer is a page of its own, not an address.
  await investigator.goto(`${BASE}/identifiers`);
  await investigator.selectOption('#f-kind', 'card');
  await investigator.fill('#f-value', card.replace(/ /g, '-'));
  await follow(investigator, 'main form[action="/identifiers"] button[type=submit]');
  assert.equal(new URL(investigator.url()).search, '', 'the value travelled in the address');
  assert.ok(await investigator.locator(`#matches a[href="${casePath}"]`).count(), 'the lookup did not find the case');
  const answer = await investigator.content();
  assert.ok(!answer.includes(digits) && !answer.includes(card.replace(/ /g, '-')), 'the lookup echoes the number');
  await follow(investigator, '#matches a[href^="/identifiers/card/"]');
  assert.ok(await investigator.locator(`main a[href="${casePath}"]`).count(), "the identifier's page lacks the case");
  assert.deepEqual(pageProblems(investigator), []);
});

test('the same card on a report joins it and the case into a series, which the analyst confirms on its page', async () => {
  const card = '4916 3389 0115 2263';
  investigator.problems.length = 0;
  await investigator.goto(`${BASE}/reports?unit=${UNIT}`);
  const reportPath = await investigator
    .locator('main a[href^="/reports/"]')
    .evaluateAll((as) => as.map((a) => a.getAttribute('href')).find((h) => /\/[0-9a-f-]{36}$/.test(h)));
  await investigator.goto(`${BASE}${reportPath}`);
  await investigator.selectOption('#f-identifier-kind', 'card');
  await investigator.fill('#f-identifier-input', card);
  await investigator.fill('#f-legal_ground', 'CPC art. 207');
  await follow(investigator, 'main form[action$="/identifiers/new"] button[type=submit]');
  await follow(investigator, '#series-link a');
  const seriesPath = new URL(investigator.url()).pathname;
  assert.match(seriesPath, /^\/series\/[0-9a-f-]{36}$/);
  assert.ok(await investigator.locator('#series-diagram line.series-link').count(), 'the diagram draws no link');
  assert.match(await investigator.locator('#links').innerText(), /491633\*{6}2263/);
  assert.deepEqual(pageProblems(investigator), []);

  analyst.problems.length = 0;
  await analyst.goto(`${BASE}${seriesPath}`);
  assert.match(await analyst.locator('#confirmation').innerText(), /Not confirmed/);
  await analyst.fill('#f-note', 'One ring: the same card');
  await analyst.fill('#f-legal_ground', 'Order 12');
  await follow(analyst, 'main form[action$="/confirm"] button[type=submit]');
  assert.equal(new URL(analyst.url()).pathname, seriesPath);
  assert.match(await analyst.locator('#confirmation').innerText(), /Confirmed by .*One ring: the same card/);
  assert.deepEqual(pageProblems(analyst), []);
});
