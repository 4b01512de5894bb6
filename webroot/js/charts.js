import { CHARTS, keyOf, seriesOf } from './chartlist.js';
import { fileName } from './overlays.js';
import { Derived } from './smoothing.js';
import { drawWithinBudget } from './frame.js';

// The page's charts, one per entry of CHARTS (chartlist.js), each a card built here in the chart grid. They draw
// a Run's arrays directly (parsing off, x a linear axis), so that a live update is an append and one
// chart.update('none') per animation frame, however many messages arrived in it. Every chart overlays the same
// runs, smooths the same way and shares one x range, so that their x axes stay aligned.

const IDLE_FACTOR = 3;
const MAX_WAIT_MS = 1000;
// How often a chart off screen is updated all the same (its scales and data stay current for whoever reads them).
const OFFSCREEN_MS = 2000;
const X_TITLES = { iteration: 'iteration', relative: 'training time (s)', wall: 'time of day' };

/** An axis number, written the same way across one axis: all in e-notation when any tick needs it. */
export function axisNumber(value, lo, hi) {
  if (value === 0) {
    return '0';
  }
  if (lo < 1e-3 || hi >= 1e5) {
    const [m, e] = value.toExponential(2).split('e');
    return String(Number(m)) + 'e' + e.replace('+', '');
  }
  return String(Number(value.toPrecision(3)));
}

/**
 * Log-axis labels, readable at any range: over two decades or more, 1, 2 and 5 times each power of ten; over less,
 * at most about six of the ticks Chart.js placed, evenly; written alike across the axis (axisNumber).
 */
export function logTick(value, index, ticks) {
  const values = ticks.map((t) => t.value).filter((v) => v > 0);
  if (!(value > 0) || values.length === 0) {
    return '';
  }
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const decades = Math.log10(hi / lo);
  if (decades >= 1.5) {
    const significand = value / 10 ** Math.floor(Math.log10(value) + 1e-9);
    const whole = Math.round(significand);
    if (![1, 2, 5].includes(whole) || Math.abs(significand - whole) > 1e-6) {
      return '';
    }
  } else {
    const every = Math.max(1, Math.ceil(ticks.length / 6));
    if (index % every !== 0 && index !== ticks.length - 1) {
      return '';
    }
  }
  return axisNumber(value, lo, hi);
}

function linearTick(value, index, ticks) {
  const values = ticks.map((t) => Math.abs(t.value)).filter((v) => v > 0);
  return axisNumber(value, Math.min(...values, Infinity), Math.max(...values, 0));
}

function timeTick(mode) {
  return (value) => {
    if (mode === 'wall') {
      return new Date(value).toLocaleTimeString('en-GB', { hour12: false });
    }
    return String(Number(value.toPrecision(4)));
  };
}

function options(entry) {
  return {
    animation: false,
    parsing: false,
    normalized: true,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    elements: { point: { radius: 0, hitRadius: 4 }, line: { borderWidth: 1.5 } },
    scales: {
      // Labels never rotated and sized from a few of them: Chart.js then fits an axis without trying rotations
      // and measuring every label at each update (Chart.js's performance notes).
      x: { type: 'linear', title: { display: false, text: 'iteration' },
        ticks: { maxTicksLimit: 7, minRotation: 0, maxRotation: 0, sampleSize: 4 } },
      y: { type: 'linear', ticks: { maxTicksLimit: entry.small ? 3 : 6, callback: linearTick, sampleSize: 4 }, ...entry.y },
    },
    plugins: {
      // Drawing, not data: Chart.js draws a long series at the chart's width (min-max keeps the spikes a user
      // looks for), while the run's arrays keep every point the server sent.
      decimation: { enabled: true, algorithm: 'min-max' },
      legend: {
        display: !entry.small, position: 'top', align: 'end',
        labels: { boxWidth: 12, boxHeight: 2, padding: 6, font: { size: 11 },
          filter: (item, data) => !data.datasets[item.datasetIndex].raw && !data.datasets[item.datasetIndex].secondary },
      },
      subtitle: { display: false, text: '', align: 'end', font: { size: 10.5 }, padding: { bottom: 2 } },
      tooltip: {
        filter: (item) => !item.dataset.raw,
        callbacks: { title: (items) => items.length ? (items[0].chart.options.scales.x.title.text + ' ' + items[0].label) : '' },
      },
    },
  };
}

