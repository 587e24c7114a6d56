/**
 * `npm run demo`: starts the simulated OpenAI hosts, opens Chromium with the built Keymeter
 * loaded and connected with the demo admin key, on the simulated usage page.
 * With a display it stays open until Ctrl-C; without one it runs headless, visits the main
 * pages, saves screenshots under demo-output/ and prints their paths.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchWithExtension } from '../e2e/browser';
import { connectOrg, waitForSync } from '../e2e/options-page';
import { DEMO_ADMIN_KEY } from './seed';
import { startSim } from './server';

const headless = !process.env.DISPLAY || process.env.HEADLESS === '1';
const outDir = resolve(import.meta.dirname, '../../demo-output');

const sim = await startSim();
console.log(
  `Simulator: platform.openai.com and api.openai.com → https://127.0.0.1:${sim.port} (control: http://127.0.0.1:${sim.controlPort})`,
);
const browser = await launchWithExtension(sim.port, { headless });
console.log(`Keymeter loaded as extension ${browser.extensionId}`);

// A year of history, so the seeded holiday spike (Dec 2025) is in it.
const options = await connectOrg(browser, DEMO_ADMIN_KEY, { backfillDays: 400, label: 'Acme Robotics (simulated)' });
console.log('Syncing a year of simulated usage…');
await waitForSync(options, 180_000);

const page = await browser.context.newPage();
const shots: Array<[string, string]> = [
  ['usage-2024', 'https://platform.openai.com/usage?layout=2024&start=2025-12-15&end=2026-01-10'],
  ['usage-2026', 'https://platform.openai.com/usage?layout=2026&start=2025-12-15&end=2026-01-10'],
  ['api-keys', 'https://platform.openai.com/api-keys?layout=2024'],
];

if (headless) {
  mkdirSync(outDir, { recursive: true });
  const saved: string[] = [];
  for (const [name, url] of shots) {
    await page.goto(url);
    await page
      .getByText(/top api keys|api keys/i)
      .first()
      .waitFor();
    await page.waitForTimeout(1500); // late rendering, then Keymeter's columns and panel
    const file = resolve(outDir, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    saved.push(file);
  }
  // The README's picture: "Top API keys" with Keymeter's columns and panel, at the holiday spike.
  await page.goto(shots[0]![1]);
  const card = page.locator('[data-keymeter-panel]');
  await page.frameLocator('[data-keymeter-panel] iframe').getByTestId('usage-panel').waitFor();
  await page.waitForTimeout(2000);
  const cardBox = await page.locator('[data-keymeter-note]').boundingBox();
  const panelBox = await card.boundingBox();
  if (cardBox && panelBox) {
    const file = resolve(outDir, 'usage-top-api-keys.png');
    const top = cardBox.y - 60;
    await page.screenshot({
      path: file,
      fullPage: true,
      clip: { x: panelBox.x - 20, y: top, width: panelBox.width + 40, height: panelBox.y + panelBox.height - top + 10 },
    });
    saved.push(file);
  }
  // Chromium does not paint an off-screen extension frame: bring the panel into view, then capture it.
  const panelFile = resolve(outDir, 'usage-panel.png');
  await page.locator('[data-keymeter-panel] iframe').scrollIntoViewIfNeeded();
  await page.waitForTimeout(1500);
  await page.locator('[data-keymeter-panel]').screenshot({ path: panelFile });
  saved.push(panelFile);
  const optionsFile = resolve(outDir, 'options.png');
  await options.screenshot({ path: optionsFile, fullPage: true });
  saved.push(optionsFile);
  console.log('No display: ran headless and saved screenshots:');
  for (const file of saved) console.log(`  ${file}`);
  await browser.close();
  await sim.close();
} else {
  await page.goto(shots[0]![1]);
  await options.close();
  console.log('Chromium is open on the simulated usage page. Press Ctrl-C to stop.');
  process.on('SIGINT', () => {
    void browser.close().finally(() => sim.close().finally(() => process.exit(0)));
  });
}
