// One drawing budget an animation frame for everything the page draws (the charts and the views inside the
// network): a frame where both have work spends it once, not once each, so that script leaves the frame time
// to the canvases' pixels. Callbacks of one frame share its timestamp, which is how a frame is known here.

const FRAME_BUDGET_MS = 6;

let frame = null;
let spentMs = 0;

/** Ms of drawing left in the animation frame whose timestamp is t. */
function budgetLeft(t) {
  if (t !== frame) {
    frame = t;
    spentMs = 0;
  }
  return FRAME_BUDGET_MS - spentMs;
}

/**
 * Draws items in order with draw(item) while the budget of the frame whose timestamp is t lasts (the first one
 * whenever any is left), counting the time from started (a caller's own work before counts too); returns how many
 * it drew: the others wait for a next frame.
 */
export function drawWithinBudget(t, started, items, draw) {
  const left = budgetLeft(t);
  let k = 0;
  while (k < items.length && left > 0 && (k === 0 || performance.now() - started < left)) {
    draw(items[k++]);
  }
  spentMs += performance.now() - started;
  return k;
}
