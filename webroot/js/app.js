// Wiring: socket messages update the runs; the runs feed the charts, the header and the runs table; the
// controls send commands. What this viewer looks at (which run, overlays, scales, zoom, smoothing) never leaves
// this page, except as the link it offers (pagestate.js).

import { Socket, socketUrl, takeToken, whyRefused } from './socket.js';
import { Runs, MAX_POINTS } from './runs.js';
import { Charts } from './charts.js';
import { Controls } from './controls.js';
import { Status } from './status.js';
import { RunTable } from './runtable.js';
import { LiveRate } from './liverate.js';
import { overfitting } from './chartlist.js';
import { fileName, forgetColour } from './overlays.js';
import { readState, writeState } from './pagestate.js';

const $ = (id) => document.getElementById(id);
const LIVE = new Set(['running', 'paused']);

const token = takeToken();
const runs = new Runs();
const status = new Status();
let connected = false;
let readOnly = false;
// Whether reading needs the token (a --private server): only then do download links carry it.
let privateServer = false;
// The run this viewer chose in the table; while null it follows the newest live run.
let pinned = null;
let followed = null;
// Past runs whose history this page asked for, and when: asked again after ASK_AGAIN_MS while none has come (the
// server may have refused it: a viewer's history is limited in bytes a second).
const requested = new Map();
const ASK_AGAIN_MS = 3000;
// Runs this viewer overlays on every chart, by id.
const overlaid = new Set();
// The points this page holds of a run before asking the server for it again, at half as many (runs.js):
// ?maxPoints=N on the page's URL sets it (a browser test makes it small).
const maxPoints = pointsBound(new URL(window.location.href).searchParams.get('maxPoints'));
// The most points the server sends in one history (hello.limits; 4000 by default).
let maxHistoryPoints = 4000;
// The view a link asked for: applied as its runs become known, then the link follows what this page shows.
const linked = readState(window.location.hash);
let zoomed = null;

const charts = new Charts($('chart-grid'), (min, max) => {
  $('zoom-reset').hidden = min === null;
  zoomed = min === null ? null : [min, max];
  writeLink();
  // Zoomed into a run that came downsampled: ask for that range at full resolution (or as near as allowed).
  const run = viewed();
  if (min !== null && run && run.coarse && charts.xMode === 'iteration') {
    socket.send({ type: 'history', runId: run.id, from: Math.max(0, min), to: max + 1 });
  }
}, undefined, () => writeLink());

const runTable = new RunTable($('run-table-section'), {
  onChoose: (id) => {
    pinned = id;
    overlaid.delete(String(id));
    view();
    fetchPoints(runs.find(id));
  },
  onOverlay: (id, on) => overlay(id, on),
});

function overlay(id, on) {
  if (on) {
    overlaid.add(String(id));
    fetchPoints(runs.find(id));
  } else {
    overlaid.delete(String(id));
  }
  view();
}

function pointsBound(given) {
  const n = Number(given);
  return given !== null && Number.isInteger(n) && n >= 8 ? n : MAX_POINTS;
}

/**
 * A run grown past the bound is asked for again, whole, at a resolution within it: the server downsamples it by
 * its one rule and the answer replaces what the page holds (runs.js, resample and refine).
 */
function keepBounded(run) {
  const ask = run.resample(maxPoints, maxHistoryPoints);
  if (ask && !socket.send(ask)) {
    run.forgetAsked(0);
  }
}

/** A past run we hold no points of: the server sends its history (downsampled when long), as to a joining viewer. */
function fetchPoints(run) {
  const asked = run && requested.get(String(run.id));
  if (run && run.last < 0 && (asked === undefined || Date.now() - asked > ASK_AGAIN_MS)) {
    requested.set(String(run.id), Date.now());
    socket.send({ type: 'follow', runId: run.id });
  }
}

