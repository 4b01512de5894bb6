import { firstAtOrAfter } from './runs.js';
import { Derived } from './smoothing.js';

// "Overfitting from about iteration N": validation cost has risen for a while since its lowest point, while the
// training cost kept falling. Judged on the smoothed curves (a noisy validation cost rises and falls by chance):
// the lowest smoothed validation cost is at N, the latest is at least RISE above it, at least WHILE of the run
// has passed since N, and the training cost now is below its value at N.

const RISE = 0.05;
const WHILE = 0.1;
const WEIGHT = 0.9;

// The smoothed curves, kept up to date as the run grows, and the lowest smoothed validation cost found so far in
// each: a live update costs its new points, not the whole run (this is asked every frame).
const smoothed = new Derived();
const lows = new WeakMap();

/** The index of the lowest finite y of v, looked for past what was looked at before. */
function lowestOf(v) {
  let state = lows.get(v);
  if (!state || state.done > v.length || (state.done > 0 && v[state.done - 1] !== state.tail)) {
    state = { done: 0, lowest: -1, tail: null };
    lows.set(v, state);
  }
  for (let i = state.done; i < v.length; i++) {
    if (Number.isFinite(v[i].y) && (state.lowest < 0 || v[i].y < v[state.lowest].y)) {
      state.lowest = i;
    }
  }
  state.done = v.length;
  state.tail = v.length ? v[v.length - 1] : null;
  return state.lowest;
}

/** The iteration overfitting began at, or null when the curves do not show it. */
export function overfitFrom(train, validation) {
  if (validation.length < 20 || train.length < 20) {
    return null;
  }
  const v = smoothed.of(validation, 'overfit', WEIGHT);
  const lowest = lowestOf(v);
  const end = v[v.length - 1];
  if (lowest < 0 || !Number.isFinite(end.y) || lowest === v.length - 1) {
    return null;
  }
  const at = v[lowest];
  const span = end.x - v[0].x;
  if (end.y < at.y * (1 + RISE) || end.x - at.x < WHILE * span) {
    return null;
  }
  const t = smoothed.of(train, 'overfit', WEIGHT);
  const trainAt = t[firstAtOrAfter(t, at.x)];
  const trainEnd = t[t.length - 1];
  return trainAt && trainEnd.y < trainAt.y ? at.x : null;
}

/** A Chart.js plugin drawing a dashed red line and a label at the iteration from(chart) returns (null: none). */
export function overfitMark(from) {
  return {
    id: 'overfitMark',
    afterDatasetsDraw(chart) {
      const at = from(chart);
      const x = chart.scales.x;
      if (at === null || at === undefined || at < x.min || at > x.max) {
        return;
      }
      const px = x.getPixelForValue(at);
      const { top, bottom } = chart.chartArea;
      const ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = '#c81e1e';
      ctx.setLineDash([3, 3]);
      ctx.beginPath();
      ctx.moveTo(px, top);
      ctx.lineTo(px, bottom);
      ctx.stroke();
      ctx.fillStyle = '#c81e1e';
      ctx.font = '11px system-ui, sans-serif';
      ctx.textAlign = px > (chart.chartArea.left + chart.chartArea.right) / 2 ? 'right' : 'left';
      ctx.fillText('overfitting', px + (ctx.textAlign === 'left' ? 4 : -4), top + 12);
      ctx.restore();
    },
  };
}
