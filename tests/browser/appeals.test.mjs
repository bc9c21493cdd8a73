// A citizen's appeal walked in Chromium through the appeals office's forms:
// the city's office registers a complaint for a district, refers it to
// another district of the city (it stays open there), grants an extension,
// answers it and records the applicant's rating. At each step the appeal's
// page says where it stands.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, signedInPage, pageProblems, follow, bakuDay, submitForm } from './lib.mjs';

let browser, office;
before(async () => {
  browser = await launch();
  office = await signedInPage(browser, 'appeals_officer', { lang: 'en' });
});
after(async () => {
  await browser?.close();
});

// Where the appeal stands, as its page says.
async function standing(appealPath) {
  await office.goto(`${BASE}${appealPath}`);
  const text = async (id) => (await office.locator(`#${id}`).innerText()).trim();
  return { status: await text('appeal-status'), unit: await text('appeal-unit') };
}

// Opens an act's form from the appeal's page by its button, fills it and sends it.
async function take(appealPath, act, fill) {
  await office.goto(`${BASE}${appealPath}`);
  await follow(office, `main a[href="${appealPath}/${act}"]`);
  await fill();
  await office.fill('#f-legal_ground', "Law on Citizens' Appeals");
  await submitForm(office);
  assert.equal(new URL(office.url()).pathname, appealPath);
}

test('an appeal is registered, referred to another district, extended, answered and rated', async () => {
  const subject = `Noise in the yard ${Date.now()}`;
  await office.goto(`${BASE}/appeals/new`);
  await office.selectOption('#f-unit', 'BAK-NSM');
  await office.selectOption('#f-addressed_to', 'BAK');
  await office.selectOption('#f-channel', 'written');
  await office.selectOption('#f-kind', 'complaint');
  await office.fill('#f-received_at', `${bakuDay(-1)}T09:00`);
  await office.check('#f-applicants-kind-person');
  await office.fill('#f-applicants-person-full_name', 'Məmmədov Rauf');
  await office.fill('#f-applicants-person-address', 'Bakı, Nəsimi r., 5');
  await office.fill('#f-subject', subject);
  await office.fill('#f-text', 'The neighbours are loud every night.');
  await office.fill('#f-attachments', 'Copy of the application, 1 page');
  await office.fill('#f-legal_ground', "Law on Citizens' Appeals");
  await submitForm(office);
  const appealPath = new URL(office.url()).pathname;
  assert.match(appealPath, /^\/appeals\/[0-9a-f-]{36}$/);
  assert.deepEqual(await standing(appealPath), { status: 'Open', unit: 'Nasimi District Police Department' });

  // The district's queue lists it.
  await office.goto(`${BASE}/appeals/queue?unit=BAK-NSM`);
  assert.ok((await office.locator('main table').innerText()).includes(subject), 'the appeal is not in the queue');

  await take(appealPath, 'refer', async () => {
    await office.check('#f-to-kind-unit');
    await office.selectOption('#f-to-unit', 'BAK-YAS');
    await office.selectOption('#f-applicant_told', 'post');
  });
  const moved = await standing(appealPath);
  assert.equal(moved.status, 'Open');
  assert.match(moved.unit, /Yasamal/);

  await take(appealPath, 'extend', async () => {
    await office.check('#f-extension-kind-extension');
    await office.fill('#f-extension-days', '10');
    await office.fill('#f-extension-reason', 'Documents requested from the registry office');
    await office.fill('#f-granted_at', `${bakuDay(-1)}T10:00`);
    await office.fill('#f-granted_by', 'Col. Aliyev');
    await office.selectOption('#f-applicant_told', 'e_mail');
  });
  assert.equal((await standing(appealPath)).status, 'Extended');

  await take(appealPath, 'answer', async () => {
    await office.selectOption('#f-decision', 'partly');
    await office.fill('#f-text', 'The precinct officer has spoken to the neighbours.');
    await office.fill('#f-signed_by', 'Col. Aliyev');
    await office.selectOption('#f-delivered_by', 'post');
    await office.fill('#f-answered_at', `${bakuDay(-1)}T12:00`);
  });
  assert.equal((await standing(appealPath)).status, 'Answered');

  await take(appealPath, 'rate', async () => {
    await office.check('#f-score-4');
  });
  await office.goto(`${BASE}${appealPath}`);
  assert.equal((await office.locator('#appeal-score').innerText()).trim(), '4');
  const timeline = await office.locator('main ol.timeline').innerText();
  const acts = ['Appeal registered', 'Appeal referred', "Appeal's deadline extended", 'Appeal answered', "Appeal's handling rated"];
  const at = acts.map((a) => timeline.indexOf(a));
  assert.ok(at.every((i, n) => i >= 0 && (n === 0 || i > at[n - 1])), `the timeline is not in order: ${timeline}`);
  assert.deepEqual(pageProblems(office), []);
});
