// What this viewer knows about each run: its state and its points, one series per column of the server's point
// schema (hello.schema: a run column is one array, a per-layer column one array per layer), in arrays that the
// charts draw directly ({x: iteration, y: value}, Chart.js's internal format, so that parsing can be off). A
// column the server adds needs nothing here: the charts pick series by column name (chartlist.js).
//
// No gaps, no duplicates: points are only ever appended in increasing iteration order, and a point whose
// iteration is not past the last one held is dropped. After a reconnection the server sends the history from
// just after what we hold (socket.js asks it to); what we hold is kept and only what we missed is appended.
//
// Bounded, without a rule of our own: a run that grows past the page's bound is asked for again, whole, at half
// the bound (resample), and the server's answer, downsampled by its one rule (each bucket keeps its first, last,
// least- and greatest-cost point: docs/storage.md), replaces what we hold (refine).

// The points a page holds of a run, by default, before it asks the server for the run again at half as many.
export const MAX_POINTS = 200000;
const RATE_WINDOW_MS = 3000;
// After the server could not answer a history request (too many waiting), wait this long before asking again.
const RETRY_MS = 2000;

const value = (v) => (v === null || v === undefined ? NaN : v);

export class Run {
  constructor(id, schema = []) {
    this.id = id;
    this.status = null;
    this.spec = null;
    this.state = {};
    this.last = -1;
    // Column name -> its column of the schema; name -> one array (kind "run") or one array per layer.
    this.schema = new Map();
    this.columns = new Map();
    this.useSchema(schema);
    this.samples = [];
    this.elapsedMs = undefined;
    this.elapsedAt = 0;
    this.itPerSec = undefined;
    // True once some of the points held stand for more iterations than they are: zooming in then asks for more.
    this.coarse = false;
    // The end of the whole history asked for to come back within the bound, while its answer is awaited.
    this.asked = null;
    this.retryAt = 0;
    this.seenAt = Date.now();
  }

  /** Holds a series for every column of schema not held yet (a server may add columns; none is dropped). */
  useSchema(schema) {
    for (const column of schema) {
      if (!this.schema.has(column.name)) {
        this.schema.set(column.name, column);
        this.columns.set(column.name, []);
      }
    }
  }

  /** A run column's points, [] when the schema has no such column. */
  series(name) {
    const column = this.schema.get(name);
    return column && column.kind === 'run' ? this.columns.get(name) : [];
  }

  /** A per-layer column's points, one array per layer (W1…WL, or the hidden layers), [] when there is none. */
  layers(name) {
    const column = this.schema.get(name);
    return column && column.kind !== 'run' ? this.columns.get(name) : [];
  }

  get total() {
    return this.state.iterations || (this.spec && this.spec.iterations);
  }

  get latestCost() {
    const cost = this.series('cost');
    const c = cost[cost.length - 1];
    return c ? c.y : value(this.state.cost);
  }

  /** Points held: the longest series (an optional column is shorter when some points lack it). */
  get size() {
    return Math.max(0, ...this.allSeries().map((s) => s.length));
  }

  /** Appends the points past the last iteration held; returns how many were added. */
  append(points) {
    let added = 0;
    for (const p of points) {
      if (typeof p.iteration !== 'number' || p.iteration <= this.last) {
        continue;
      }
      const x = p.iteration;
      this.last = x;
      for (const [name, column] of this.schema) {
        if (column.kind !== 'run') {
          pushPerLayer(this.columns.get(name), x, p[name]);
        } else if (!column.optional || name in p) {
          this.columns.get(name).push({ x, y: value(p[name]) });
        }
      }
      added++;
    }
    return added;
  }

  /** History from iteration 0: what we hold is kept when it agrees, replaced when the run is not the one we knew. */
  history(points) {
    if (points.length > 0 && this.last >= 0 && points[points.length - 1].iteration < this.last) {
      this.clear();
    }
    return this.append(points);
  }

  /**
   * The history request that brings this run back within bound points (half of it, or the server's
   * maxHistoryPoints if fewer), or null when it is within it or one is awaited. It asks up to the last iteration
   * held, so that the answer ends with it (the server keeps a range's last point); what arrives live meanwhile stays.
   */
  resample(bound, maxHistoryPoints, now = Date.now()) {
    if (this.size <= bound || this.asked !== null || now < this.retryAt) {
      return null;
    }
    this.asked = this.last + 1;
    const maxPoints = Math.min(maxHistoryPoints, Math.floor(bound / 2));
    return { type: 'history', runId: this.id, from: 0, to: this.asked, maxPoints };
  }

  /** No answer will come to what was asked: ask again when needed, after delay ms. */
  forgetAsked(delay) {
    this.asked = null;
    this.retryAt = Date.now() + delay;
  }

