// What the browser tests share: Debian's Chromium started headless as this
// machine allows, pages in a language and display mode, and axe-core.
import { chromium } from 'playwright-core';
import { readFileSync, writeFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';

export const BASE = process.env.CRIMEBOARD_URL ?? 'http://127.0.0.1:8080';
// The public site's own listener (`crimeboard serve --public-addr`).
export const PUBLIC = process.env.CRIMEBOARD_PUBLIC_URL ?? 'http://127.0.0.1:8081';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// WCAG 2.2 levels A and AA (with 2.0 and 2.1, which it contains), as the issue asks;
// best practices are not rules.
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    // Without these, Chromium reaches for Google's hosts, which this
    // machine's closed network refuses.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

// A fresh context: no cookies, so the language and mode start at defaults.
// The pages forbid inline script; axe is injected past that policy.
// `locale` is the browser's own (how it shows a date field), not the pages' language.
export async function newPage(browser, { width = 1280, height = 900, locale } = {}) {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width, height }, acceptDownloads: true, locale });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()} (${m.location().url})`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  page.problems = problems;
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  page.requests = requests;
  // The status of the document shown: the last answer to a navigation of the page itself.
  page.on('response', (r) => {
    if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) page.status = r.status();
  });
  return page;
}

// Runs axe-core on the page as it stands; returns readable violations.
export async function axeViolations(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    WCAG_TAGS,
  );
  return result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n` + v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}: ${n.failureSummary}`).join('\n'),
  );
}

// Every request the page made stayed on our server (`base`, the staff's by default).
export function outsideRequests(page, requests, base = BASE) {
  const origin = new URL(base).origin;
  return requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'));
}

// The accounts scripts/browser-tests.sh made, one per staff role:
// { duty_officer: { login, password, secret, unit }, ... }.
export const USERS = process.env.CRIMEBOARD_USERS
  ? JSON.parse(readFileSync(process.env.CRIMEBOARD_USERS, 'utf8'))
  : {};

export function user(role) {
  const u = USERS[role];
  if (!u) throw new Error(`no test account for ${role}: run through scripts/browser-tests.sh`);
  return u;
}

const STEP_SECONDS = 30;

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of text.replace(/=+$/, '').toUpperCase()) {
    const i = alphabet.indexOf(c);
    if (i < 0) throw new Error(`not base32: ${c}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

// RFC 6238: HMAC-SHA-1 over the step number, dynamically truncated to 6 digits.
export function totpCode(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const n = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(n).padStart(6, '0');
}

// The server takes each step once per account (no replay) and one step
// either side of its now. The steps used so far are kept beside the accounts
// file, since every test file is a process of its own.
function stepsFile() {
  return `${process.env.CRIMEBOARD_USERS ?? '/tmp/crimeboard-users.json'}.steps.json`;
}

async function freshStep(login) {
  let used = {};
  try {
    used = JSON.parse(readFileSync(stepsFile(), 'utf8'));
  } catch {
    // No sign-in yet.
  }
  const now = () => Math.floor(Date.now() / 1000 / STEP_SECONDS);
  // Now's step, or the next one if now's is used: both stay in the window
  // if a step boundary passes before the server checks.
  const step = Math.max(now(), (used[login] ?? -Infinity) + 1);
  while (step > now() + 1) await new Promise((r) => setTimeout(r, 500));
  used[login] = step;
  writeFileSync(stepsFile(), JSON.stringify(used));
  return step;
}

// Signs in through the pages: password, then the second factor (or, if the
// account has none yet, its enrolment with the secret the page shows).
export async function signIn(page, account) {
  await page.goto(`${BASE}/auth/login`);
  await page.fill('input[name=login]', account.login);
  await page.fill('input[name=password]', account.password);
  await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/auth/login')), page.click('main button[type=submit]')]);
  let secret = account.secret;
  if (new URL(page.url()).pathname === '/auth/enrol') {
    secret = (await page.locator('main p code').last().textContent()).trim();
    account.secret = secret;
  }
  const step = new URL(page.url()).pathname;
  if (step === '/auth/totp' || step === '/auth/enrol') {
    await page.fill('input[name=code]', totpCode(secret, await freshStep(account.login)));
    await follow(page, 'main button[type=submit]');
  }
  const landed = new URL(page.url()).pathname;
  if (landed.startsWith('/auth/') && landed !== '/auth/enrol') {
    throw new Error(`${account.login} did not get past ${landed}: ${await page.locator('main').innerText()}`);
  }
}

