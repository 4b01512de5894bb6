// What this viewer knows about each run: its state and its points, in arrays that the charts draw directly
// ({x: iteration, y: value}, Chart.js's internal format, so that parsing can be off).
//
// No gaps, no duplicates: points are only ever appended in increasing iteration order, and a point whose
// iteration is not past the last one held is dropped. After a reconnection the server sends the history from
// just after what we hold (socket.js asks it to); what we hold is kept and only what we missed is appended.

// Past this many points in a series, older points are thinned (each group of four keeps its lowest and
// highest value), so that a run of millions of iterations does not grow the tab's memory without bound.
const MAX_POINTS = 200000;
const RATE_WINDOW_MS = 3000;

const value = (v) => (v === null || v === undefined ? NaN : v);

export class Run {
  constructor(id) {
    this.id = id;
    this.status = null;
    this.spec = null;
    this.state = {};
    this.last = -1;
    this.cost = [];
    this.validationCost = [];
    this.accuracy = [];
    this.validationAccuracy = [];
    this.weights = [];
    this.gradients = [];
    this.samples = [];
    this.elapsedMs = undefined;
    this.elapsedAt = 0;
    this.itPerSec = undefined;
    // True once some of the points held stand for more iterations than they are: zooming in then asks for more.
    this.coarse = false;
    this.seenAt = Date.now();
  }

  /** The number of weight layers, once known from the spec or the first point. */
  get depth() {
    return this.weights.length || (this.spec && Array.isArray(this.spec.layers) ? this.spec.layers.length - 1 : 0);
  }

  get total() {
    return this.state.iterations || (this.spec && this.spec.iterations);
  }

  get latestCost() {
    const c = this.cost[this.cost.length - 1];
    return c ? c.y : value(this.state.cost);
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
      this.cost.push({ x, y: value(p.cost) });
      this.accuracy.push({ x, y: value(p.accuracy) });
      if ('validationCost' in p) {
        this.validationCost.push({ x, y: value(p.validationCost) });
      }
      if ('validationAccuracy' in p) {
        this.validationAccuracy.push({ x, y: value(p.validationAccuracy) });
      }
      pushPerLayer(this.weights, x, p.weightNorms);
      pushPerLayer(this.gradients, x, p.gradientNorms);
      added++;
    }
    if (this.cost.length > MAX_POINTS) {
      this.series().forEach(thin);
      this.coarse = true;
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
   * A finer view of iterations [from, to), asked for when zooming into a run that arrived downsampled: the
   * points held in that range are replaced by these. Nothing past the last iteration held is taken, so that
   * live appends stay in order.
   */
  refine(from, to, points) {
    const finer = new Run(this.id);
    finer.append(points.filter((p) => p.iteration <= this.last));
    const end = Math.min(to, this.last + 1);
    const mine = this.series();
    const theirs = finer.series();
    if (finer.last < 0 || mine.length !== theirs.length) {
      return;
    }
    mine.forEach((series, i) => {
      const lo = firstAtOrAfter(series, from);
      const hi = firstAtOrAfter(series, end);
      series.splice(lo, hi - lo, ...theirs[i].filter((p) => p.x >= from && p.x < end));
    });
  }

  clear() {
    this.last = -1;
    this.series().forEach((s) => { s.length = 0; });
    this.samples = [];
  }

  /** Every array the charts draw, so that they can be thinned or cleared in place. */
  series() {
    return [this.cost, this.validationCost, this.accuracy, this.validationAccuracy, ...this.weights, ...this.gradients];
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
function firstAtOrAfter(series, x) {
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

function pushPerLayer(layers, x, norms) {
  if (!Array.isArray(norms)) {
    return;
  }
  while (layers.length < norms.length) {
    layers.push([]);
  }
  norms.forEach((n, l) => layers[l].push({ x, y: value(n) }));
}

/** Halves an old series in place, keeping each group of four's extremes and the latest point. */
function thin(series) {
  const keepFrom = series.length - 1;
  let out = 0;
  for (let i = 0; i + 4 <= keepFrom; i += 4) {
    let lo = i;
    let hi = i;
    for (let j = i + 1; j < i + 4; j++) {
      if (series[j].y < series[lo].y) lo = j;
      if (series[j].y > series[hi].y) hi = j;
    }
    series[out++] = series[Math.min(lo, hi)];
    if (lo !== hi) {
      series[out++] = series[Math.max(lo, hi)];
    }
  }
  const tailStart = keepFrom - (keepFrom % 4);
  for (let i = tailStart; i < series.length; i++) {
    series[out++] = series[i];
  }
  series.length = out;
}

/** Every run this viewer has heard of, by id. */
export class Runs {
  constructor() {
    this.byId = new Map();
  }

  get(id) {
    const key = String(id);
    let run = this.byId.get(key);
    if (!run) {
      run = new Run(id);
      this.byId.set(key, run);
    }
    return run;
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
