import { fit, outputColour, paintGrid } from './heat.js';

// The decision boundary of a run of two inputs: the server's grid of outputs (boundary messages) as a heatmap,
// the run's examples (the data message) drawn over it, training points filled, validation points hollow.

export class BoundaryView {
  constructor(canvas, caption) {
    this.canvas = canvas;
    this.caption = caption;
    this.clear();
  }

  clear() {
    this.snapshot = null;
    this.data = null;
  }

  /** The latest boundary; only the latest is ever drawn. */
  take(snapshot) {
    this.snapshot = snapshot;
  }

  takeData(data) {
    this.data = data;
  }

  draw() {
    const [ctx, w, h] = fit(this.canvas);
    const b = this.snapshot;
    const plane = b || this.data;
    if (!plane) {
      this.caption.textContent = 'no boundary (a run of 2 inputs draws one)';
      this.canvas.dataset.iteration = '';
      return;
    }
    const side = Math.min(w, h);
    const left = (w - side) / 2;
    const top = (h - side) / 2;
    if (b) {
      const [nx, ny] = b.size;
      paintGrid(ctx, nx, ny, (i, j) => outputColour(b.values[j * nx + i]), left, top, side, side);
    }
    const [x0, x1] = plane.x;
    const [y0, y1] = plane.y;
    const px = (x) => left + ((x - x0) / (x1 - x0)) * side;
    const py = (y) => top + side - ((y - y0) / (y1 - y0)) * side;
    if (this.data) {
      this.points(ctx, this.data.train, px, py, true);
      this.points(ctx, this.data.validation, px, py, false);
    }
    ctx.strokeStyle = '#94a3b8';
    ctx.lineWidth = 1;
    ctx.strokeRect(left + 0.5, top + 0.5, side - 1, side - 1);
    this.caption.textContent = b ? `iteration ${b.iteration}` : 'waiting for the first boundary';
    this.canvas.dataset.iteration = b ? String(b.iteration) : '';
  }

  points(ctx, set, px, py, filled) {
    if (!set) {
      return;
    }
    const { points, labels } = set;
    for (let k = 0; k < labels.length; k++) {
      ctx.beginPath();
      ctx.arc(px(points[2 * k]), py(points[2 * k + 1]), filled ? 2.2 : 2.6, 0, 2 * Math.PI);
      const colour = labels[k] ? '#1d4ed8' : '#c2410c';
      if (filled) {
        ctx.fillStyle = colour;
        ctx.fill();
        ctx.strokeStyle = '#fff';
        ctx.lineWidth = 0.6;
        ctx.stroke();
      } else {
        ctx.strokeStyle = colour;
        ctx.lineWidth = 1.2;
        ctx.stroke();
      }
    }
  }
}
