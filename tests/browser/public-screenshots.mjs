// The public site's screenshots in docs/screenshots, linked from the README:
// a unit's page in the standard view and for the visually impaired (white
// on black, large text). Taken by screenshots.mjs; alone:
//
//   CRIMEBOARD_PUBLIC_URL=http://127.0.0.1:8081 node tests/browser/public-screenshots.mjs OUT_DIR
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PUBLIC, launch, newPage } from './lib.mjs';

const DISTRICT = 'BAK-NSM';

export async function publicScreenshots(browser, out) {
  const page = await newPage(browser, { width: 1280, height: 900, locale: 'az-AZ' });
  const shot = async (name) => {
    await page.goto(`${PUBLIC}/units/${DISTRICT}`);
    await page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
    console.log(`${name}.png  ${page.url()}`);
  };
  await page.goto(`${PUBLIC}/prefs?lang=az&view=standard&back=/`);
  await shot('public-unit');
  await page.goto(`${PUBLIC}/prefs?size=150&scheme=wb&back=/`);
  await shot('public-unit-contrast');
  await page.context().close();
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const browser = await launch();
  try {
    await publicScreenshots(browser, process.argv[2] ?? 'docs/screenshots');
  } finally {
    await browser.close();
  }
}
