// A task of the Board walked in Chromium from its meeting to its closure:
// the secretary schedules a meeting, records its minutes and issues a task
// to a district with a controller; the district's chief reports back and
// asks an extension, which the controller grants; the chief asks closure and
// the controller closes the task. At each step the task's page says its
// status, how many times it was extended and its due date.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, signedInPage, user, pageProblems, follow, bakuDay, submitForm } from './lib.mjs';
import { scheduleMeeting, recordMinutes, issueTask } from './lib.mjs';

const DISTRICT = user('unit_chief').unit;

let browser, secretary, chief, controller;
before(async () => {
  browser = await launch();
  secretary = await signedInPage(browser, 'board_secretary', { lang: 'en' });
  chief = await signedInPage(browser, 'unit_chief', { lang: 'en' });
  controller = await signedInPage(browser, 'controller', { lang: 'en' });
});
after(async () => {
  await browser?.close();
});

// A day as the English pages write it: 19/04/2024.
function shown(day) {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

// Where the task stands, as its page says to `page`.
async function standing(page, taskPath) {
  await page.goto(`${BASE}${taskPath}`);
  const text = async (id) => (await page.locator(`#${id}`).innerText()).trim();
  return { status: await text('task-status'), extensions: await text('task-extensions'), due: await text('task-due') };
}

// Opens a form from the task's page by its link, as a person would.
async function openFromTask(page, taskPath, form) {
  await page.goto(`${BASE}${taskPath}`);
  await follow(page, `main a[href="${taskPath}/${form}"]`);
}

async function reportBack(kind, fill = async () => {}) {
  await openFromTask(chief, taskPath, 'report');
  await chief.check(`#f-kind-${kind}`);
  await fill();
  await chief.fill('#f-text', `What was done (${kind})`);
  await chief.selectOption('#f-confidence', 'at_risk');
  await chief.fill('#f-legal_ground', 'Regulation on the Board');
  await submitForm(chief);
  assert.equal(new URL(chief.url()).pathname, taskPath);
}

async function decide(kind, fill = async () => {}) {
  await openFromTask(controller, taskPath, 'control');
  await controller.check(`#f-decision-kind-${kind}`);
  await fill();
  await controller.selectOption('#f-confidence', 'on_track');
  await controller.fill('#f-legal_ground', 'Regulation on the Board');
  await submitForm(controller);
  assert.equal(new URL(controller.url()).pathname, taskPath);
}

let taskPath;

test('a task goes from its meeting through a report, an extension and a closure', async () => {
  const title = `Board meeting ${Date.now()}`;
  const meetingPath = await scheduleMeeting(secretary, { title });
  assert.match(meetingPath, /^\/meetings\/[0-9a-f-]{36}$/);
  await recordMinutes(secretary, meetingPath);
  assert.ok((await secretary.locator('main').innerText()).includes('General Mammadov'), 'the attendance is not shown');
  const text = `Cut burglaries in the district ${Date.now()}`;
  taskPath = await issueTask(secretary, meetingPath, { text, owner: DISTRICT, controller: user('controller').login });
  assert.match(taskPath, /^\/tasks\/[0-9a-f-]{36}$/);
  const due = shown(bakuDay(30));
  assert.deepEqual(await standing(chief, taskPath), { status: 'Open', extensions: '0', due });

  // The chief finds it in the district's queue.
  await chief.goto(`${BASE}/board/tasks?unit=${DISTRICT}`);
  assert.ok((await chief.locator('main table').innerText()).includes(text.slice(0, 40)), 'the task is not in the queue');

  await reportBack('interim');
  assert.deepEqual(await standing(chief, taskPath), { status: 'Open', extensions: '0', due });

  const later = bakuDay(60);
  await reportBack('ask_extension', async () => {
    await chief.fill('#f-kind-new_due_on', later);
    await chief.fill('#f-kind-reason', 'The new patrols start next month.');
  });
  assert.deepEqual(await standing(controller, taskPath), { status: 'Extension asked', extensions: '0', due });

  await decide('extend', async () => {
    await controller.fill('#f-decision-new_due_on', later);
    await controller.fill('#f-decision-reason', 'Agreed.');
  });
  const extended = `${shown(later)} (extensions: 1)`;
  assert.deepEqual(await standing(chief, taskPath), { status: 'Open', extensions: '1', due: extended });

  await reportBack('ask_closure');
  assert.deepEqual(await standing(controller, taskPath), { status: 'Closure asked', extensions: '1', due: extended });
  assert.ok(await controller.locator('#targets').count(), 'the targets are not evaluated for the closure');

  await decide('close', async () => {
    await controller.fill('#f-decision-justification', 'Done as the minutes asked.');
  });
  assert.deepEqual(await standing(chief, taskPath), { status: 'Closed', extensions: '1', due: extended });
  assert.equal(await chief.locator(`main a[href="${taskPath}/report"]`).count(), 0, 'a closed task offers a report');

  // The memo of commitments lists the task, dated the meeting's day.
  await secretary.goto(`${BASE}${meetingPath}/commitments`);
  const memo = await secretary.locator('main').innerText();
  assert.ok(memo.includes(shown(bakuDay())) && memo.includes(text.slice(0, 40)), memo);
  for (const page of [secretary, chief, controller]) assert.deepEqual(pageProblems(page), []);
});