/** An entry's card in grid: caption, log toggle when offered, PNG button, note, canvas. */
function card(grid, entry) {
  const figure = document.createElement('figure');
  figure.dataset.chart = entry.id;
  figure.classList.toggle('small', entry.small === true);
  const caption = document.createElement('figcaption');
  const title = document.createElement('span');
  title.className = 'title';
  title.textContent = entry.title;
  caption.append(title);
  let toggle = null;
  if (entry.log) {
    const label = document.createElement('label');
    label.className = 'toggle';
    toggle = document.createElement('input');
    toggle.id = entry.id + '-log';
    toggle.type = 'checkbox';
    toggle.checked = entry.log === 'log';
    label.append(toggle, ' log');
    caption.append(label);
  }
  const png = document.createElement('button');
  png.type = 'button';
  png.className = 'png';
  png.id = entry.id + '-png';
  png.textContent = 'PNG';
  png.title = 'download this chart as a picture';
  caption.append(png);
  figure.append(caption);
  if (entry.note) {
    const note = document.createElement('p');
    note.className = 'note';
    note.textContent = entry.note;
    note.title = entry.note;
    figure.append(note);
  }
  const plot = document.createElement('div');
  plot.className = 'plot';
  const canvas = document.createElement('canvas');
  canvas.id = 'chart-' + entry.id;
  plot.append(canvas);
  figure.append(plot);
  grid.append(figure);
  return { canvas, toggle, png };
}

/** A colour at a fraction of its opacity: the raw curve behind a smoothed one. */
function faint(colour) {
  return /^#[0-9a-f]{6}$/i.test(colour) ? colour + '40' : colour;
}

function dataset({ label, data, colour, width, dash, raw, runId, secondary }) {
  return {
    label, data, raw: raw === true, runId, secondary: secondary === true, borderColor: raw ? faint(colour) : colour, backgroundColor: colour,
    borderDash: dash || [], order: raw ? 1 : 0, ...(width || raw ? { borderWidth: raw ? 1 : width } : {}),
  };
}

export class Charts {
  /**
   * A card per entry in grid; onZoom(min, max) after every zoom (null, null: everything); onChange() after a
   * change of what the page's link holds (a log toggle).
   */
  constructor(grid, onZoom, entries = CHARTS, onChange = () => {}) {
    this.run = null;
    this.overlays = [];
    this.pending = false;
    this.drawing = false;
    this.again = false;
    this.later = null;
    this.nextDrawAt = 0;
    this.onZoom = onZoom;
    this.onChange = onChange;
    this.smoothing = 0;
    this.xMode = 'iteration';
    this.zoomed = null;
    this.derived = new Derived();
    const view = { shown: () => this.run, x: (i) => this.toX(this.run, i) };
    // Per chart: its entry, its Chart.js chart, and the series it was last given (Chart.js's decimation swaps
    // a dataset's data for what it draws, so the run's own arrays are kept here).
    this.all = entries.map((entry) => {
      const { canvas, toggle, png } = card(grid, entry);
      const chart = new Chart(canvas, {
        type: 'line', data: { datasets: [] }, options: options(entry),
        plugins: [whiteBackground].concat(entry.plugins ? entry.plugins(view) : []),
      });
      const shown = { entry, chart, series: [], toggle, stale: false, visible: true, drawnAt: 0 };
      this.watch(shown);
      if (toggle) {
        this.setLog(chart, toggle.checked);
        toggle.addEventListener('change', () => {
          this.setLog(chart, toggle.checked);
          this.onChange();
        });
      }
      png.addEventListener('click', () => this.download(shown));
      this.listenForZoom(chart);
      return shown;
    });
  }

