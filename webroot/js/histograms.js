import { countColour, fit, paintGrid } from './heat.js';

// Histograms over time, TensorBoard-style: for the layer and tensor chosen (weights, gradients, activations), a
// heatmap of counts against iteration, one column per snapshot (the run's kept ones, then each live one), the
// values on the y axis over the range of every snapshot shown. Each column is scaled to its own largest count
// (square root), so a narrow distribution late in a run is as visible as a wide one early.

const MAX_SNAPSHOTS = 600;
const ROWS = 40;

export class HistogramsView {
  constructor(canvas, caption, layerSelect, kindSelect) {
    this.canvas = canvas;
    this.caption = caption;
    this.layerSelect = layerSelect;
    this.kindSelect = kindSelect;
    this.clear();
  }

  clear() {
    this.snapshots = [];
  }

  /** The run's kept snapshots ({iteration, layers}), merged with those already held. */
  takeKept(snapshots) {
    snapshots.forEach((s) => this.add(s));
  }

  take(snapshot) {
    this.add(snapshot);
  }

  add(snapshot) {
    const list = this.snapshots;
    const at = list.findIndex((s) => s.iteration >= snapshot.iteration);
    if (at >= 0 && list[at].iteration === snapshot.iteration) {
      return;
    }
    list.splice(at < 0 ? list.length : at, 0, { iteration: snapshot.iteration, layers: snapshot.layers });
    if (list.length > MAX_SNAPSHOTS) {
      // Every other one goes, the first and the last stay: still spread over the whole run.
      this.snapshots = list.filter((s, i) => i % 2 === 0 || i === list.length - 1);
    }
    this.options(snapshot.layers.length);
  }

  options(layers) {
    if (this.layerSelect.options.length !== layers) {
      const chosen = this.layerSelect.value;
      this.layerSelect.replaceChildren(...Array.from({ length: layers }, (_, l) => new Option('layer ' + (l + 1), String(l))));
      if (chosen && Number(chosen) < layers) {
        this.layerSelect.value = chosen;
      }
    }
  }

  draw() {
    const [ctx, w, h] = fit(this.canvas);
    const layer = Number(this.layerSelect.value || 0);
    const kind = this.kindSelect.value || 'weights';
    const shown = this.snapshots.filter((s) => s.layers[layer] && s.layers[layer][kind]);
    this.canvas.dataset.snapshots = String(shown.length);
    if (shown.length === 0) {
      this.caption.textContent = this.snapshots.length ? `no ${kind} yet` : 'waiting for histograms';
      return;
    }
    let lo = Infinity;
    let hi = -Infinity;
    shown.forEach((s) => {
      const e = s.layers[layer][kind].edges;
      lo = Math.min(lo, e[0]);
      hi = Math.max(hi, e[e.length - 1]);
    });
    if (!(hi > lo)) {
      hi = lo + 1;
    }
    const grid = new Float64Array(shown.length * ROWS);
    shown.forEach((s, col) => {
      const { edges, counts } = s.layers[layer][kind];
      let most = 0;
      // Each bin's count spread over the rows it covers, in proportion: a bin wider than a row leaves no row
      // between bin centres blank (white stripes across the plot).
      counts.forEach((count, k) => {
        const from = ((edges[k] - lo) / (hi - lo)) * ROWS;
        const to = ((edges[k + 1] - lo) / (hi - lo)) * ROWS;
        if (!(to > from)) {
          grid[col * ROWS + Math.min(ROWS - 1, Math.max(0, Math.floor(from)))] += count;
          return;
        }
        for (let row = Math.max(0, Math.floor(from)); row < Math.min(ROWS, Math.ceil(to)); row++) {
          const overlap = Math.min(to, row + 1) - Math.max(from, row);
          grid[col * ROWS + row] += (count * overlap) / (to - from);
        }
      });
      for (let r = 0; r < ROWS; r++) {
        most = Math.max(most, grid[col * ROWS + r]);
      }
      for (let r = 0; r < ROWS; r++) {
        grid[col * ROWS + r] = most > 0 ? Math.sqrt(grid[col * ROWS + r] / most) : 0;
      }
    });
    const left = 46;
    const bottom = 14;
    paintGrid(ctx, shown.length, ROWS, (i, j) => countColour(grid[i * ROWS + j]), left, 2, w - left - 4, h - bottom - 4,
      false);
    ctx.fillStyle = '#66717f';
    ctx.font = '10px system-ui, sans-serif';
    ctx.textAlign = 'right';
    ctx.fillText(short(hi), left - 4, 10);
    ctx.fillText(short(lo), left - 4, h - bottom - 2);
    ctx.textAlign = 'left';
    ctx.fillText('it ' + shown[0].iteration, left, h - 2);
    ctx.textAlign = 'right';
    ctx.fillText('it ' + shown[shown.length - 1].iteration, w - 4, h - 2);
    this.caption.textContent = `${shown.length} snapshot${shown.length === 1 ? '' : 's'}`;
  }
}

function short(v) {
  return Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(1) : String(Number(v.toPrecision(3)));
}
