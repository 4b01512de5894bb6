// Smoothing as TensorBoard does it: an exponential moving average, debiased so that the first points are not
// pulled towards 0 (TensorBoard's "smoothing" slider, weight w in [0, 1)). A non-finite value (a cost that became
// NaN) is passed through as it is and leaves the average where it was.

/** The smoothed copy of points ({x, y}), weight in [0, 1): 0 gives the points themselves. */
export function ema(points, weight, out = []) {
  out.length = 0;
  const state = { last: 0, count: 0 };
  for (let i = 0; i < points.length; i++) {
    out.push(step(points[i], weight, state));
  }
  return out;
}

function step(p, weight, state) {
  if (!Number.isFinite(p.y)) {
    return p;
  }
  state.last = state.last * weight + (1 - weight) * p.y;
  state.count++;
  const debias = weight === 0 ? 1 : 1 - weight ** state.count;
  return { x: p.x, y: state.last / debias };
}

/**
 * Series derived from a run's arrays (smoothed, or on a time axis), kept up to date as the arrays grow: a live
 * append costs the new points only. The derived array is the same object from draw to draw, so the charts see
 * an append, not a new series. Recomputed whole when the key changes or the source was replaced in place
 * (a finer or coarser history: runs.js refine).
 */
export class Derived {
  constructor() {
    this.cache = new WeakMap();
  }

  /** points mapped by x (a function of the iteration) and smoothed by weight; key names both. */
  of(points, key, weight, x) {
    let entry = this.cache.get(points);
    if (!entry) {
      entry = { key: null, out: [], done: 0, tail: null, state: null };
      this.cache.set(points, entry);
    }
    const extend = entry.key === key && entry.done <= points.length && entry.done > 0
      && points[entry.done - 1] === entry.tail;
    if (!extend) {
      entry.key = key;
      entry.out.length = 0;
      entry.done = 0;
      entry.state = { last: 0, count: 0 };
    }
    for (let i = entry.done; i < points.length; i++) {
      const p = points[i];
      const moved = x ? { x: x(p.x), y: p.y } : p;
      entry.out.push(weight > 0 ? step(moved, weight, entry.state) : moved);
    }
    entry.done = points.length;
    entry.tail = points.length ? points[points.length - 1] : null;
    return entry.out;
  }
}