  /** Draws this run from now on (null for none), and overlays beside it on every chart. */
  show(run, overlays = []) {
    this.run = run;
    this.overlays = overlays.filter((o) => o !== run);
    this.changed();
  }

  /** TensorBoard's smoothing weight, 0 (none) to 0.99: smoothed curves drawn over faint raw ones. */
  smooth(weight) {
    this.smoothing = Math.min(0.999, Math.max(0, Number(weight) || 0));
    this.changed();
  }

  /** The x axis: 'iteration', 'relative' (seconds of training) or 'wall' (time of day). */
  setX(mode) {
    this.xMode = X_TITLES[mode] ? mode : 'iteration';
    this.all.forEach(({ chart }) => {
      chart.options.scales.x.title.text = X_TITLES[this.xMode];
      chart.options.scales.x.ticks.callback = this.xMode === 'iteration' ? undefined : timeTick(this.xMode);
    });
    this.zoom(null, null);
  }

  /** Which charts have a log y axis, by entry id. */
  logs() {
    return this.all.filter((s) => s.toggle && s.toggle.checked).map((s) => s.entry.id);
  }

  /** Sets the log toggles: those of ids on, the others off. */
  setLogs(ids) {
    this.all.forEach(({ chart, toggle, entry }) => {
      if (toggle) {
        toggle.checked = ids.includes(entry.id);
        this.setLog(chart, toggle.checked);
      }
    });
  }

  /**
   * Iterations a second the run trained at on average: what a time axis maps iterations with (points carry an
   * iteration, not a time; a paced run's are evenly spaced, a paused run's time excludes the pause).
   */
  static speed(run) {
    const done = run.last + 1;
    const ms = run.elapsed();
    return done > 0 && ms > 0 ? done / ms : NaN;
  }

  /** Where iteration i of run is on the x axis chosen. */
  toX(run, i) {
    if (!run || this.xMode === 'iteration') {
      return i;
    }
    const perMs = Charts.speed(run);
    if (!Number.isFinite(perMs)) {
      return this.xMode === 'wall' ? run.state.startedAt || 0 : 0;
    }
    const ms = i / perMs;
    return this.xMode === 'wall' ? (run.state.startedAt || 0) + ms : ms / 1000;
  }

  /**
   * Asks for a redraw at the next animation frame; many calls before it cost one redraw. A redraw is spread over
   * frames: each frame updates the charts still to update while the frame's drawing budget lasts (frame.js, shared
   * with the views; one chart at least when nothing else drew in it), so that no frame waits for all of them; a
   * chart off screen is updated every OFFSCREEN_MS only, and at once when it scrolls into view. After a redraw whose frames took d ms in all (the updates and the pixels drawn after
   * them), the next waits IDLE_FACTOR × d (at most a second), so that drawing takes no more than about a quarter of
   * the page's time, even on a slow machine with millions of points.
   */
  changed() {
    if (this.pending) {
      return;
    }
    this.pending = true;
    setTimeout(() => requestAnimationFrame((t) => this.draw(t)), Math.max(0, this.nextDrawAt - performance.now()));
  }

  draw(frame) {
    const started = performance.now();
    this.pending = false;
    if (this.drawing) {
      // One redraw at a time: every chart of it gets the same x range, so their axes stay aligned; the next
      // starts when it is done.
      this.again = true;
      return;
    }
    this.all.forEach((shown) => this.bind(shown));
    this.align();
    // Every chart's binding is current; its Chart.js update waits for its turn (and for being on screen).
    this.all.forEach((shown) => { shown.stale = true; });
    this.drawing = true;
    this.spent = 0;
    this.drawSome(frame, started);
  }

