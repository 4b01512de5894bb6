import { fit, outputColour, paintGrids } from './heat.js';

// The network view: units as nodes in columns (inputs, hidden layers, output), edges coloured by sign (blue
// positive, orange negative) and as thick and opaque as their magnitude. For a run of two inputs each unit
// shows what it has learned, as Playground does: its pre-activation over the input plane (orange below 0, blue
// above; the output unit its σ), computed here from the weights the network message carries, on a small grid.
// A large layer comes reduced to its strongest units (docs/protocol.md); the heatmaps then use those alone.

const UNIT_GRID = 12;
const MAX_EDGES = 3000;
const MAX_HEATMAP_WEIGHTS = 20000;
const EDGE_LEVELS = 8;

export class NetworkView {
  constructor(canvas, caption) {
    this.canvas = canvas;
    this.caption = caption;
    this.clear();
  }

  clear() {
    this.snapshot = null;
    this.plane = null;
  }

  take(snapshot) {
    this.snapshot = snapshot;
  }

  /** The input plane the unit heatmaps cover (the boundary's). */
  setPlane(plane) {
    this.plane = plane;
  }

  draw() {
    const [ctx, w, h] = fit(this.canvas);
    const n = this.snapshot;
    if (!n) {
      this.caption.textContent = 'waiting for the weights';
      this.canvas.dataset.iteration = '';
      return;
    }
    const units = n.units || n.sizes.map((size) => Array.from({ length: size }, (_, i) => i));
    const columns = units.length;
    const pad = 16;
    const colX = (k) => pad + 14 + (k * (w - 2 * pad - 28)) / Math.max(1, columns - 1);
    const most = Math.max(...units.map((u) => u.length));
    const node = Math.max(5, Math.min(26, ((h - 2 * pad) / most) * 0.78));
    const rowY = (k, r) => {
      const count = units[k].length;
      const gap = Math.min((h - 2 * pad) / Math.max(1, count), node * 1.5);
      return h / 2 + (r - (count - 1) / 2) * gap;
    };
    this.edges(ctx, n, units, colX, rowY);
    const maps = this.heatmaps(n, units);
    const places = [];
    const values = [];
    for (let k = 0; k < columns; k++) {
      for (let r = 0; r < units[k].length; r++) {
        places.push([colX(k) - node / 2, rowY(k, r) - node / 2, node]);
        if (maps) {
          const map = maps[k][r];
          const scale = k === columns - 1 ? null : Math.max(1e-12, ...map.map(Math.abs));
          values.push(scale === null ? map.map((v) => 1 / (1 + Math.exp(-v))) : map.map((v) => 0.5 + 0.5 * (v / scale)));
        } else {
          ctx.fillStyle = k === 0 ? '#e2e8f0' : '#f8fafc';
          ctx.fillRect(places[places.length - 1][0], places[places.length - 1][1], node, node);
        }
      }
    }
    if (maps) {
      paintGrids(ctx, UNIT_GRID, places, (k, i, j) => outputColour(values[k][j * UNIT_GRID + i]));
    }
    ctx.strokeStyle = '#475569';
    ctx.lineWidth = 0.8;
    ctx.beginPath();
    places.forEach(([x, y]) => ctx.rect(x, y, node, node));
    ctx.stroke();
    const reduced = n.reduced ? ` · strongest ${most} units a layer shown` : '';
    this.caption.textContent = `[${n.sizes.join(', ')}] · iteration ${n.iteration}${reduced}`;
    this.canvas.dataset.iteration = String(n.iteration);
  }

  /**
   * The edges, as thick and opaque as |w|: quantised to EDGE_LEVELS levels a sign, each level one path stroked
   * once (a few strokes instead of one per edge, which cost most of this view's drawing).
   */
  edges(ctx, n, units, colX, rowY) {
    let maxAbs = 0;
    let count = 0;
    n.layers.forEach((layer) => layer.W.forEach((row) => row.forEach((v) => {
      maxAbs = Math.max(maxAbs, Math.abs(v ?? 0));
      count++;
    })));
    if (maxAbs === 0) {
      return;
    }
    let floor = 0;
    if (count > MAX_EDGES) {
      const all = new Float64Array(count);
      let k = 0;
      n.layers.forEach((layer) => layer.W.forEach((row) => row.forEach((v) => { all[k++] = Math.abs(v ?? 0); })));
      all.sort();
      floor = all[count - MAX_EDGES];
    }
    const paths = Array.from({ length: 2 * EDGE_LEVELS }, () => new Path2D());
    n.layers.forEach((layer, l) => {
      const x0 = colX(l);
      const x1 = colX(l + 1);
      layer.W.forEach((row, r) => {
        const y1 = rowY(l + 1, r);
        row.forEach((v, c) => {
          const a = Math.abs(v ?? 0);
          if (a < floor || a === 0) {
            return;
          }
          const level = Math.min(EDGE_LEVELS - 1, Math.floor((a / maxAbs) * EDGE_LEVELS));
          const path = paths[(v >= 0 ? 0 : EDGE_LEVELS) + level];
          path.moveTo(x0, rowY(l, c));
          path.lineTo(x1, y1);
        });
      });
    });
    paths.forEach((path, k) => {
      const t = ((k % EDGE_LEVELS) + 0.5) / EDGE_LEVELS;
      ctx.strokeStyle = k < EDGE_LEVELS ? `rgba(37, 99, 235, ${0.15 + 0.75 * t})` : `rgba(234, 88, 12, ${0.15 + 0.75 * t})`;
      ctx.lineWidth = 0.3 + 3.2 * t;
      ctx.stroke(path);
    });
  }

  /** Per column, per unit shown, its pre-activation on a UNIT_GRID² grid over the plane; null when not drawn. */
  heatmaps(n, units) {
    const weights = n.layers.reduce((sum, layer) => sum + layer.W.length * (layer.W[0] ? layer.W[0].length : 0), 0);
    if (!this.plane || n.sizes[0] !== 2 || weights > MAX_HEATMAP_WEIGHTS) {
      return null;
    }
    if (this.cached && this.cached.snapshot === n && this.cached.plane === this.plane) {
      return this.cached.maps;
    }
    const [x0, x1] = this.plane.x;
    const [y0, y1] = this.plane.y;
    const g = UNIT_GRID;
    const maps = units.map((u) => u.map(() => new Float64Array(g * g)));
    for (let j = 0; j < g; j++) {
      for (let i = 0; i < g; i++) {
        const p = j * g + i;
        const point = [x0 + ((i + 0.5) * (x1 - x0)) / g, y0 + ((j + 0.5) * (y1 - y0)) / g];
        let a = units[0].map((unit) => point[unit]);
        for (let r = 0; r < a.length; r++) {
          maps[0][r][p] = a[r];
        }
        for (let l = 0; l < n.layers.length; l++) {
          const { W, b } = n.layers[l];
          const z = new Float64Array(W.length);
          for (let r = 0; r < W.length; r++) {
            const row = W[r];
            let sum = b[r] ?? 0;
            for (let c = 0; c < row.length; c++) {
              sum += (row[c] ?? 0) * a[c];
            }
            z[r] = sum;
            maps[l + 1][r][p] = sum;
          }
          if (l < n.layers.length - 1) {
            for (let r = 0; r < z.length; r++) {
              z[r] = Math.max(0, z[r]);
            }
          }
          a = z;
        }
      }
    }
    const out = maps.map((column) => column.map((values) => Array.from(values)));
    this.cached = { snapshot: n, plane: this.plane, maps: out };
    return out;
  }
}
