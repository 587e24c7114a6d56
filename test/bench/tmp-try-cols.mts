import { startSim } from '../sim/server';
import { benchColumns } from './columns';

const sim = await startSim();
try {
  const r = await benchColumns({ simPort: sim.port, log: console.log });
  console.log(
    JSON.stringify(
      r.cases.map(({ runs, ...c }) => ({
        ...c,
        runs: runs.map((x) => [x.renderMs, x.columnsMs, x.taskMs, x.longestTaskMs].map((v) => Math.round(v * 10) / 10)),
      })),
      null,
      1,
    ),
  );
} finally {
  await sim.close();
}
