// The screenshots in docs/screenshots, linked from the README: the main
// pages at desktop and phone widths, in Azerbaijani and another language,
// and in both display modes. Run by `scripts/browser-tests.sh screenshots`.
//
//   node tests/browser/screenshots.mjs OUT_DIR
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, launch, signedInPage, setPrefs, user, follow } from './lib.mjs';
import { publicScreenshots } from './public-screenshots.mjs';

const out = process.argv[2] ?? 'docs/screenshots';
mkdirSync(out, { recursive: true });

const DESKTOP = { width: 1280, height: 900, locale: 'az-AZ' };
const PHONE = { width: 390, height: 844, locale: 'az-AZ' };
const PERIOD = '2024Q2';

// Now in Baku, minus some hours, as a datetime-local value.
function bakuHoursAgo(hours) {
  return new Date(Date.now() + (4 - hours) * 3_600_000).toISOString().slice(0, 16);
}

// A Baku calendar day some days back, at an hour, as a datetime-local value.
function bakuDaysAgoAt(days, hour) {
  const day = new Date(Date.now() + 4 * 3_600_000 - days * 86_400_000).toISOString().slice(0, 10);
  return `${day}T${String(hour).padStart(2, '0')}:00`;
}

// A few reports awaiting a decision, so the queue has something to show: one
// overdue, one due today (a crime report's three calendar days end today),
// one just in, whatever the time of day the screenshots are taken.
async function fillQueue(page, unit) {
  const reports = [
    [bakuDaysAgoAt(5, 0), 'line102', 'Qonşunun mənzilindən səs-küy və hədə barədə zəng'],
    [bakuDaysAgoAt(3, 0), 'written', 'Avtomobilin şüşəsi sındırılıb, maqnitola götürülüb'],
    [bakuHoursAgo(1), 'in_person', 'Bazarda pul kisəsi oğurlanıb'],
  ];
  for (const [received, channel, summary] of reports) {
    await page.goto(`${BASE}/reports/new`);
    await page.selectOption('#f-unit', unit);
    await page.selectOption('#f-channel', channel);
    await page.fill('#f-received_at', received);
    await page.fill('#f-officer', 'Baş leytenant Həsənov');
    await page.fill('#f-summary', summary);
    if (channel !== 'line102') await page.fill('#f-applicant-full_name', 'Leyla Əliyeva');
    await page.fill('#f-legal_ground', 'CPM 204');
    await Promise.all([page.waitForURL(/\/reports\/[0-9a-f-]{36}$/), page.click('main form button[type=submit]')]);
  }
}

async function shot(page, name, path, { full = false } = {}) {
  if (path) await page.goto(BASE + path);
  await page.screenshot({ path: join(out, `${name}.png`), fullPage: full });
  console.log(`${name}.png  ${page.url()}`);
}

const browser = await launch();
try {
  const duty = await signedInPage(browser, 'duty_officer', DESKTOP);
  const unit = user('duty_officer').unit;
  await fillQueue(duty, unit);
  await shot(duty, 'queue', `/?unit=${unit}`);
  await duty.goto(`${BASE}/reports/new`);
  await duty.fill('#f-summary', 'Mənzildən qızıl əşyalar oğurlanıb');
  await follow(duty, 'main form button[type=submit]');
  await shot(duty, 'register-errors', null, { full: true });

  const chief = await signedInPage(browser, 'unit_chief', DESKTOP);
  await chief.goto(`${BASE}/cases?unit=${unit}&status=solved`);
  const casePath = await chief
    .locator('main a[href^="/cases/"]')
    .evaluateAll((as) => as.map((a) => a.getAttribute('href')).find((h) => /\/[0-9a-f-]{36}$/.test(h)));
  await shot(chief, 'case', casePath, { full: true });
  await shot(chief, 'search', `/search?q=${encodeURIComponent('Mənzildən')}`);
  await setPrefs(chief, { lang: 'ru' });
  await shot(chief, 'cases-ru', `/cases?unit=${unit}`);
  await setPrefs(chief, { lang: 'az' });

  const analyst = await signedInPage(browser, 'hq_analyst', DESKTOP);
  // The top of the report: pickers, narrative, the charts and the first figures.
  await analyst.setViewportSize({ width: 1280, height: 1500 });
  await shot(analyst, 'report', `/report?period=${PERIOD}&unit=BAK`);
  await analyst.setViewportSize({ width: 1280, height: 900 });
  await setPrefs(analyst, { lang: 'en' });
  await shot(analyst, 'report-en', `/report?period=${PERIOD}&unit=${user('hq_analyst').unit}`);
  // The charts with their data tables, drawn inline from the same figures.
  await analyst.locator('#charts').screenshot({ path: join(out, 'report-charts.png') });
  console.log(`report-charts.png  ${analyst.url()}#charts`);
  await setPrefs(analyst, { lang: 'az', accessible: true });
  await shot(analyst, 'report-accessible', `/report?period=${PERIOD}&unit=BAK`);

  const phone = await signedInPage(browser, 'hq_analyst', PHONE);
  await shot(phone, 'report-phone', `/report?period=${PERIOD}&unit=BAK`);
  await setPrefs(phone, { accessible: true });
  await shot(phone, 'accessible-phone', `/report?period=${PERIOD}&unit=BAK`);

  const dutyPhone = await signedInPage(browser, 'duty_officer', PHONE);
  await shot(dutyPhone, 'queue-phone', `/?unit=${unit}`);
  const investigatorRu = await signedInPage(browser, 'investigator', { ...PHONE, locale: 'ru-RU', lang: 'ru' });
  await shot(investigatorRu, 'register-phone-ru', '/reports/new');
  await publicScreenshots(browser, out);
} finally {
  await browser.close();
}