  /** Updates stale charts on screen while the frame's budget lasts, and the rest at the next frames. */
  drawSome(frame, started) {
    // The longest waiting first: a redraw asked for meanwhile never starves the charts last in the grid.
    const now = performance.now();
    const due = this.all.filter((s) => s.stale && (s.visible || now - s.drawnAt >= OFFSCREEN_MS))
      .sort((a, b) => a.drawnAt - b.drawnAt);
    const k = drawWithinBudget(frame, started, due, (shown) => {
      shown.stale = false;
      shown.drawnAt = performance.now();
      shown.chart.update('none');
    });
    performance.measure('trainscope-charts-draw', { start: started, duration: performance.now() - started });
    // What the chunk cost is counted at the next frame: the canvases' pixels are drawn after the updates return
    // (in software, on this thread), and that took more than the updates themselves on a loaded machine.
    requestAnimationFrame((next) => {
      const now = performance.now();
      this.spent += now - started;
      if (k < due.length) {
        this.drawSome(next, now);
      } else {
        this.drawn(now);
      }
    });
  }

  /** A redraw is done: the next one waits IDLE_FACTOR times what it cost, and starts if one was asked for. */
  drawn(finished) {
    this.drawing = false;
    this.lastDrawMs = this.spent;
    this.nextDrawAt = finished + Math.min(MAX_WAIT_MS, IDLE_FACTOR * this.spent);
    if (this.again) {
      this.again = false;
      this.changed();
    } else if (this.all.some((s) => s.stale) && !this.later) {
      // Charts off screen are brought up to date every OFFSCREEN_MS, also once the stream has stopped.
      this.later = setTimeout(() => {
        this.later = null;
        this.changed();
      }, OFFSCREEN_MS);
    }
  }

  /** A chart scrolled into view (or out of it): one that missed updates while away is updated now. */
  watch(shown) {
    shown.visible = true;
    if (typeof IntersectionObserver !== 'function') {
      return;
    }
    new IntersectionObserver((entries) => {
      const now = entries[entries.length - 1].isIntersecting;
      if (now && !shown.visible && shown.stale) {
        shown.visible = true;
        this.changed();
      }
      shown.visible = now;
    }).observe(shown.chart.canvas);
  }

  /**
   * Gives a chart its entry's series of the runs shown, mapped to the x axis chosen and smoothed, building its
   * datasets again only when they changed (another run, an overlay, a layer or a validation series appearing): a
   * live append is drawn without it.
   */
  bind(shown) {
    const wanted = this.run ? this.prepare(shown.entry, seriesOf(shown.entry, this.run, this.overlays)) : [];
    const same = wanted.length === shown.series.length
      && wanted.every((s, i) => s.label === shown.series[i].label && s.data === shown.series[i].data
        && s.raw === shown.series[i].raw && s.colour === shown.series[i].colour);
    // How many points the chart's first line holds, its first and last x, for a browser test to read.
    const first = wanted.length ? wanted[0].data : [];
    const canvas = shown.chart.canvas;
    canvas.dataset.points = String(first.length);
    canvas.dataset.first = first.length ? String(first[0].x) : '';
    canvas.dataset.last = first.length ? String(first[first.length - 1].x) : '';
    canvas.dataset.lines = String(wanted.filter((s) => !s.raw).length);
    if (!same) {
      shown.series = wanted;
      shown.chart.data.datasets = wanted.map(dataset);
      const key = keyOf(shown.entry, this.run, this.overlays);
      shown.chart.options.plugins.subtitle.display = key !== '' && !shown.entry.small;
      shown.chart.options.plugins.subtitle.text = key;
    }
  }

  /** Each line on the x axis chosen; smoothed, with its raw line faint behind, unless the entry is drawn raw. */
  prepare(entry, lines) {
    const weight = entry.raw ? 0 : this.smoothing;
    const out = [];
    const behind = [];
    for (const line of lines) {
      const run = (line.runId && [this.run, ...this.overlays].find((r) => String(r.id) === line.runId)) || this.run;
      const perMs = Charts.speed(run);
      const moved = this.xMode === 'iteration' ? null : (i) => this.toX(run, i);
      const key = this.xMode === 'iteration' ? 'iteration'
        : this.xMode + ':' + (Number.isFinite(perMs) ? perMs.toPrecision(3) : '') + ':' + (run.state.startedAt || 0);
      if (weight > 0) {
        out.push({ ...line, data: this.derived.of(line.data, key + ':' + weight, weight, moved) });
        behind.push({ ...line, raw: true, data: moved ? this.derived.of(line.data, key + ':raw', 0, moved) : line.data });
      } else {
        out.push(moved ? { ...line, data: this.derived.of(line.data, key, 0, moved) } : line);
      }
    }
    return out.concat(behind);
  }

