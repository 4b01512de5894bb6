// The page's runs table with many runs (issue 11): sorting 10 000 runs by a number and by name, and filtering them
// by text, with the page's own functions (webroot/js/runtable.js), in Node. Each figure is the median of 7 with the
// fastest and slowest beside it. Prints figures; asserts nothing.
//
//   node src/test/js/runtable-bench.mjs [runs]

import { Run } from '../../../webroot/js/runs.js';
import { COLUMNS, matches, sortRuns } from '../../../webroot/js/runtable.js';

const n = Number(process.argv[2] || 10000);
const runs = [];
for (let r = 0; r < n; r++) {
  const run = new Run(`run-${r}`);
  run.status = r % 7 === 0 ? 'running' : 'finished';
  run.spec = { layers: [2, 8 + (r % 5), 1], learningRate: 0.01 * (1 + (r % 30)), init: 'he', seed: r, iterations: 5000,
    dataset: { name: ['xor', 'spiral', 'circle'][r % 3] } };
  run.state = { name: `sweep ${r % 97} run ${r}`, cost: Math.random(), bestCost: Math.random(), accuracy: Math.random(),
    iteration: 5000, learningRate: run.spec.learningRate, changes: [], sweep: { learningRate: run.spec.learningRate } };
  run.elapsedMs = 1000 + r;
  runs.push(run);
}

function time(what, task) {
  task();
  const ms = [];
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    task();
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  console.log(`${what.padEnd(44)} median ${ms[3].toFixed(2).padStart(8)} ms  (fastest ${ms[0].toFixed(2)}, slowest ${ms[6].toFixed(2)})`);
}

const byId = (id) => COLUMNS.find((c) => c.id === id);
time(`sort ${n} by final cost`, () => sortRuns(runs, byId('cost'), false));
time(`sort ${n} by name`, () => sortRuns(runs, byId('name'), false));
time(`sort ${n} by learning rate, descending`, () => sortRuns(runs, byId('lr'), true));
time(`filter ${n} by "sweep 4 spiral"`, () => runs.filter((r) => matches(r, ['sweep', '4', 'spiral'])));
time(`every cell's text of 200 rows (one refresh)`, () => runs.slice(0, 200).forEach((r) => COLUMNS.forEach((c) => c.text(r))));
