import { formatNumber } from './status.js';
import { CHARTS } from './chartlist.js';

// The page's charts, one per entry of CHARTS (chartlist.js), each a card built here in the chart grid. They draw
// a Run's arrays directly (parsing off, x a linear iteration axis), so that a live update is an append and one
// chart.update('none') per animation frame, however many messages arrived in it.

const IDLE_FACTOR = 3;
const MAX_WAIT_MS = 1000;

// Log axes label 1, 2 and 5 times a power of ten only: Chart.js's default also labels 3, 7 and 15, which
// crowd each other on a short chart.
function logTick(value) {
  const significand = Math.round(value / 10 ** Math.floor(Math.log10(value)));
  return [1, 2, 5].includes(significand) ? formatNumber(value) : '';
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
      x: { type: 'linear', title: { display: !entry.small, text: 'iteration' }, ticks: { maxTicksLimit: 7 } },
      y: { type: 'linear', ticks: { maxTicksLimit: entry.small ? 3 : 6 }, ...entry.y },
    },
    plugins: {
      // Drawing, not data: Chart.js draws a long series at the chart's width (min-max keeps the spikes a user
      // looks for), while the run's arrays keep every point the server sent.
      decimation: { enabled: true, algorithm: 'min-max' },
      legend: { display: !entry.small, position: 'top', align: 'end', labels: { boxWidth: 12, boxHeight: 2, padding: 8 } },
      tooltip: { callbacks: { title: (items) => items.length ? 'iteration ' + items[0].parsed.x : '' } },
    },
  };
}

/** An entry's card in grid: caption, log toggle when offered, canvas. */
function card(grid, entry) {
  const figure = document.createElement('figure');
  figure.dataset.chart = entry.id;
  figure.classList.toggle('small', entry.small === true);
  const caption = document.createElement('figcaption');
  caption.append(entry.title);
  let toggle = null;
  if (entry.log) {
    const label = document.createElement('label');
    label.className = 'toggle';
    toggle = document.createElement('input');
    toggle.id = entry.id + '-log';
    toggle.type = 'checkbox';
    toggle.checked = entry.log === 'log';
    label.append(toggle, ' log');
    caption.append(' ', label);
  }
  const plot = document.createElement('div');
  plot.className = 'plot';
  const canvas = document.createElement('canvas');
  canvas.id = 'chart-' + entry.id;
  plot.append(canvas);
  figure.append(caption, plot);
  grid.append(figure);
  return { canvas, toggle };
}

function dataset({ label, data, colour, width }) {
  return { label, data, borderColor: colour, backgroundColor: colour, ...(width ? { borderWidth: width } : {}) };
}

export class Charts {
  /** A card per entry in grid; onZoom(min, max) after every zoom (null, null: everything). */
  constructor(grid, onZoom, entries = CHARTS) {
    this.run = null;
    this.overlays = [];
    this.pending = false;
    this.nextDrawAt = 0;
    this.onZoom = onZoom;
    // Per chart: its entry, its Chart.js chart, and the series it was last given (Chart.js's decimation swaps
    // a dataset's data for what it draws, so the run's own arrays are kept here).
    this.all = entries.map((entry) => {
      const { canvas, toggle } = card(grid, entry);
      const chart = new Chart(canvas, {
        type: 'line', data: { datasets: [] }, options: options(entry),
        plugins: entry.plugins ? entry.plugins(() => this.run) : [],
      });
      if (toggle) {
        this.setLog(chart, toggle.checked);
        toggle.addEventListener('change', () => this.setLog(chart, toggle.checked));
      }
      this.listenForZoom(chart);
      return { entry, chart, series: [] };
    });
  }

  /** Draws this run from now on (null for none), and overlays beside it (the cost of each, on the cost chart). */
  show(run, overlays = []) {
    this.run = run;
    this.overlays = overlays.filter((o) => o !== run);
    this.changed();
  }

  /**
   * Asks for a redraw at the next animation frame; many calls before it cost one redraw. After a redraw that
   * took d ms the next waits IDLE_FACTOR × d (at most a second), so that drawing takes no more than about a
   * quarter of the page's time, even on a slow machine with millions of points.
   */
  changed() {
    if (this.pending) {
      return;
    }
    this.pending = true;
    setTimeout(() => requestAnimationFrame(() => this.draw()), Math.max(0, this.nextDrawAt - performance.now()));
  }

  draw() {
    const started = performance.now();
    this.pending = false;
    this.all.forEach((shown) => {
      this.bind(shown);
      const { chart, series } = shown;
      chart.update('none');
      // How many points the chart's first line holds, its first and last iteration, for a browser test to read.
      const first = series.length ? series[0].data : [];
      chart.canvas.dataset.points = String(first.length);
      chart.canvas.dataset.first = first.length ? String(first[0].x) : '';
      chart.canvas.dataset.last = first.length ? String(first[first.length - 1].x) : '';
    });
    const finished = performance.now();
    this.nextDrawAt = finished + Math.min(MAX_WAIT_MS, IDLE_FACTOR * (finished - started));
    this.lastDrawMs = finished - started;
    performance.measure('trainscope-charts-draw', { start: started, duration: this.lastDrawMs });
  }

  /**
   * Gives a chart its entry's series of the run shown, building its datasets again only when they changed (another
   * run, an overlay, a layer or a validation series appearing): a live append is drawn without it.
   */
  bind(shown) {
    const wanted = this.run ? shown.entry.series(this.run, this.overlays) : [];
    const same = wanted.length === shown.series.length
      && wanted.every((s, i) => s.label === shown.series[i].label && s.data === shown.series[i].data);
    if (!same) {
      shown.series = wanted;
      shown.chart.data.datasets = wanted.map(dataset);
    }
  }

  setLog(chart, log) {
    chart.options.scales.y.type = log ? 'logarithmic' : 'linear';
    chart.options.scales.y.ticks.callback = log ? logTick : Chart.Ticks.formatters.numeric;
    chart.update('none');
  }

  /** The same iteration range on every chart; null, null for everything. */
  zoom(min, max) {
    this.all.forEach(({ chart }) => {
      chart.options.scales.x.min = min ?? undefined;
      chart.options.scales.x.max = max ?? undefined;
      chart.update('none');
    });
    this.onZoom(min, max);
  }

  // Drag across a chart to choose an iteration range, double-click to see everything again. A few lines here
  // instead of chartjs-plugin-zoom, which would bring Hammer.js and a second webjar for one gesture.
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
        this.zoom(Math.floor(scale.getValueForPixel(Math.min(from, to))),
          Math.ceil(scale.getValueForPixel(Math.max(from, to))));
      }
      from = null;
    });
    canvas.addEventListener('dblclick', () => this.zoom(null, null));
  }
}
