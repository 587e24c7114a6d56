import { launchWithExtension } from './e2e/browser';
import { startSim } from './sim/server';
const sim = await startSim();
const b = await launchWithExtension(sim.port);
const p = await b.context.newPage();
for (const layout of ['2024', '2026', 'compact']) {
  await p.goto(`https://platform.openai.com/usage?layout=${layout}&start=2025-12-15&end=2026-01-10`);
  await p.getByText(/top api keys/i).first().waitFor();
  await p.waitForTimeout(1500);
  const html = await p.evaluate(() => {
    const h = [...document.querySelectorAll('h1,h2,h3,h4,[role=heading]')].find(e => /top api keys/i.test(e.textContent ?? ''));
    let card = h?.parentElement;
    while (card && !card.querySelector('table,[role=grid]')) card = card.parentElement;
    return card?.outerHTML ?? 'none';
  });
  console.log('=====', layout, html.length);
  console.log(html.slice(0, 3000));
  const picker = await p.evaluate(() => document.querySelector('main')?.innerHTML.slice(0, 1500));
  console.log('--- main start', picker);
}
await b.close(); await sim.close();
