// Colours shared by the inside views: a diverging scale for outputs in [0, 1] (orange for class 0, blue for
// class 1, white at 0.5, as Playground draws them) and a sequential one for counts.

const ZERO = [234, 88, 12];
const ONE = [37, 99, 235];
const MID = [248, 250, 252];

/** [r, g, b] of an output v in [0, 1]; grey for null (not a number). */
export function outputColour(v) {
  if (v === null || v === undefined || Number.isNaN(v)) {
    return [200, 200, 200];
  }
  const t = Math.min(1, Math.max(0, v));
  const [from, s] = t < 0.5 ? [ZERO, (0.5 - t) * 2] : [ONE, (t - 0.5) * 2];
  const k = 0.15 + 0.85 * s;
  return [0, 1, 2].map((i) => Math.round(MID[i] + (from[i] - MID[i]) * k * 0.8));
}

/** [r, g, b] of an intensity t in [0, 1], white to dark blue. */
export function countColour(t) {
  const s = Math.min(1, Math.max(0, t));
  return [Math.round(255 - 225 * s), Math.round(255 - 190 * s), Math.round(255 - 100 * s)];
}

/**
 * Paints a grid of nx × ny colours (row-major, row 0 at the bottom) into canvas's rectangle (x, y, w, h),
 * through a small canvas scaled up: one putImageData and one drawImage, whatever the canvas's size.
 */
const scratch = new Map();

export function paintGrid(ctx, nx, ny, colourAt, x, y, w, h, smooth = true) {
  // One small canvas and image per grid size, reused by every paint of that size.
  const key = nx + 'x' + ny;
  let held = scratch.get(key);
  if (!held) {
    const cell = document.createElement('canvas');
    cell.width = nx;
    cell.height = ny;
    const c = cell.getContext('2d');
    held = { cell, c, image: c.createImageData(nx, ny) };
    if (scratch.size > 16) {
      scratch.clear();
    }
    scratch.set(key, held);
  }
  const { cell, c, image } = held;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const [r, g, b] = colourAt(i, j);
      const p = ((ny - 1 - j) * nx + i) * 4;
      image.data[p] = r;
      image.data[p + 1] = g;
      image.data[p + 2] = b;
      image.data[p + 3] = 255;
    }
  }
  c.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = smooth;
  ctx.drawImage(cell, x, y, w, h);
}

/** A canvas's drawing buffer sized to its box at the screen's pixel ratio; returns [ctx, width, height] in CSS px. */
export function fit(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.max(1, canvas.clientWidth);
  const h = Math.max(1, canvas.clientHeight);
  if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round(h * ratio);
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return [ctx, w, h];
}