const socket = new Socket(() => socketUrl(token, runs.held()), {
  onMessage: receive,
  refusal: () => whyRefused(token),
  // Connected once the server has said hello: before that this page does not know its rights.
  onStatus: (s) => {
    if (s.state !== 'connected') {
      connected = false;
      status.setConnection(s);
      refresh();
    }
  },
});

const notConnected = () => controls.showServerError({ message: 'not connected to the server' });

const controls = new Controls($('spec'), {
  start: (spec) => {
    pinned = null;
    if (!socket.send({ type: 'start', spec })) {
      notConnected();
    }
  },
  sweep: (specs) => {
    pinned = null;
    if (!socket.send({ type: 'start', specs })) {
      notConnected();
    }
  },
  command: (type) => {
    const run = viewed();
    if (run) {
      socket.send({ type, runId: run.id });
    }
  },
});

const liveRate = new LiveRate($('live'), (learningRate) => {
  const run = viewed();
  if (!run || !socket.send({ type: 'set', runId: run.id, learningRate })) {
    liveRate.showError({ message: 'not connected to the server' });
  }
});

function viewed() {
  return runs.find(pinned ?? followed) ?? null;
}

function receive(message) {
  switch (message.type) {
    case 'hello':
      runs.useSchema(message.schema);
      runs.connected();
      if (message.limits && Number.isInteger(message.limits.maxHistoryPoints)) {
        maxHistoryPoints = message.limits.maxHistoryPoints;
      }
      readOnly = message.control === false;
      privateServer = message.private === true;
      status.showReadOnly(readOnly);
      status.showViewers(message.viewers);
      (message.runs || []).forEach((r) => onState({ ...r, runId: r.id }));
      connected = true;
      status.setConnection({ state: 'connected' });
      applyLink();
      refresh();
      break;
    case 'viewers':
      status.showViewers(message.count);
      break;
    case 'ack':
      if (message.request === 'set') {
        liveRate.applied();
      }
      if (message.request === 'start' && message.runId !== undefined) {
        controls.dirty = false;
        controls.clearGeneral();
        followed = message.runId;
        // A sweep: the first run shown (and kept on screen), every other run of it overlaid at once.
        pinned = message.runIds ? message.runId : null;
        overlaid.clear();
        (message.runIds || []).filter((id) => String(id) !== String(message.runId))
          .forEach((id) => overlaid.add(String(id)));
        view();
      }
      break;
    case 'state':
      onState(message);
      break;
    case 'history': {
      const run = runs.get(message.runId);
      if (message.purpose === 'request') {
        run.refine(message.from, message.to, message.points || []);
      } else {
        run.history(message.points || []);
      }
      run.coarse = run.coarse || message.downsampled === true;
      keepBounded(run);
      changed(message.runId);
      break;
    }
    case 'metrics': {
      const run = runs.get(message.runId);
      run.append(message.points || []);
      run.coarse = run.coarse || message.downsampled === true;
      run.tick(message);
      keepBounded(run);
      changed(message.runId);
      break;
    }
    case 'deleted':
      onDeleted(String(message.runId));
      break;
    case 'error':
      if (message.request === 'history') {
        runs.refused();
      }
      if (message.request === 'set') {
        liveRate.showError(message);
      } else {
        controls.showServerError(message);
      }
      break;
    default:
      break;
  }
}

function onState(message) {
  const run = runs.get(message.runId);
  const before = run.status;
  run.status = message.status;
  run.spec = message.spec || run.spec;
  run.state = { ...run.state, ...message };
  run.timing(message);
  if (before && before !== run.status) {
    // A refusal about the runs (the running limit, say) is about a state that has just changed.
    controls.clearGeneral();
  }
  if (worthFollowing(run)) {
    followed = run.id;
  }
  view();
  if (run === viewed() || overlaid.has(String(run.id))) {
    // Its learning-rate changes are marked on the cost chart; its name is in the legends.
    shown = null;
    view();
  }
}

