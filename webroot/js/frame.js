// One drawing budget an animation frame for everything the page draws (the charts and the views inside the
// network): a frame where both have work spends it once, not once each, so that script leaves the frame time
// to the canvases' pixels. Callbacks of one frame share its timestamp, which is how a frame is known here.

export const FRAME_BUDGET_MS = 6;

let frame = null;
let spentMs = 0;

/** Ms of drawing left in the animation frame whose timestamp is t. */
export function budgetLeft(t) {
  if (t !== frame) {
    frame = t;
    spentMs = 0;
  }
  return FRAME_BUDGET_MS - spentMs;
}

/** Counts ms of drawing done in the frame whose timestamp is t. */
export function spend(t, ms) {
  budgetLeft(t);
  spentMs += ms;
}
