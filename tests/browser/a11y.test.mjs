// axe-core on every page, in both display modes: each list, each form, a
// record of each kind, the case page, the report with a drill-down, the signals, the
// search with results, the Board's meetings, tasks, queue and sheet, the sign-in pages, the enrolment of a second factor,
// the administration pages, the public figures, the publications, the inspection samples, the
// cancellation forms and the approvers' queue, the
// identifiers' and series' pages, the list of series, the linking and freeze forms, the page not found and a form's errors after a bad submit. Any WCAG 2.2 A or AA violation fails, as does
// a request that leaves the server or an error in the console.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, signedInPage, setPrefs, user, follow } from './lib.mjs';
import { axeViolations, outsideRequests, pageProblems } from './lib.mjs';
import { scheduleMeeting, recordMinutes, issueTask } from './lib.mjs';

// A quarter the generated data fills (it ends in June 2024).
const PERIOD = '2024Q2';
// The district of the district's accounts: every register has records there.
const DISTRICT = user('unit_chief').unit;
const LISTS = ['/reports', '/cases', '/persons', '/seizures', '/accidents', '/examinations', '/accountability'];

// Signed in once per role, each with its own cookies; the mode is switched per test.
let browser, chief, analyst, investigator, expert, secretary, controller;
// The Board's work to look at: a meeting held, with a task of the district controlled by the test controller.
let meetingPath, taskPath;
before(async () => {
  browser = await launch();
  chief = await signedInPage(browser, 'unit_chief');
  analyst = await signedInPage(browser, 'hq_analyst');
  investigator = await signedInPage(browser, 'investigator');
  expert = await signedInPage(browser, 'forensic_expert');
  secretary = await signedInPage(browser, 'board_secretary');
  controller = await signedInPage(browser, 'controller');
  meetingPath = await scheduleMeeting(secretary, { title: 'Accessibility walk' });
  await recordMinutes(secretary, meetingPath);
  taskPath = await issueTask(secretary, meetingPath, {
    text: 'Cut burglaries in the district',
    owner: DISTRICT,
    controller: user('controller').login,
  });
});
after(async () => {
  await browser?.close();
});

// The headings of the pages that refuse or find nothing, in each language: a page
// meant to be audited that shows one of them is the wrong page.
const ERROR_HEADINGS = [
  'İcazə yoxdur', 'Нет доступа', 'Not allowed',
  'Əvvəlcə daxil olun', 'Сначала войдите', 'Sign in first',
  'Belə ünvan yoxdur', 'Такого адреса нет', 'No such address',
  'Tapılmadı', 'Не найдено', 'Not found',
];

// Fails unless the page answered `status` and is headed by `heading`, or, without
// one, by a heading that is not an error page's: axe would pass a 403 page too.
async function assertThePage(page, label, { status, heading }) {
  assert.equal(page.status, status, `${label} (${page.url()}) answered ${page.status}`);
  const h1 = (await page.locator('h1').allInnerTexts()).map((t) => t.trim());
  assert.ok(h1.length && h1[0], `${label} (${page.url()}) has no heading`);
  if (heading) assert.equal(h1[0], heading, `${label} (${page.url()}) is headed otherwise`);
  else assert.ok(!ERROR_HEADINGS.includes(h1[0]), `${label} (${page.url()}) shows the error page "${h1[0]}"`);
}

// Checks the page as it stands; returns what is wrong, headed by its address.
// The page must first be the one meant (`status`, `heading`: see assertThePage).
async function audit(page, label, { staff = true, status = 200, heading } = {}) {
  await assertThePage(page, label, { status, heading });
  const modeShown = await page.evaluate(() => document.documentElement.classList.contains('accessible'));
  const found = [
    // The sign-in pages have no frame of their own yet; every staff page shows the mode.
    ...(staff && modeShown !== page.accessible ? [`the display mode is not the one chosen`] : []),
    ...(await axeViolations(page)),
    ...outsideRequests(page, page.requests).map((u) => `request outside the server: ${u}`),
    ...pageProblems(page),
  ];
  page.problems.length = 0;
  page.requests.length = 0;
  return found.length ? [`${label} (${page.url()}):\n  ${found.join('\n  ')}`] : [];
}