/** A run deleted by anyone: it leaves the table, the overlays and the screen of every viewer. */
function onDeleted(id) {
  runs.remove(id);
  overlaid.delete(id);
  requested.delete(id);
  runTable.forget(id);
  forgetColour(id);
  controls.clearGeneral();
  if (String(pinned) === id) {
    pinned = null;
  }
  if (String(followed) === id) {
    followed = runs.newestFirst().map((r) => r.id)[0] ?? null;
  }
  shown = null;
  view();
}

/** Until a viewer picks a run, it follows the newest live run, else the newest run. */
function worthFollowing(run) {
  const current = runs.find(followed);
  if (!current || current === run) {
    return !current;
  }
  const newer = (run.state.createdAt || run.state.startedAt || run.seenAt)
    > (current.state.createdAt || current.state.startedAt || current.seenAt);
  const live = LIVE.has(run.status);
  const currentLive = LIVE.has(current.status);
  return (live && !currentLive) || (newer && (live || !currentLive));
}

/** Something about a run changed; redraw if it is on screen. */
function changed(runId) {
  const run = viewed();
  if ((run && String(run.id) === String(runId)) || overlaid.has(String(runId))) {
    charts.changed();
  }
  refresh();
}

let shown = null;

function view() {
  const run = viewed();
  const overlays = [...overlaid].map((id) => runs.find(id)).filter((o) => o && o !== run);
  const key = [run && run.id, run && run.state.name, ...overlays.map((o) => o.id + ':' + (o.state.name || ''))].join('/');
  if (key !== shown) {
    shown = key;
    charts.show(run, overlays);
    if (run) {
      controls.showSpec(run.id, run.spec);
    }
    writeLink();
  }
  refresh();
}

/** The view a link asked for, once the runs it names are known (after hello). */
function applyLink() {
  if (!linked || linked.applied) {
    return;
  }
  linked.applied = true;
  if (linked.run && runs.find(linked.run)) {
    pinned = linked.run;
    fetchPoints(runs.find(linked.run));
  }
  linked.overlay.filter((id) => runs.find(id)).forEach((id) => {
    overlaid.add(String(id));
    fetchPoints(runs.find(id));
  });
  $('smoothing').value = String(linked.smooth);
  $('smoothing-value').textContent = String(linked.smooth);
  charts.smooth(linked.smooth);
  $('x-axis').value = linked.x;
  charts.setX(linked.x);
  if (linked.log) {
    charts.setLogs(linked.log);
  }
  if (linked.zoom) {
    charts.zoom(linked.zoom[0], linked.zoom[1]);
  }
  shown = null;
  view();
}

/** The page's URL follows what it shows, so that copying it (or the button) sends this view. */
function writeLink() {
  if (linked && !linked.applied) {
    return;
  }
  const run = viewed();
  const hash = writeState({
    run: pinned !== null ? pinned : run ? run.id : null,
    overlay: [...overlaid],
    zoom: zoomed,
    smooth: charts.smoothing,
    x: charts.xMode,
    log: charts.logs(),
  });
  const url = window.location.pathname + window.location.search + hash;
  if (url !== window.location.pathname + window.location.search + window.location.hash) {
    window.history.replaceState(null, '', url);
  }
}

let refreshPending = false;

/** Header, table and buttons, at most once per frame. */
function refresh() {
  if (refreshPending) {
    return;
  }
  refreshPending = true;
  requestAnimationFrame(() => {
    refreshPending = false;
    const run = viewed();
    status.showRun(run);
    $('charts-empty').hidden = run !== null;
    showDownloads(run);
    showOverfitting(run);
    runTable.show(runs.newestFirst(), run && run.id, overlaid);
    $('run-count-short').textContent = runs.all().length ? `(${runs.all().length})` : '';
    controls.update({ status: run && run.status, connected, readOnly });
    liveRate.update({ run, connected, readOnly });
  });
}