// A fresh page signed in as the account of `role`, in a display mode and language.
export async function signedInPage(browser, role, { accessible = false, lang = 'az', ...size } = {}) {
  const page = await newPage(browser, size);
  await signIn(page, user(role));
  await setPrefs(page, { accessible, lang });
  // What signing in did is not the test's concern.
  page.problems.length = 0;
  page.requests.length = 0;
  return page;
}

// The language and display mode, as the switches in every page's header set them.
export async function setPrefs(page, { accessible = false, lang = 'az' } = {}) {
  await page.goto(`${BASE}/prefs?lang=${lang}&view=${accessible ? 'accessible' : 'standard'}&back=/`);
}

// What went wrong in the page: errors thrown, failed requests, console
// errors; a page's own status that the test asked for (a 404, a form's 422)
// is not a problem.
export function pageProblems(page) {
  const own = page.url();
  const expected = (p) =>
    p.includes('the server responded with a status of 4') && (p.endsWith(`(${own})`) || p.endsWith('/favicon.ico)'));
  return page.problems.filter((p) => !expected(p));
}

// Clicks what leads to another page (a link, a form's button) and waits until that page has loaded.
export async function follow(page, selector) {
  await Promise.all([page.waitForEvent('framenavigated'), page.click(selector)]);
  await page.waitForLoadState();
}

// The Board's work through its pages, for the tests that need a meeting and a task.

// A civil day in Baku (UTC+4, no summer time), `days` from today, as a date field takes it.
export function bakuDay(days = 0) {
  return new Date(Date.now() + 4 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

// Fills and sends the form of the main region; fails on an error summary.
export async function submitForm(page) {
  await follow(page, 'main form button[type=submit]');
  const errors = await page.locator('.error-summary').count();
  if (errors) throw new Error(`${page.url()}: ${await page.locator('.error-summary').innerText()}`);
}

// Schedules a meeting held today on the data set's last quarter (as the
// secretary's page); returns the meeting page's path.
export async function scheduleMeeting(page, { title, unit = 'BAK' }) {
  await page.goto(`${BASE}/meetings/new`);
  await page.selectOption('#f-unit', 'AZ');
  await page.fill('#f-title', title);
  await page.selectOption('#f-kind', 'quarterly');
  await page.fill('#f-held_on', bakuDay());
  await page.fill('#f-period_from', '2024-04-01');
  await page.fill('#f-period_to', '2024-06-30');
  await page.fill('#f-agenda-0-topic', 'Crimes recorded');
  await page.fill('#f-agenda-0-indicators', 'crimes_recorded');
  await page.fill('#f-agenda-0-units', unit);
  await page.fill('#f-rapporteurs-0-full_name', 'Colonel Aliyev');
  await page.fill('#f-rapporteurs-0-position', 'Chief');
  await page.selectOption('#f-rapporteurs-0-unit', unit);
  await page.selectOption('#f-rapporteurs-0-item', '0');
  await page.fill('#f-legal_ground', 'Regulation on the Board');
  await submitForm(page);
  return new URL(page.url()).pathname;
}

export async function recordMinutes(page, meetingPath) {
  await page.goto(`${BASE}${meetingPath}/minutes`);
  await page.fill('#f-minutes', 'The Board heard the chiefs and set the tasks.');
  await page.fill('#f-attendance-0-full_name', 'General Mammadov');
  await page.fill('#f-attendance-0-position', 'Deputy Minister');
  await page.fill('#f-legal_ground', 'Regulation on the Board');
  await submitForm(page);
}

// Issues a task of the meeting to `owner`, controlled by `controller`, due in 30 days; returns its page's path.
export async function issueTask(page, meetingPath, { text, owner, controller }) {
  await page.goto(`${BASE}${meetingPath}/tasks/new`);
  await page.fill('#f-text', text);
  await page.fill('#f-authority', 'Minister');
  await page.selectOption('#f-owner', owner);
  await page.fill('#f-controller', controller);
  await page.fill('#f-due_on', bakuDay(30));
  await page.selectOption('#f-control_level', 'deputy_minister');
  await page.selectOption('#f-targets-0-indicator', 'crimes_recorded');
  await page.selectOption('#f-targets-0-expected', 'decrease');
  await page.fill('#f-legal_ground', 'Regulation on the Board');
  await submitForm(page);
  return new URL(page.url()).pathname;
}
