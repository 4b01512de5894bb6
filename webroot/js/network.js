import { fit, outputColour, paintGrid } from './heat.js';

// The network view: units as nodes in columns (inputs, hidden layers, output), edges coloured by sign (blue
// positive, orange negative) and as thick and opaque as their magnitude. For a run of two inputs each unit
// shows what it has learned, as Playground does: its pre-activation over the input plane (orange below 0, blue
// above; the output unit its σ), computed here from the weights the network message carries, on a small grid.
// A large layer comes reduced to its strongest units (docs/protocol.md); the heatmaps then use those alone.

const UNIT_GRID = 12;
const MAX_EDGES = 3000;
const MAX_HEATMAP_WEIGHTS = 20000;

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
    for (let k = 0; k < columns; k++) {
      for (let r = 0; r < units[k].length; r++) {
        const x = colX(k) - node / 2;
        const y = rowY(k, r) - node / 2;
        if (maps) {
          const values = maps[k][r];
          const scale = k === columns - 1 ? null : Math.max(1e-12, ...values.map(Math.abs));
          paintGrid(ctx, UNIT_GRID, UNIT_GRID, (i, j) => {
            const v = values[j * UNIT_GRID + i];
            return outputColour(scale === null ? 1 / (1 + Math.exp(-v)) : 0.5 + 0.5 * (v / scale));
          }, x, y, node, node, false);
        } else {
          ctx.fillStyle = k === 0 ? '#e2e8f0' : '#f8fafc';
          ctx.fillRect(x, y, node, node);
        }
        ctx.strokeStyle = '#475569';
        ctx.lineWidth = 0.8;
        ctx.strokeRect(x, y, node, node);
      }
    }
    const reduced = n.reduced ? ` · strongest ${most} units a layer shown` : '';
    this.caption.textContent = `[${n.sizes.join(', ')}] · iteration ${n.iteration}${reduced}`;
    this.canvas.dataset.iteration = String(n.iteration);
  }

  edges(ctx, n, units, colX, rowY) {
    let maxAbs = 0;
    const all = [];
    n.layers.forEach((layer, l) => layer.W.forEach((row, r) => row.forEach((v, c) => {
      const a = Math.abs(v ?? 0);
      maxAbs = Math.max(maxAbs, a);
      all.push(a);
    })));
    let floor = 0;
    if (all.length > MAX_EDGES) {
      all.sort((a, b) => b - a);
      floor = all[MAX_EDGES - 1];
    }
    n.layers.forEach((layer, l) => {
      layer.W.forEach((row, r) => row.forEach((v, c) => {
        const a = Math.abs(v ?? 0);
        if (a < floor || maxAbs === 0) {
          return;
        }
        const t = a / maxAbs;
        ctx.strokeStyle = v >= 0 ? `rgba(37, 99, 235, ${0.15 + 0.75 * t})` : `rgba(234, 88, 12, ${0.15 + 0.75 * t})`;
        ctx.lineWidth = 0.3 + 3.2 * t;
        ctx.beginPath();
        ctx.moveTo(colX(l), rowY(l, c));
        ctx.lineTo(colX(l + 1), rowY(l + 1, r));
        ctx.stroke();
      }));
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
        let a = [x0 + ((i + 0.5) * (x1 - x0)) / g, y0 + ((j + 0.5) * (y1 - y0)) / g];
        a = units[0].map((unit) => a[unit]);
        a.forEach((v, r) => { maps[0][r][p] = v; });
        n.layers.forEach((layer, l) => {
          const z = layer.W.map((row, r) => row.reduce((s, w, c) => s + (w ?? 0) * a[c], layer.b[r] ?? 0));
          z.forEach((v, r) => { maps[l + 1][r][p] = v; });
          a = l < n.layers.length - 1 ? z.map((v) => Math.max(0, v)) : z;
        });
      }
    }
    const out = maps.map((column) => column.map((values) => Array.from(values)));
    this.cached = { snapshot: n, plane: this.plane, maps: out };
    return out;
  }
}
