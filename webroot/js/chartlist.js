import { changeMarks } from './changemarks.js';
import { ruleOfThumb } from './ruleband.js';

// The page's charts, one entry each, in the order they appear; charts.js builds a card, a canvas and (when
// offered) a log toggle for each, and draws, zooms and tests them all alike. Adding a chart is one entry here.
//
// An entry:
//   id        the chart's name: its canvas is #chart-{id}, its log toggle #{id}-log
//   title     the card's caption
//   series    (run, overlays) => [{label, data, colour, width?}]: what it draws of the run shown, picked by the
//             server's column names (runs.js holds one series per column of hello.schema; a per-layer column
//             is one series per layer). The first is the run's own: its points are what the canvas's
//             data-points, data-first and data-last count. overlays: other runs the viewer ticked in the list.
//   y         optional Chart.js options of the y axis (accuracy: 0..1)
//   log       optional: a log toggle is offered, starting unchecked ('linear') or checked ('log')
//   small     optional: a low card across the whole width of the grid, for a chart that is glanced at
//   plugins   optional (shown) => [Chart.js plugins]; shown() is the run on screen, or null

const LAYER_COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];
const TRAIN_COLOUR = '#2563eb';
const VALIDATION_COLOUR = '#ea580c';
const OVERLAY_COLOURS = ['#64748b', '#a16207', '#0f766e', '#7c3aed', '#be123c', '#4d7c0f'];

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

export const CHARTS = [
  {
    id: 'cost',
    title: 'Cost',
    log: 'linear',
    // Beside the run's own cost, each overlaid run's, thinner.
    series: (run, overlays) => trainAndValidation(run, 'cost', 'validationCost').concat(overlays.map((o, i) => ({
      label: 'run ' + o.id, data: o.series('cost'), colour: OVERLAY_COLOURS[i % OVERLAY_COLOURS.length], width: 1,
    }))),
    plugins: (shown) => [changeMarks(() => changesOf(shown()))],
  },
  {
    id: 'accuracy',
    title: 'Accuracy',
    y: { min: 0, max: 1 },
    series: (run) => trainAndValidation(run, 'accuracy', 'validationAccuracy'),
  },
  {
    id: 'weights',
    title: 'Weight norms ‖W‖',
    log: 'linear',
    series: (run) => perLayer(run, 'weightNorms', 'W'),
  },
  {
    id: 'gradients',
    title: 'Gradient norms ‖dW‖',
    log: 'log',
    series: (run) => perLayer(run, 'gradientNorms', 'dW'),
  },
  {
    // ‖ΔW‖/‖W‖ of each iteration's update: about 1e-3 is healthy (the band), far below learns slowly, far above
    // is unstable.
    id: 'update-ratios',
    title: 'Update ratio ‖ΔW‖/‖W‖',
    log: 'log',
    series: (run) => perLayer(run, 'updateRatios', 'W'),
    plugins: () => [ruleOfThumb(1e-3, 10 ** -0.5)],
  },
  {
    id: 'dead-fractions',
    title: 'Dead ReLU units',
    y: { min: 0, max: 1 },
    series: (run) => perLayer(run, 'deadFractions', 'h'),
  },
  {
    id: 'learning-rate',
    title: 'Learning rate',
    log: 'linear',
    small: true,
    series: (run) => [{ label: 'learning rate', data: run.series('learningRate'), colour: TRAIN_COLOUR }],
  },
];