  /**
   * A history request's answer for iterations [from, to): a zoom's finer view of a run that arrived downsampled,
   * or the whole run again at a resolution within the bound (resample). The points held in that range are
   * replaced by these. Nothing past the last iteration held is taken, so that live appends stay in order.
   */
  refine(from, to, points) {
    if (from === 0 && this.asked !== null) {
      this.asked = null;
    }
    const finer = new Run(this.id, [...this.schema.values()]);
    finer.append(points.filter((p) => p.iteration <= this.last));
    if (finer.last < 0) {
      return;
    }
    const end = Math.min(to, this.last + 1);
    for (const name of this.schema.keys()) {
      const mine = this.arrays(name);
      finer.arrays(name).forEach((series, i) => {
        if (mine[i]) {
          replace(mine[i], from, end, series.filter((p) => p.x >= from && p.x < end));
        }
      });
    }
  }

  clear() {
    this.last = -1;
    this.allSeries().forEach((s) => { s.length = 0; });
    this.samples = [];
  }

  /** A column's arrays: one for a run column, one per layer for a per-layer column. */
  arrays(name) {
    return this.schema.get(name).kind === 'run' ? [this.columns.get(name)] : this.columns.get(name);
  }

  /** Every array the charts draw, so that they can be cleared or counted. */
  allSeries() {
    return [...this.schema.keys()].flatMap((name) => this.arrays(name));
  }

  /**
   * Notes a live update's timing: the server's training rate and time spent training when it gives them,
   * else the iterations between the server's send times over the last few seconds.
   */
  tick(update) {
    this.timing(update);
    const now = typeof update.time === 'number' ? update.time : Date.now();
    this.samples.push({ time: now, iteration: this.last });
    while (this.samples.length > 2 && now - this.samples[0].time > RATE_WINDOW_MS) {
      this.samples.shift();
    }
  }

  /** Takes elapsedMs and itPerSec from a state or metrics message. */
  timing(message) {
    if (typeof message.elapsedMs === 'number') {
      this.elapsedMs = message.elapsedMs;
      this.elapsedAt = Date.now();
    }
    if ('itPerSec' in message) {
      this.itPerSec = message.itPerSec;
    }
  }

  /** Iterations per second, NaN when not running or unknown. */
  rate() {
    if (this.status !== 'running') {
      return NaN;
    }
    if (typeof this.itPerSec === 'number') {
      return this.itPerSec;
    }
    if (this.samples.length < 2) {
      return NaN;
    }
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    return last.time > first.time ? (last.iteration - first.iteration) * 1000 / (last.time - first.time) : NaN;
  }

  /** Time spent training, pauses excluded, ticking on between the server's figures while running. */
  elapsed() {
    if (typeof this.elapsedMs !== 'number') {
      return NaN;
    }
    return this.elapsedMs + (this.status === 'running' ? Date.now() - this.elapsedAt : 0);
  }
}

/** Index of the first point at or after iteration x (binary search: points are in iteration order). */
export function firstAtOrAfter(series, x) {
  let lo = 0;
  let hi = series.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (series[mid].x < x) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/**
 * Puts points in place of series' points of iterations [from, to), in place (the charts hold the array). A loop,
 * not splice(...points): an answer can hold more points than a call may take arguments.
 */
function replace(series, from, to, points) {
  const lo = firstAtOrAfter(series, from);
  const after = series.slice(firstAtOrAfter(series, to));
  series.length = lo;
  points.forEach((p) => series.push(p));
  after.forEach((p) => series.push(p));
}

function pushPerLayer(layers, x, norms) {
  if (!Array.isArray(norms)) {
    return;
  }
  while (layers.length < norms.length) {
    layers.push([]);
  }
  norms.forEach((n, l) => layers[l].push({ x, y: value(n) }));
}

/** Every run this viewer has heard of, by id. */
export class Runs {
  constructor() {
    this.byId = new Map();
    this.schema = [];
  }

  /** The server's point schema (hello.schema), for every run held and every run to come. */
  useSchema(schema) {
    this.schema = Array.isArray(schema) ? schema : [];
    this.byId.forEach((run) => run.useSchema(this.schema));
  }

  get(id) {
    const key = String(id);
    let run = this.byId.get(key);
    if (!run) {
      run = new Run(id, this.schema);
      this.byId.set(key, run);
    }
    return run;
  }

  /** A new connection: no answer will come to what was asked on the last one. */
  connected() {
    this.byId.forEach((run) => run.forgetAsked(0));
  }

  /** The server refused a history request (an error names no run): every run may ask again, a little later. */
  refused() {
    this.byId.forEach((run) => run.forgetAsked(RETRY_MS));
  }

  all() {
    return [...this.byId.values()];
  }

  /** [id, last iteration] of every run we hold points of: where a reconnection resumes. */
  held() {
    return [...this.byId.values()].filter((r) => r.last >= 0).map((r) => [r.id, r.last]);
  }

  find(id) {
    return id === null || id === undefined ? undefined : this.byId.get(String(id));
  }

  /** Forgets a deleted run. */
  remove(id) {
    this.byId.delete(String(id));
  }

  /** Newest first: by the server's start time when it gives one, else by when we first heard of it. */
  newestFirst() {
    const when = (r) => r.state.startedAt || r.seenAt;
    return [...this.byId.values()].sort((a, b) => when(b) - when(a));
  }
}