async function visit(page, path, label = path, expected = {}) {
  await page.goto(BASE + path);
  return audit(page, label, expected);
}

async function inMode(page, accessible) {
  await setPrefs(page, { accessible });
  page.accessible = accessible;
  page.problems.length = 0;
  page.requests.length = 0;
  return page;
}

// The first record page a list links to, of the list's own kind.
async function firstRecord(page, list) {
  await page.goto(`${BASE}${list}?unit=${DISTRICT}`);
  return recordLinked(page, list);
}

// The first record of the list's kind the page links to.
async function recordLinked(page, list) {
  const href = await page
    .locator(`main a[href^="${list}/"]`)
    .evaluateAll((as) => as.map((a) => a.getAttribute('href')).find((h) => /\/[0-9a-f-]{36}$/.test(h)));
  assert.ok(href, `${list} links to no record`);
  return href;
}

function report(problems) {
  assert.equal(problems.length, 0, `\n${problems.join('\n\n')}\n`);
}

for (const accessible of [false, true]) {
  const mode = accessible ? 'for the visually impaired' : 'normal';

  test(`sign-in pages pass axe (${mode})`, async () => {
    const page = await newPage(browser);
    await page.goto(`${BASE}/prefs?view=${accessible ? 'accessible' : 'standard'}&back=/auth/login`);
    const problems = await audit(page, 'sign-in', { staff: false });
    // A wrong password shows the form again with the error.
    await page.fill('input[name=login]', 'nobody-such');
    await page.fill('input[name=password]', 'wrong password');
    await follow(page, 'main button[type=submit]');
    problems.push(...(await audit(page, 'sign-in refused', { staff: false, status: 401 })));
    // The second factor's page, after the password.
    const account = user('hq_analyst');
    await page.goto(`${BASE}/auth/login`);
    await page.fill('input[name=login]', account.login);
    await page.fill('input[name=password]', account.password);
    await Promise.all([page.waitForURL(/\/auth\/(totp|enrol)/), page.click('main button[type=submit]')]);
    problems.push(...(await audit(page, 'second factor', { staff: false })));
    await page.context().close();
    report(problems);
  });

  test(`administration, enrolment and public figures pass axe (${mode})`, async () => {
    const admin = await inMode(await signedInPage(browser, 'administrator'), accessible);
    const problems = [...(await visit(admin, '/admin/users', 'users'))];
    problems.push(...(await visit(admin, `/admin/users/${user('duty_officer').login}`, 'a user and its tokens')));
    problems.push(...(await visit(admin, '/admin/audit?action=sign_in', 'audit trail, filtered')));
    // The new account's form sent empty, then filled: the enrolment it shows once, QR code included.
    const addForm = 'main form[action="/admin/users"]';
    await admin.goto(`${BASE}/admin/users`);
    await follow(admin, `${addForm} button[type=submit]`);
    problems.push(...(await audit(admin, 'new account with errors', { status: 422 })));
    await admin.fill(`${addForm} input[name=login]`, `added-${accessible ? 'a' : 'n'}`);
    await admin.fill(`${addForm} input[name=display_name]`, 'Test added');
    await admin.selectOption(`${addForm} select[name=role]`, 'investigator');
    await admin.selectOption(`${addForm} select[name=home_unit]`, DISTRICT);
    await admin.fill(`${addForm} input[name=password]`, user('administrator').password);
    await follow(admin, `${addForm} button[type=submit]`);
    assert.ok(await admin.locator('main svg[role=img]').count(), 'the enrolment shows no QR code');
    problems.push(...(await audit(admin, 'new account enrolment')));
    await admin.context().close();
    // A first sign-in with no second factor yet: the enrolment page.
    const newcomer = await newPage(browser);
    await newcomer.goto(`${BASE}/prefs?view=${accessible ? 'accessible' : 'standard'}&back=/auth/login`);
    const account = user(`newcomer_${accessible ? 'accessible' : 'normal'}`);
    await newcomer.fill('input[name=login]', account.login);
    await newcomer.fill('input[name=password]', account.password);
    await follow(newcomer, 'main button[type=submit]');
    assert.equal(new URL(newcomer.url()).pathname, '/auth/enrol');
    assert.ok(await newcomer.locator('main svg[role=img]').count(), 'the enrolment page shows no QR code');
    problems.push(...(await audit(newcomer, 'enrolment at the first sign-in', { staff: false })));
    await newcomer.context().close();
    const press = await inMode(await signedInPage(browser, 'press_officer'), accessible);
    problems.push(...(await visit(press, `/figures?period=${PERIOD}`, 'public figures')));
    // The press releases: the list, the draft's form and, once the demo holds one, a release and its edit form.
    problems.push(...(await visit(press, '/releases', 'press releases')));
    await press.goto(`${BASE}/releases`);
    const release = await press
      .locator('main a[href^="/releases/"]')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')).find((h) => /\/[0-9a-f-]{36}$/.test(h)));
    problems.push(...(await visit(press, '/releases/new', 'press release, the draft form')));
    problems.push(...(await visit(press, '/releases/write', 'press release, written from scratch')));
    if (release) {
      problems.push(...(await visit(press, release, 'press release')));
      problems.push(...(await visit(press, `${release}/edit?lang=en`, 'press release, the edit form')));
      problems.push(...(await visit(press, `${release}/preview?lang=en`, 'press release, its preview')));
      problems.push(...(await visit(press, `${release}/publish`, 'press release, publication')));
    }
    await press.context().close();
    report(problems);
  });

  test(`appeals and receptions pages pass axe (${mode})`, async () => {
    const office = await inMode(await signedInPage(browser, 'appeals_officer'), accessible);
    const problems = [];
    for (const path of ['/appeals/queue?unit=BAK-NSM', '/appeals?unit=BAK', '/appeals/new', '/receptions/schedule?unit=BAK-NSM']) {
      problems.push(...(await visit(office, path)));
    }
    // The registration form sent with nothing typed: its errors at their fields.
    await office.goto(`${BASE}/appeals/new`);
    await follow(office, 'main form button[type=submit]');
    problems.push(...(await audit(office, 'appeal form with errors', { status: 422 })));
    // An appeal registered through the form; its page and the forms of its acts, in the three languages.
    await office.selectOption('#f-unit', 'BAK-NSM');
    await office.selectOption('#f-addressed_to', 'BAK');
    await office.selectOption('#f-channel', 'online');
    await office.selectOption('#f-kind', 'proposal');
    await office.check('#f-applicants-kind-anonymous');
    await office.check('#f-mentions_offence');
    await office.fill('#f-subject', 'Accessibility walk');
    await office.fill('#f-text', 'A proposal about the street lights.');
    await office.fill('#f-legal_ground', "Law on Citizens' Appeals");
    await follow(office, 'main form button[type=submit]');
    const appeal = new URL(office.url()).pathname;
    assert.match(appeal, /^\/appeals\/[0-9a-f-]{36}$/);
    for (const lang of ['az', 'ru', 'en']) {
      problems.push(...(await visit(office, `${appeal}?lang=${lang}`, `an appeal (${lang})`)));
    }
    problems.push(...(await visit(office, `${appeal}/report`, 'an appeal passed on as a crime report, the form')));
    problems.push(...(await visit(office, `${appeal}/answer`, 'an appeal, the answer form')));
    problems.push(...(await visit(office, `${appeal}/refer`, 'an appeal, the referral form')));
    problems.push(...(await visit(office, `${appeal}/extend`, 'an appeal, the extension form')));
    await office.context().close();
    const desk = await inMode(chief, accessible);
    problems.push(...(await visit(desk, '/receptions/new', 'a reception, the schedule form')));
    problems.push(...(await visit(desk, `/receptions?unit=${DISTRICT}`, 'receptions')));
    // A session two days ahead scheduled and booked through the forms; its page and the forms that
    // give a place up, call it off and record it, and the record sent with no outcome chosen.
    const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await desk.goto(`${BASE}/receptions/new`);
    await desk.selectOption('#f-unit', DISTRICT);
    await desk.fill('#f-chief-full_name', 'Col. Rauf Aliyev');
    await desk.fill('#f-chief-position', 'Chief');
    await desk.fill('#f-day', day);
    // Each display mode's walk schedules the same chief at hours of its own.
    await desk.fill('#f-from', accessible ? '14:00' : '10:00');
    await desk.fill('#f-to', accessible ? '16:00' : '12:00');
    await desk.fill('#f-place', 'Room 5');
    await desk.fill('#f-capacity', '3');
    await desk.fill('#f-legal_ground', 'Rules on receiving citizens');
    await follow(desk, 'main form button[type=submit]');
    const session = new URL(desk.url()).pathname;
    assert.match(session, /^\/receptions\/[0-9a-f-]{36}$/);
    await desk.goto(`${BASE}${session}/book`);
    await desk.fill('#f-visitor-full_name', 'Aygün Həsənova');
    await desk.fill('#f-subject', 'A dispute with the neighbours');
    await desk.fill('#f-legal_ground', 'Rules on receiving citizens');
    await follow(desk, 'main form button[type=submit]');
    problems.push(...(await visit(desk, session, 'a reception')));
    problems.push(...(await visit(desk, `${session}/give-up`, 'a reception, giving a place up')));
    problems.push(...(await visit(desk, `${session}/call-off`, 'a reception, calling it off')));
    problems.push(...(await visit(desk, `${session}/record`, 'a reception, the record form')));
    await desk.goto(`${BASE}${session}/record`);
    await follow(desk, 'main form button[type=submit]');
    problems.push(...(await audit(desk, 'a reception record with errors', { status: 422 })));
    report(problems);
  });

  test(`lists, records, search, report and not found pass axe (${mode})`, async () => {
    const page = await inMode(chief, accessible);
    const problems = [...(await visit(page, '/', 'home'))];
    for (const list of LISTS) {
      problems.push(...(await visit(page, `${list}?unit=${DISTRICT}`, list)));
      problems.push(...(await visit(page, await recordLinked(page, list), `a record of ${list}`)));
    }
    // A filtered list, sorted and on its second page.
    problems.push(...(await visit(page, `/cases?unit=${DISTRICT}&status=solved&page=2`, 'cases filtered, page 2')));
    // Search for a person the register holds, by the surname.
    await page.goto(`${BASE}/persons?unit=${DISTRICT}`);
    const surname = (await page.locator('main a[href^="/persons/"]').first().innerText()).trim().split(/\s+/).pop();
    problems.push(...(await visit(page, `/search?q=${encodeURIComponent(surname)}`, 'search with results')));
    assert.ok(await page.locator('main table tbody tr').count(), 'the search found nothing');
    problems.push(...(await visit(page, '/search', 'search, empty')));
    await inMode(analyst, accessible);
    const ministry = user('hq_analyst').unit;
    problems.push(...(await visit(analyst, `/report?period=${PERIOD}&unit=${ministry}`, 'report, the ministry')));
    // Drill down by the table's links: the ministry, a city's department, a district.
    for (const level of ['BAK', DISTRICT]) {
      await Promise.all([analyst.waitForURL(new RegExp(`unit=${level}$`)), analyst.click(`main a[href$="unit=${level}"]`)]);
      problems.push(...(await audit(analyst, `report, drilled down to ${level}`)));
    }
    problems.push(...(await visit(analyst, '/report', 'report, the latest quarter')));
    // The signs of under-recording: Baku's districts on each signal's funnel, in the three languages.
    for (const lang of ['az', 'ru', 'en']) {
      problems.push(...(await visit(analyst, `/signals?period=${PERIOD}&unit=BAK&lang=${lang}`, `signals, Baku (${lang})`)));
    }
    problems.push(...(await visit(analyst, `/signals?period=${PERIOD}&unit=${DISTRICT}`, 'signals, a district')));
    // The cancellations decided in the period, beside the signals.
    for (const lang of ['az', 'ru', 'en']) {
      problems.push(...(await visit(analyst, `/signals/cancellations?period=${PERIOD}&unit=BAK&lang=${lang}`, `cancellations decided, Baku (${lang})`)));
    }
    // The briefing pack: the form, a pack of two items for Baku and the district, a bad agenda.
    const agenda = encodeURIComponent('Crimes: crimes_recorded, solved_in_period\nReports: reports_received');
    problems.push(...(await visit(analyst, '/board/briefing', 'briefing pack, the form')));
    problems.push(
      ...(await visit(analyst, `/board/briefing?period=${PERIOD}&agenda=${agenda}&units=BAK,${DISTRICT}`, 'briefing pack')),
    );
    problems.push(
      ...(await visit(analyst, `/board/briefing?period=${PERIOD}&agenda=no+colon&units=${DISTRICT}`, 'briefing pack, a bad agenda')),
    );
    problems.push(
      ...(await visit(analyst, '/no-such-page', 'page not found', { status: 404, heading: 'Belə ünvan yoxdur' })),
    );
    report(problems);
  });

  test(`the Board's meetings, tasks, queue and sheet pass axe (${mode})`, async () => {
    const page = await inMode(secretary, accessible);
    const problems = [];
    for (const [path, label] of [
      ['/meetings', 'meetings'],
      [meetingPath, 'a meeting'],
      [`${meetingPath}/commitments`, 'memo of commitments'],
      ['/meetings/new', 'schedule a meeting'],
      [`${meetingPath}/minutes`, 'the minutes form'],
      [`${meetingPath}/tasks/new`, 'issue a task'],
      [taskPath, 'a task'],
    ]) {
      problems.push(...(await visit(page, path, label)));
    }
    // The meeting form sent empty: every missing field named at once.
    await page.goto(`${BASE}/meetings/new`);
    await follow(page, 'main form button[type=submit]');
    problems.push(...(await audit(page, 'schedule a meeting with errors', { status: 422 })));
    await inMode(chief, accessible);
    problems.push(...(await visit(chief, `/board/tasks?unit=${DISTRICT}`, "the district's task queue")));
    problems.push(...(await visit(chief, `${taskPath}/report`, 'report back')));
    await chief.goto(`${BASE}${taskPath}/report`);
    await follow(chief, 'main form button[type=submit]');
    problems.push(...(await audit(chief, 'report back with errors', { status: 422 })));
    await inMode(controller, accessible);
    problems.push(...(await visit(controller, '/board/sheet', "the controller's sheet")));
    problems.push(...(await visit(controller, `${taskPath}/control`, "the controller's decision")));
    report(problems);
  });

  test(`published figures and digital identifiers pass axe (${mode})`, async () => {
    // A quarter of the generated data no other test changes, published for the district.
    const published = '2022Q3';
    const press = await inMode(await signedInPage(browser, 'press_officer'), accessible);
    const problems = [...(await visit(press, '/publications', 'publications'))];
    problems.push(...(await visit(press, `/report?period=${published}&unit=${DISTRICT}`, 'report with the publish form')));
    await press.fill('#f-note', 'Accessibility walk');
    await press.fill('#f-legal_ground', 'Board decision');
    await follow(press, 'main form[action="/publications/new"] button[type=submit]');
    const publication = new URL(press.url()).pathname;
    assert.match(publication, /^\/publications\/[0-9a-f-]{36}$/);
    // A period not over yet: the form shown again on its own page with the error.
    await press.goto(`${BASE}/publications/new?scope=${DISTRICT}&period_from=2099-01-01&period_to=2099-03-31`);
    await press.fill('#f-legal_ground', 'Board decision');
    await follow(press, 'main form button[type=submit]');
    problems.push(...(await audit(press, 'publish form with errors', { status: 422 })));

    // An accident of the published quarter: its form asks the reason, then records it.
    const desk = await inMode(investigator, accessible);
    await desk.goto(`${BASE}/accidents/new`);
    await desk.selectOption('#f-unit', DISTRICT);
    await desk.fill('#f-occurred_at', '2022-08-10T08:00');
    await desk.fill('#f-killed', '0');
    await desk.fill('#f-injured', '1');
    await desk.fill('#f-cause', 'Speeding');
    await desk.fill('#f-legal_ground', 'CPC art. 207');
    await follow(desk, 'main form button[type=submit]');
    assert.ok(await desk.locator('#f-late-reason').count(), 'the reason is not asked');
    problems.push(...(await audit(desk, "an act's reason for a published period asked", { status: 422 })));
    await desk.selectOption('#f-late-reason', 'found_in_inspection');
    await desk.fill('#f-late-text', 'Found in an inspection of the district');
    await follow(desk, 'main form button[type=submit]');
    assert.match(new URL(desk.url()).pathname, /^\/accidents\/[0-9a-f-]{36}$/);
    for (const lang of ['az', 'ru', 'en']) {
      problems.push(...(await visit(press, `${publication}?lang=${lang}`, `a publication with its revisions (${lang})`)));
    }
    await press.context().close();

    // An identifier attached from a case's page, a malformed one refused, then looked up.
    const casePath = await firstRecord(desk, '/cases');
    await desk.goto(`${BASE}${casePath}`);
    await desk.selectOption('#f-identifier-kind', 'phone');
    await desk.fill('#f-identifier-input', accessible ? '050 111 22 33' : '050 111 22 44');
    await desk.fill('#f-legal_ground', 'CPC art. 207');
    await follow(desk, 'main form[action$="/identifiers/new"] button[type=submit]');
    problems.push(...(await audit(desk, 'a case with an identifier')));
    for (const lang of ['az', 'ru', 'en']) {
      problems.push(...(await visit(desk, `/freezes/queue?lang=${lang}`, `the freeze requests' queue (${lang})`)));
      problems.push(...(await visit(desk, `/freezes?lang=${lang}`, `the freeze requests (${lang})`)));
    }
    await desk.goto(`${BASE}${casePath}/identifiers/new`);
    await desk.selectOption('#f-identifier-kind', 'card');
    await desk.fill('#f-identifier-input', '1234');
    await follow(desk, 'main form button[type=submit]');
    problems.push(...(await audit(desk, 'attach form with errors', { status: 422 })));
    for (const lang of ['az', 'ru', 'en']) {
      problems.push(...(await visit(desk, `/identifiers?lang=${lang}`, `the identifier lookup (${lang})`)));
    }
    await desk.selectOption('#f-kind', 'phone');
    await desk.fill('#f-value', accessible ? '+994501112233' : '+994501112244');
    await follow(desk, 'main form[action="/identifiers"] button[type=submit]');
    assert.ok(await desk.locator(`main a[href="${casePath}"]`).count(), 'the lookup does not find the case');
    problems.push(...(await audit(desk, 'the lookup with its matches')));
    await follow(desk, 'main a[href^="/identifiers/phone/"]');
    problems.push(...(await audit(desk, "an identifier's page")));
    // Outside the district: the unit and how many, and the request for access.
    const outside = await inMode(analyst, accessible);
    await outside.goto(`${BASE}/identifiers`);
    await outside.selectOption('#f-kind', 'phone');
    await outside.fill('#f-value', accessible ? '0501112233' : '0501112244');
    await follow(outside, 'main form[action="/identifiers"] button[type=submit]');
    assert.ok(await outside.locator('#elsewhere').count(), 'no matches elsewhere');
    problems.push(...(await audit(outside, 'the lookup with matches elsewhere')));
    // The same number on a report: the case and the report are a series, its page with the diagram.
    const reportPath = await firstRecord(desk, '/reports');
    await desk.goto(`${BASE}${reportPath}`);
    await desk.selectOption('#f-identifier-kind', 'phone');
    await desk.fill('#f-identifier-input', accessible ? '050 111 22 33' : '050 111 22 44');
    await desk.fill('#f-legal_ground', 'CPC art. 207');
    await follow(desk, 'main form[action$="/identifiers/new"] button[type=submit]');
    await desk.goto(`${BASE}${casePath}`);
    const seriesPath = await desk.locator('#series-link a').getAttribute('href');
    assert.match(seriesPath, /^\/series\/[0-9a-f-]{36}$/);
    for (const lang of ['az', 'ru', 'en']) {
      problems.push(...(await visit(desk, `${seriesPath}?lang=${lang}`, `a series with its diagram (${lang})`)));
    }
    // The analyst's forms on it, and a confirmation refused for want of its note.
    problems.push(...(await visit(outside, seriesPath, "a series with the analyst's forms")));
    await follow(outside, 'main form[action$="/confirm"] button[type=submit]');
    problems.push(...(await audit(outside, 'the confirmation with errors', { status: 422 })));
    problems.push(...(await visit(outside, `${seriesPath}/split`, "the split's form")));
    // The list of series, and an identifier's linking decision refused for want of its reason.
    for (const lang of ['az', 'ru', 'en']) {
      problems.push(...(await visit(outside, `/series?lang=${lang}`, `the list of series (${lang})`)));
    }
    const phoneKey = accessible ? '%2B994501112233' : '%2B994501112244';
    problems.push(...(await visit(outside, `/identifiers/phone/${phoneKey}`, "an identifier's page with the linking form")));
    await outside.check('#f-linking-excluded');
    await follow(outside, 'main form[action$="/linking"] button[type=submit]');
    problems.push(...(await audit(outside, 'the linking decision with errors', { status: 422 })));
    // The freeze request's form from the case, refused for want of its fields.
    for (const lang of ['az', 'ru', 'en']) {
      problems.push(...(await visit(desk, `${casePath}/freeze?lang=${lang}`, `a freeze request's form (${lang})`)));
    }
    await follow(desk, 'main form button[type=submit]');
    problems.push(...(await audit(desk, "a freeze request's form with errors", { status: 422 })));
    report(problems);
  });

  test(`cancellation forms and the approvers' queue pass axe (${mode})`, async () => {
    // A case of its own in each mode: a case takes one pending request at a time.
    await investigator.goto(`${BASE}/cases?unit=${DISTRICT}`);
    const cases = await investigator
      .locator('main a[href^="/cases/"]')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')).filter((h) => /\/[0-9a-f-]{36}$/.test(h)));
    const casePath = cases[accessible ? 1 : 0];
    assert.ok(casePath, 'the district has no case to ask about');
    const desk = await inMode(investigator, accessible);
    const problems = [];
    for (const lang of ['az', 'ru', 'en']) {
      const form = `${casePath}/cancellation/request?lang=${lang}`;
      problems.push(...(await visit(desk, form, `the cancellation request (${lang})`)));
    }
    // No ground and no evidence: the form shown again with its errors.
    await desk.fill('#f-text', 'The same burglary is recorded twice');
    await desk.fill('#f-legal_ground', 'CPC art. 207');
    await follow(desk, 'main form button[type=submit]');
    problems.push(...(await audit(desk, 'the cancellation request with errors', { status: 422 })));
    await desk.selectOption('#f-ground', 'recorded_twice');
    await desk.fill('#f-evidence', "The victim's two statements name the same night");
    await follow(desk, 'main form button[type=submit]');
    assert.equal(new URL(desk.url()).pathname, casePath);
    problems.push(...(await audit(desk, 'a case with its pending cancellation')));
    const approver = await inMode(chief, accessible);
    for (const lang of ['az', 'ru', 'en']) {
      problems.push(...(await visit(approver, `/cancellations/queue?lang=${lang}`, `the approvers' queue (${lang})`)));
    }
    // The district's own chief is inside the unit: the rule refuses the approval.
    problems.push(...(await visit(approver, `${casePath}/cancellation/decide`, 'the cancellation decision')));
    await approver.check('#f-approve-true');
    await approver.selectOption('#f-victim_told-how', 'letter');
    await approver.fill('#f-victim_told-at', await approver.inputValue('#f-decided_at'));
    await approver.fill('#f-legal_ground', 'CPC art. 207');
    await follow(approver, 'main form button[type=submit]');
    problems.push(...(await audit(approver, 'an approval from inside the unit', { status: 422 })));
    report(problems);
  });

  test(`inspection samples pass axe (${mode})`, async () => {
    const inspector = await inMode(await signedInPage(browser, 'inspector'), accessible);
    const problems = [...(await visit(inspector, '/samples', 'inspection samples'))];
    const draw = `/samples/new?unit=${DISTRICT}&kind=refusals&period_from=2022-01-01&period_to=2022-12-31`;
    problems.push(...(await visit(inspector, draw, 'draw a sample, pre-filled')));
    // A size of none: the form shown again with its error.
    await inspector.fill('#f-size', '0');
    await inspector.fill('#f-legal_ground', 'Inspection order');
    await follow(inspector, 'main form button[type=submit]');
    problems.push(...(await audit(inspector, 'draw a sample with errors', { status: 422 })));
    await inspector.fill('#f-size', '1');
    await inspector.fill('#f-legal_ground', 'Inspection order');
    await follow(inspector, 'main form button[type=submit]');
    const sample = new URL(inspector.url()).pathname;
    assert.match(sample, /^\/samples\/[0-9a-f-]{36}$/);
    for (const lang of ['az', 'ru', 'en']) {
      problems.push(...(await visit(inspector, `${sample}?lang=${lang}`, `a sample (${lang})`)));
    }
    const review = await inspector.getAttribute('main a[href*="/review?seq="]', 'href');
    problems.push(...(await visit(inspector, review, 'review a decision')));
    await inspector.check('#f-finding-wrong');
    await inspector.fill('#f-legal_ground', 'Inspection order');
    await follow(inspector, 'main form button[type=submit]');
    problems.push(...(await audit(inspector, 'a wrong finding without its note', { status: 422 })));
    await inspector.fill('#f-note', 'Refused without a check');
    await follow(inspector, 'main form button[type=submit]');
    problems.push(...(await audit(inspector, 'a sample with a finding and its estimate')));
    await inspector.context().close();
    report(problems);
  });

  test(`forms, and a form's errors, pass axe (${mode})`, async () => {
    const reportPath = await firstRecord(chief, '/reports');
    const casePath = await firstRecord(chief, '/cases');
    const examinationPath = await firstRecord(chief, '/examinations');

    const page = await inMode(investigator, accessible);
    const problems = [];
    for (const path of [
      '/reports/new',
      `${reportPath}/decide`,
      '/cases/new',
      `${casePath}/persons/new`,
      `${casePath}/money`,
      `${casePath}/decide`,
      `${casePath}/reclassify`,
      `/seizures/new?case=${casePath.split('/').pop()}`,
      '/accidents/new',
      `/examinations/new?case=${casePath.split('/').pop()}`,
    ]) {
      problems.push(...(await visit(page, path)));
    }
    // The register form sent empty: the summary of errors and each field's own.
    await page.goto(`${BASE}/reports/new`);
    await follow(page, 'main form button[type=submit]');
    assert.ok(await page.locator('.error-summary').count(), 'no error summary after an empty submit');
    problems.push(...(await audit(page, 'register form with errors', { status: 422 })));
    await page.goto(`${BASE}${casePath}/decide`);
    await follow(page, 'main form button[type=submit]');
    problems.push(...(await audit(page, 'case decision with errors', { status: 422 })));

    await inMode(expert, accessible);
    problems.push(...(await visit(expert, `${examinationPath}/complete`)));
    report(problems);
  });
}
