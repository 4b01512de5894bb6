import { formatNumber } from './status.js';

// The four charts. They draw a Run's arrays directly (parsing off, x a linear iteration axis), so that a live
// update is an append and one chart.update('none') per animation frame, however many messages arrived in it.
// Chart.js's decimation plugin keeps long runs fast to draw; min-max keeps the spikes a user looks for.

const LAYER_COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];
const TRAIN_COLOUR = '#2563eb';
const VALIDATION_COLOUR = '#ea580c';
const OVERLAY_COLOURS = ['#64748b', '#a16207', '#0f766e', '#7c3aed', '#be123c', '#4d7c0f'];
const MARK_COLOUR = '#6b7280';
const IDLE_FACTOR = 3;
const MAX_WAIT_MS = 1000;

// Log axes label 1, 2 and 5 times a power of ten only: Chart.js's default also labels 3, 7 and 15, which
// crowd each other on a short chart.
function logTick(value) {
  const significand = Math.round(value / 10 ** Math.floor(Math.log10(value)));
  return [1, 2, 5].includes(significand) ? formatNumber(value) : '';
}

function options(extra = {}) {
  return {
    animation: false,
    parsing: false,
    normalized: true,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    elements: { point: { radius: 0, hitRadius: 4 }, line: { borderWidth: 1.5 } },
    scales: {
      x: { type: 'linear', title: { display: true, text: 'iteration' }, ticks: { maxTicksLimit: 7 } },
      y: { type: 'linear', ticks: { maxTicksLimit: 6 }, ...extra },
    },
    plugins: {
      decimation: { enabled: true, algorithm: 'min-max' },
      legend: { position: 'top', align: 'end', labels: { boxWidth: 12, boxHeight: 2, padding: 8 } },
      tooltip: { callbacks: { title: (items) => items.length ? 'iteration ' + items[0].parsed.x : '' } },
    },
  };
}

/**
 * A Chart.js plugin of our own that marks each live change of the learning rate: a thin dashed line at the
 * iteration whose update first used the new rate, labelled with it. Labels step down so that close changes
 * stay readable. The canvas says how many it drew, for a browser test to read.
 */
function changeMarks(changes) {
  return {
    id: 'changeMarks',
    afterDatasetsDraw(chart) {
      const { ctx, chartArea: area, scales: { x } } = chart;
      const list = changes();
      let drawn = 0;
      ctx.save();
      ctx.strokeStyle = MARK_COLOUR;
      ctx.fillStyle = MARK_COLOUR;
      ctx.lineWidth = 1;
      ctx.font = '10px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      list.forEach((change, i) => {
        const px = x.getPixelForValue(change.iteration);
        if (!(px >= area.left && px <= area.right)) {
          return;
        }
        ctx.setLineDash([4, 3]);
        ctx.beginPath();
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
        const label = 'lr ' + formatNumber(change.learningRate);
        const width = ctx.measureText(label).width;
        ctx.fillText(label, px + 3 + width > area.right ? px - 3 - width : px + 3, area.top + 2 + (i % 3) * 11);
        drawn++;
      });
      ctx.restore();
      chart.canvas.dataset.changes = String(drawn);
    },
  };
}

function line(label, colour, data) {
  return { label, data, borderColor: colour, backgroundColor: colour };
}

export class Charts {
  constructor(canvases, onZoom) {
    const changes = () => (this.run && Array.isArray(this.run.state.changes) ? this.run.state.changes : []);
    this.cost = new Chart(canvases.cost, {
      type: 'line', data: { datasets: [] }, options: options(), plugins: [changeMarks(changes)],
    });
    this.accuracy = new Chart(canvases.accuracy, {
      type: 'line', data: { datasets: [] }, options: options({ min: 0, max: 1 }),
    });
    this.weights = new Chart(canvases.weights, { type: 'line', data: { datasets: [] }, options: options() });
    this.gradients = new Chart(canvases.gradients, { type: 'line', data: { datasets: [] }, options: options() });
    this.all = [this.cost, this.accuracy, this.weights, this.gradients];
    this.run = null;
    this.overlays = [];
    this.shape = '';
    this.pending = false;
    this.nextDrawAt = 0;
    this.onZoom = onZoom;
    this.all.forEach((chart) => this.listenForZoom(chart));
  }

  /** Draws this run from now on (null for none), and the cost of each of overlays beside its own. */
  show(run, overlays = []) {
    this.run = run;
    this.overlays = overlays.filter((o) => o !== run);
    this.shape = '';
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
    this.bind();
    this.all.forEach((chart) => {
      chart.update('none');
      // How many points the chart holds, its first and last iteration, for a browser test to read.
      const first = this.firstSeries(chart);
      chart.canvas.dataset.points = String(first.length);
      chart.canvas.dataset.first = first.length ? String(first[0].x) : '';
      chart.canvas.dataset.last = first.length ? String(first[first.length - 1].x) : '';
    });
    const finished = performance.now();
    this.nextDrawAt = finished + Math.min(MAX_WAIT_MS, IDLE_FACTOR * (finished - started));
    this.lastDrawMs = finished - started;
  }

  /** (Re)builds the datasets when the run or its number of layers or validation series changed. */
  bind() {
    const run = this.run;
    const weights = run ? run.layers('weightNorms') : [];
    const shape = run ? [run.id, weights.length, run.series('validationCost').length > 0, ...this.overlays.map((o) => o.id)]
      .join('/') : '';
    if (shape === this.shape) {
      return;
    }
    this.shape = shape;
    if (!run) {
      this.all.forEach((chart) => { chart.data.datasets = []; });
      return;
    }
    const withValidation = run.series('validationCost').length > 0;
    this.cost.data.datasets = [line('train', TRAIN_COLOUR, run.series('cost'))]
      .concat(withValidation ? [line('validation', VALIDATION_COLOUR, run.series('validationCost'))] : [])
      .concat(this.overlays.map((o, i) => ({
        ...line('run ' + o.id, OVERLAY_COLOURS[i % OVERLAY_COLOURS.length], o.series('cost')), borderWidth: 1,
      })));
    this.accuracy.data.datasets = [line('train', TRAIN_COLOUR, run.series('accuracy'))]
      .concat(withValidation ? [line('validation', VALIDATION_COLOUR, run.series('validationAccuracy'))] : []);
    this.weights.data.datasets = weights.map((d, l) => line('W' + (l + 1), LAYER_COLOURS[l % LAYER_COLOURS.length], d));
    this.gradients.data.datasets = run.layers('gradientNorms')
      .map((d, l) => line('dW' + (l + 1), LAYER_COLOURS[l % LAYER_COLOURS.length], d));
  }

  /** A chart's first line, every point of it, whatever decimation draws. */
  firstSeries(chart) {
    const run = this.run;
    if (!run) {
      return [];
    }
    const first = {
      cost: run.series('cost'), accuracy: run.series('accuracy'),
      weights: run.layers('weightNorms')[0], gradients: run.layers('gradientNorms')[0],
    };
    const name = Object.keys(first).find((key) => this[key] === chart);
    return first[name] || [];
  }

  setLog(chart, log) {
    chart.options.scales.y.type = log ? 'logarithmic' : 'linear';
    chart.options.scales.y.ticks.callback = log ? logTick : Chart.Ticks.formatters.numeric;
    chart.update('none');
  }

  /** The same iteration range on all four charts; null, null for everything. */
  zoom(min, max) {
    this.all.forEach((chart) => {
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
