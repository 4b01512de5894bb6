// Runs side by side: each run one colour on every chart (the same colour for the same run wherever it is drawn),
// a legend that names it (by what sets it apart when it came from a sweep), and the overlays every chart draws.

export const RUN_COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777',
  '#4d7c0f', '#be123c', '#0f766e', '#7c3aed'];
// Second and later lines of one run (validation, layer 2, …) are told apart by their dash.
export const DASHES = [[], [6, 3], [2, 2], [10, 3, 2, 3], [1, 4]];
const DASH_NAMES = ['solid', 'dashed', 'dotted', 'dash-dot', 'sparse'];

const colourOf = new Map();

/** The run's colour, fixed the first time it is asked for, so that it never changes while the page is open. */
export function runColour(run) {
  const id = String(run.id);
  if (!colourOf.has(id)) {
    const used = new Set(colourOf.values());
    const free = RUN_COLOURS.find((c) => !used.has(c));
    colourOf.set(id, free || RUN_COLOURS[colourOf.size % RUN_COLOURS.length]);
  }
  return colourOf.get(id);
}

/** A deleted run gives its colour back. */
export function forgetColour(id) {
  colourOf.delete(String(id));
}

/** What a sweep's label says: "learningRate=0.03", or null when the run is not one of a sweep. */
export function sweepLabel(run) {
  const sweep = run && run.state && run.state.sweep;
  if (!sweep || typeof sweep !== 'object') {
    return null;
  }
  const parts = Object.entries(sweep).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return parts.length ? parts.join(', ') : null;
}

/** The run as a person calls it: its name, else "run ID". */
export function runName(run) {
  return (run && run.state && run.state.name) || (run ? `run ${run.id}` : '');
}

/** Its legend: the sweep's label when it has one (what differs is what a reader compares), else its name. */
export function legendName(run) {
  return sweepLabel(run) || runName(run);
}

/** A name fit for a downloaded file: letters, digits, dot, dash and underscore only. */
export function fileName(run, suffix) {
  const base = runName(run).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'run';
  return base + suffix;
}

/**
 * The lines a chart draws when runs are compared: for every run (the one shown first), each of lines(run) in the
 * run's colour, its first line solid and the others dashed. The legend names each run once (its first line); the
 * others are secondary, told apart by their dash (dashKey). lines(run) => [{label, data}].
 */
export function compared(runs, lines) {
  return runs.flatMap((run) => {
    const own = lines(run);
    return own.map((line, i) => ({
      label: i === 0 ? legendName(run) : `${legendName(run)} · ${line.label}`,
      secondary: i > 0,
      data: line.data,
      colour: runColour(run),
      dash: DASHES[i % DASHES.length],
      runId: String(run.id),
    }));
  });
}

/** What the dashes mean when a run draws several lines: "solid train · dashed validation", or '' for one. */
export function dashKey(lines) {
  return lines.length > 1 ? lines.map((l, i) => `${DASH_NAMES[i % DASH_NAMES.length]} ${l.label}`).join(' · ') : '';
}
