// What this page shows, as a link (docs/page.md, "A view as a link"): the run on screen, the runs overlaid,
// the zoom, the smoothing, the x axis and the log toggles, in the URL's fragment, so that a teacher can send
// "look at this". The fragment never reaches the server (nor its logs); a token never goes in it.
//
//   #run=ID&overlay=ID,ID&zoom=MIN,MAX&smooth=0.6&x=iteration|wall|relative&log=cost,weights

const X_MODES = ['iteration', 'wall', 'relative'];

/** The state a fragment describes; anything malformed in it is left out, never an error. */
export function readState(hash) {
  const params = new URLSearchParams(String(hash || '').replace(/^#/, ''));
  const state = { run: null, overlay: [], zoom: null, smooth: 0, x: 'iteration', log: null };
  const run = params.get('run');
  if (run) {
    state.run = run;
  }
  const overlay = params.get('overlay');
  if (overlay) {
    state.overlay = overlay.split(',').filter((id) => id !== '').slice(0, 64);
  }
  const zoom = (params.get('zoom') || '').split(',').map(Number);
  if (zoom.length === 2 && zoom.every(Number.isFinite) && zoom[0] < zoom[1]) {
    state.zoom = zoom;
  }
  const smooth = Number(params.get('smooth'));
  if (params.has('smooth') && Number.isFinite(smooth) && smooth >= 0 && smooth < 1) {
    state.smooth = smooth;
  }
  if (X_MODES.includes(params.get('x'))) {
    state.x = params.get('x');
  }
  if (params.has('log')) {
    state.log = params.get('log').split(',').filter((id) => id !== '');
  }
  return state;
}

/** The fragment for a state; defaults are left out, so that a plain view has a plain URL. */
export function writeState(state) {
  const params = new URLSearchParams();
  if (state.run !== null && state.run !== undefined) {
    params.set('run', String(state.run));
  }
  if (state.overlay && state.overlay.length) {
    params.set('overlay', state.overlay.join(','));
  }
  if (state.zoom) {
    params.set('zoom', state.zoom.join(','));
  }
  if (state.smooth > 0) {
    params.set('smooth', String(state.smooth));
  }
  if (state.x && state.x !== 'iteration') {
    params.set('x', state.x);
  }
  if (state.log) {
    params.set('log', state.log.join(','));
  }
  const text = params.toString().replace(/%2C/g, ',');
  return text ? '#' + text : '';
}
