import { changeMarks } from './changemarks.js';
import { compared, dashKey } from './overlays.js';
import { overfitFrom, overfitMark } from './overfit.js';

// The page's charts, one entry each, in the order they appear; charts.js builds a card, a canvas, a note and (when
// offered) a log toggle for each, and draws, zooms, smooths, overlays and exports them all alike. Adding a chart is
// one entry here.
//
// An entry:
//   id        the chart's name: its canvas is #chart-{id}, its log toggle #{id}-log
//   title     the card's caption
//   note      a sentence or two under the caption: what the chart shows here and what to look for
//   lines     (run) => [{label, data, colour}]: what it draws of one run, picked by the server's column names
//             (runs.js holds one series per column of hello.schema; a per-layer column is one series per layer).
//             The first is the run's own main line: its points are what the canvas's data-points, data-first and
//             data-last count. With runs overlaid (ticked in the runs table) every run's lines are drawn, each
//             run in its own colour on every chart (overlays.js).
//   raw       optional: true to draw it as it is, never smoothed (the learning rate is not noisy)
//   y         optional Chart.js options of the y axis (accuracy: 0..1)
//   log       optional: a log toggle is offered, starting unchecked ('linear') or checked ('log')
//   small     optional: a low card across the whole width of the grid, for a chart that is glanced at
//   plugins   optional (view) => [Chart.js plugins]; view.shown() is the run on screen or null, view.x(i) the
//             x of iteration i on the axis chosen (iteration, wall or relative time)

const LAYER_COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];
const TRAIN_COLOUR = '#2563eb';
const VALIDATION_COLOUR = '#ea580c';

/** The run's train series, and its validation series once it has points (a spec that holds examples out). */
function trainAndValidation(run, train, validation) {
  const held = run.series(validation);
  return [{ label: 'train', data: run.series(train), colour: TRAIN_COLOUR }]
    .concat(held.length > 0 ? [{ label: 'validation', data: held, colour: VALIDATION_COLOUR }] : []);
}

/** One line per layer of a per-layer column, labelled prefix1…prefixL. */
function perLayer(run, column, prefix) {
  return run.layers(column).map((data, l) => ({ label: prefix + (l + 1), data, colour: LAYER_COLOURS[l % LAYER_COLOURS.length] }));
}

function changesOf(run) {
  return run && Array.isArray(run.state.changes) ? run.state.changes : [];
}

/** Where the run shown began to overfit, or null. */
export function overfitting(run) {
  return run ? overfitFrom(run.series('cost'), run.series('validationCost')) : null;
}

export const CHARTS = [
  {
    id: 'cost',
    title: 'Cost',
    note: 'Binary cross-entropy on the training examples (and the held-out ones, when validation is on): how wrong '
      + 'the network is, lower is better. A validation cost that rises while the training cost falls is overfitting.',
    log: 'linear',
    lines: (run) => trainAndValidation(run, 'cost', 'validationCost'),
    plugins: (view) => [changeMarks(() => changesOf(view.shown()), view.x),
      overfitMark(() => {
        const at = overfitting(view.shown());
        return at === null ? null : view.x(at);
      })],
  },
  {
    id: 'accuracy',
    title: 'Accuracy',
    note: 'The fraction of examples the network classifies right (output above or below 0.5); 0.5 is guessing.',
    y: { min: 0, max: 1 },
    lines: (run) => trainAndValidation(run, 'accuracy', 'validationAccuracy'),
  },
  {
    id: 'weights',
    title: 'Weight norms ‖W‖',
    note: 'The size (Frobenius norm) of each layer\'s weight matrix. Slow growth is normal; a norm that shoots up '
      + 'means the steps are too large, one stuck at its start means the layer is not learning.',
    log: 'linear',
    lines: (run) => perLayer(run, 'weightNorms', 'W'),
  },
  {
    id: 'gradients',
    title: 'Gradient norms ‖dW‖',
    note: 'How hard each layer is pushed at each step. Early layers far below the last ones (many powers of ten) '
      + 'are vanishing gradients; norms that grow without bound are exploding ones. Near 0 everywhere: a minimum.',
    log: 'log',
    lines: (run) => perLayer(run, 'gradientNorms', 'dW'),
  },
  {
    id: 'learning-rate',
    title: 'Learning rate',
    note: 'The step size each update used; it changes where someone changed it live.',
    log: 'linear',
    small: true,
    raw: true,
    lines: (run) => [{ label: 'learning rate', data: run.series('learningRate'), colour: TRAIN_COLOUR }],
  },
];

/** An entry's series for the run shown and the runs overlaid beside it: the run's own, or all compared. */
export function seriesOf(entry, run, overlays) {
  return overlays.length === 0 ? entry.lines(run) : compared([run, ...overlays], entry.lines);
}

/** When runs are compared, what each dash means (the run shown's lines); else ''. */
export function keyOf(entry, run, overlays) {
  return overlays.length === 0 || !run ? '' : dashKey(entry.lines(run));
}
