// Colours shared by the inside views: a diverging scale for outputs in [0, 1] (orange for class 0, blue for
// class 1, white at 0.5, as Playground draws them) and a sequential one for counts.

const ZERO = [234, 88, 12];
const ONE = [37, 99, 235];
const MID = [248, 250, 252];

const GREY = [200, 200, 200];
const STEPS = 512;

function outputColourOf(t) {
  const [from, s] = t < 0.5 ? [ZERO, (0.5 - t) * 2] : [ONE, (t - 0.5) * 2];
  const k = 0.15 + 0.85 * s;
  return [0, 1, 2].map((i) => Math.round(MID[i] + (from[i] - MID[i]) * k * 0.8));
}

// The scale worked out once, at STEPS + 1 points of [0, 1]: a heatmap's cells then allocate nothing.
const OUTPUT_COLOURS = Array.from({ length: STEPS + 1 }, (_, k) => outputColourOf(k / STEPS));

/** [r, g, b] of an output v in [0, 1]; grey for null (not a number). Shared: never change what it returns. */
export function outputColour(v) {
  if (v === null || v === undefined || Number.isNaN(v)) {
    return GREY;
  }
  return OUTPUT_COLOURS[Math.round(Math.min(1, Math.max(0, v)) * STEPS)];
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

/** A small canvas of nx × ny pixels and its image, one per size, reused by every paint of that size. */
function scratchOf(nx, ny) {
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
  return held;
}

/** Fills image's columns x0…x0+nx-1 with a grid of colours, row 0 at the bottom. */
function fill(image, x0, nx, ny, colourAt) {
  const width = image.width;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const [r, g, b] = colourAt(i, j);
      const p = ((ny - 1 - j) * width + x0 + i) * 4;
      image.data[p] = r;
      image.data[p + 1] = g;
      image.data[p + 2] = b;
      image.data[p + 3] = 255;
    }
  }
}

export function paintGrid(ctx, nx, ny, colourAt, x, y, w, h, smooth = true) {
  const { cell, c, image } = scratchOf(nx, ny);
  fill(image, 0, nx, ny, colourAt);
  c.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = smooth;
  ctx.drawImage(cell, x, y, w, h);
}

/**
 * Paints many grids of n × n colours at once (a heatmap per unit): side by side in one small canvas, one
 * putImageData for all of them, then a drawImage of each one's part. places[k] = [x, y, size], colourAt(k, i, j).
 */
export function paintGrids(ctx, n, places, colourAt) {
  if (places.length === 0) {
    return;
  }
  const { cell, c, image } = scratchOf(n * places.length, n);
  places.forEach((_, k) => fill(image, k * n, n, n, (i, j) => colourAt(k, i, j)));
  c.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  places.forEach(([x, y, size], k) => ctx.drawImage(cell, k * n, 0, n, n, x, y, size, size));
}

// Each canvas's box in CSS px, kept by a ResizeObserver, so that drawing never reads the layout (reading
// clientWidth after the captions changed forced a layout in every frame).
const sizes = new WeakMap();

/** Keeps canvas's size for fit, and calls resized() whenever its box changes size. */
export function watchSize(canvas, resized) {
  if (typeof ResizeObserver !== 'function') {
    return;
  }
  new ResizeObserver((entries) => {
    const box = entries[entries.length - 1].contentRect;
    const before = sizes.get(canvas);
    sizes.set(canvas, { w: box.width, h: box.height });
    if (!before || before.w !== box.width || before.h !== box.height) {
      resized();
    }
  }).observe(canvas);
}

/** A canvas's drawing buffer sized to its box at the screen's pixel ratio; returns [ctx, width, height] in CSS px. */
export function fit(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const size = sizes.get(canvas);
  const w = Math.max(1, size ? size.w : canvas.clientWidth);
  const h = Math.max(1, size ? size.h : canvas.clientHeight);
  if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round(h * ratio);
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return [ctx, w, h];
}
