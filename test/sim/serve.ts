/** `npm run sim`: serves the simulated platform.openai.com + api.openai.com alone, until Ctrl-C. */
import { chromiumArgs } from '../e2e/browser';
import { DEMO_ADMIN_KEY } from './seed';
import { startSim } from './server';

const sim = await startSim({ port: Number(process.env.SIM_PORT ?? 0) });
console.log(`Simulator on https://127.0.0.1:${sim.port} (control: http://127.0.0.1:${sim.controlPort})`);
console.log(`Demo admin key: ${DEMO_ADMIN_KEY}`);
console.log('Start a Chromium against it with these flags (add --load-extension=.output/chrome-mv3):');
console.log(`  ${chromiumArgs(sim.port, null).join(' ')}`);
process.on('SIGINT', () => void sim.close().then(() => process.exit(0)));