function showOverfitting(run) {
  const at = overfitting(run);
  const note = $('overfit-note');
  note.hidden = at === null;
  const text = at === null ? '' : `Overfitting from about iteration ${at.toLocaleString('en-US')}: the validation`
    + ' cost has risen since, while the training cost kept falling.';
  if (note.textContent !== text) {
    note.textContent = text;
  }
}

/** Links to every stored point of the run on screen (REST export) and its final parameters; its actions. */
function showDownloads(run) {
  $('run-shown').hidden = !run;
  if (run) {
    const base = `api/runs/${encodeURIComponent(run.id)}`;
    // A link cannot send Authorization: on a --private server the token rides in the query (docs/security.md);
    // elsewhere reads need none, and a token in a link would end up in the browser's history and downloads.
    const auth = token && privateServer ? 'token=' + encodeURIComponent(token) : '';
    $('download-json').href = base + '/metrics' + (auth ? '?' + auth : '');
    $('download-json').download = fileName(run, '-metrics.jsonl');
    $('download-csv').href = base + '/metrics?format=csv' + (auth ? '&' + auth : '');
    $('download-csv').download = fileName(run, '-metrics.csv');
    $('download-parameters').href = base + '/parameters' + (auth ? '?' + auth : '');
    $('download-parameters').download = fileName(run, '-parameters.json');
    $('parameters-links').hidden = run.state.parameters !== true;
    const can = connected && !readOnly;
    $('rename').disabled = !can;
    $('delete').disabled = !can || LIVE.has(run.status);
    $('start-from').disabled = !can || !(run.state.parameters === true || run.state.checkpoint);
  }
}

$('rename').addEventListener('click', () => {
  const run = viewed();
  const name = run && window.prompt('Name of this run (empty to clear it)', run.state.name || '');
  if (run && name !== null) {
    socket.send({ type: 'rename', runId: run.id, name });
  }
});
$('delete').addEventListener('click', () => {
  const run = viewed();
  if (run && window.confirm(`Delete ${run.state.name || 'run ' + run.id} and all its points?`)) {
    socket.send({ type: 'delete', runId: run.id });
  }
});
// The run's own spec (every default written out), from the parameters the server keeps of it (its final ones, or
// those kept while it trained, for an interrupted run) at the learning rate it last trained with: the server reads
// them, and a spec without a learningRate continues at that rate (docs/protocol.md, startFrom).
$('start-from').addEventListener('click', () => {
  const run = viewed();
  if (!run || !run.spec) {
    return;
  }
  const spec = { ...run.spec, startFrom: String(run.id) };
  delete spec.initialParameters;
  delete spec.learningRate;
  pinned = null;
  if (!socket.send({ type: 'start', spec })) {
    notConnected();
  }
});

$('smoothing').addEventListener('input', () => {
  const weight = Number($('smoothing').value);
  $('smoothing-value').textContent = weight.toFixed(2);
  charts.smooth(weight);
  writeLink();
});
$('x-axis').addEventListener('change', () => {
  charts.setX($('x-axis').value);
  writeLink();
});
$('copy-link').addEventListener('click', async () => {
  writeLink();
  const url = window.location.href;
  try {
    await navigator.clipboard.writeText(url);
    $('link-copied').textContent = 'link copied';
  } catch (e) {
    $('link-copied').textContent = url;
  }
  setTimeout(() => { $('link-copied').textContent = ''; }, 4000);
});

$('zoom-reset').addEventListener('click', () => charts.zoom(null, null));
setInterval(refresh, 1000);
// A run whose history request was refused asks again here, once the wait is over, even if no points come.
setInterval(() => runs.all().forEach(keepBounded), 1000);
// A run on screen whose points have not come is asked for again.
setInterval(() => [viewed(), ...[...overlaid].map((id) => runs.find(id))].forEach((run) => {
  if (run && requested.has(String(run.id))) {
    fetchPoints(run);
  }
}), 1000);

socket.connect();