  /** One x range on every chart: the zoom, else from the first to the last point of any run on any chart. */
  align() {
    let lo = Infinity;
    let hi = -Infinity;
    this.all.forEach(({ series }) => series.forEach(({ data }) => {
      if (data.length) {
        lo = Math.min(lo, data[0].x);
        hi = Math.max(hi, data[data.length - 1].x);
      }
    }));
    const [min, max] = this.zoomed || (lo <= hi ? [lo, hi > lo ? hi : lo + 1] : [undefined, undefined]);
    this.all.forEach(({ chart }) => {
      chart.options.scales.x.min = min;
      chart.options.scales.x.max = max;
    });
  }

  setLog(chart, log) {
    chart.options.scales.y.type = log ? 'logarithmic' : 'linear';
    chart.options.scales.y.ticks.callback = log ? logTick : linearTick;
    chart.update('none');
  }

  /** The same x range on every chart; null, null for everything. */
  zoom(min, max) {
    this.zoomed = min === null || min === undefined ? null : [min, max];
    this.align();
    this.all.forEach(({ chart }) => chart.update('none'));
    this.onZoom(min, max);
  }

  /** The chart as a PNG file named after the run shown and the chart. */
  download(shown) {
    const link = document.createElement('a');
    link.href = shown.chart.toBase64Image('image/png');
    link.download = fileName(this.run, '-' + shown.entry.id + '.png');
    document.body.append(link);
    link.click();
    link.remove();
  }

  // Drag across a chart to choose a range, double-click to see everything again. A few lines here instead of
  // chartjs-plugin-zoom, which would bring Hammer.js and a second webjar for one gesture.
  listenForZoom(chart) {
    const canvas = chart.canvas;
    const band = document.createElement('div');
    band.className = 'zoom-band';
    band.hidden = true;
    canvas.parentElement.appendChild(band);
    let from = null;
    const inside = (x) => Math.min(Math.max(x, chart.chartArea.left), chart.chartArea.right);
    canvas.addEventListener('mousedown', (e) => {
      if (e.button === 0 && e.offsetX >= chart.chartArea.left && e.offsetX <= chart.chartArea.right) {
        from = e.offsetX;
      }
    });
    canvas.addEventListener('mousemove', (e) => {
      if (from === null) {
        return;
      }
      const to = inside(e.offsetX);
      band.hidden = false;
      band.style.left = Math.min(from, to) + 'px';
      band.style.width = Math.abs(to - from) + 'px';
      band.style.top = chart.chartArea.top + 'px';
      band.style.height = (chart.chartArea.bottom - chart.chartArea.top) + 'px';
    });
    window.addEventListener('mouseup', (e) => {
      if (from === null) {
        return;
      }
      const rect = canvas.getBoundingClientRect();
      const to = inside(e.clientX - rect.left);
      band.hidden = true;
      if (Math.abs(to - from) > 5) {
        const scale = chart.scales.x;
        const a = scale.getValueForPixel(Math.min(from, to));
        const b = scale.getValueForPixel(Math.max(from, to));
        this.zoom(this.xMode === 'iteration' ? Math.floor(a) : a, this.xMode === 'iteration' ? Math.ceil(b) : b);
      }
      from = null;
    });
    canvas.addEventListener('dblclick', () => this.zoom(null, null));
  }
}

/** A white background under each chart, so that a downloaded PNG is not transparent. */
const whiteBackground = {
  id: 'whiteBackground',
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};
