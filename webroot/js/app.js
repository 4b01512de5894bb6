// Wiring: socket messages update the runs; the runs feed the charts, the header and the run list; the
// controls send commands. What this viewer looks at (which run, scales, zoom) never leaves this page.

import { Socket, socketUrl, takeToken, whyRefused } from './socket.js';
import { Runs, MAX_POINTS } from './runs.js';
import { Charts } from './charts.js';
import { Controls } from './controls.js';
import { Status } from './status.js';
import { RunList } from './runlist.js';
import { LiveRate } from './liverate.js';
import { Inside } from './inside.js';

const $ = (id) => document.getElementById(id);
const LIVE = new Set(['running', 'paused']);

const token = takeToken();
const runs = new Runs();
const status = new Status();
let connected = false;
let readOnly = false;
// Whether reading needs the token (a --private server): only then do download links carry it.
let privateServer = false;
// The run this viewer chose in the list; while null it follows the newest live run.
let pinned = null;
let followed = null;
// Past runs whose history this page asked for.
const requested = new Set();
// Runs whose cost this viewer overlays on the cost chart, by id.
const overlaid = new Set();
// The points this page holds of a run before asking the server for it again, at half as many (runs.js):
// ?maxPoints=N on the page's URL sets it (a browser test makes it small).
const maxPoints = pointsBound(new URL(window.location.href).searchParams.get('maxPoints'));
// The most points the server sends in one history (hello.limits; 4000 by default).
let maxHistoryPoints = 4000;

const charts = new Charts($('chart-grid'), (min, max) => {
  $('zoom-reset').hidden = min === null;
  // Zoomed into a run that came downsampled: ask for that range at full resolution (or as near as allowed).
  const run = viewed();
  if (min !== null && run && run.coarse) {
    socket.send({ type: 'history', runId: run.id, from: Math.max(0, min), to: max + 1 });
  }
});

const runList = new RunList($('runs'), $('no-runs'), {
  onChoose: (id) => {
    pinned = id;
    view();
    fetchPoints(runs.find(id));
  },
  onOverlay: (id, on) => {
    if (on) {
      overlaid.add(id);
      fetchPoints(runs.find(id));
    } else {
      overlaid.delete(id);
    }
    view();
  },
});

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
  if (run && run.last < 0 && !requested.has(String(run.id))) {
    requested.add(String(run.id));
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

const controls = new Controls($('spec'), {
  start: (spec) => {
    pinned = null;
    if (!socket.send({ type: 'start', spec })) {
      controls.showServerError({ message: 'not connected to the server' });
    }
  },
  command: (type) => {
    const run = viewed();
    if (run) {
      socket.send({ type, runId: run.id });
    }
  },
});

const inside = new Inside((message) => socket.send(message));

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
  if (inside.receive(message)) {
    return;
  }
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
      inside.connected();
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
        pinned = null;
        followed = message.runId;
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
  run.status = message.status;
  run.spec = message.spec || run.spec;
  run.state = { ...run.state, ...message };
  run.timing(message);
  if (worthFollowing(run)) {
    followed = run.id;
  }
  view();
  if (run === viewed()) {
    // Its learning-rate changes are marked on the cost chart.
    charts.changed();
  }
}

/** A run deleted by anyone: it leaves the list, the overlays and the screen of every viewer. */
function onDeleted(id) {
  runs.remove(id);
  overlaid.delete(id);
  requested.delete(id);
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
  const newer = (run.state.startedAt || run.seenAt) > (current.state.startedAt || current.seenAt);
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
  const overlays = [...overlaid].map((id) => runs.find(id)).filter(Boolean);
  const key = [run && run.id, ...overlays.map((o) => o.id)].join('/');
  if (key !== shown) {
    shown = key;
    charts.show(run, overlays);
  }
  inside.show(run);
  refresh();
}

let refreshPending = false;

/** Header, list and buttons, at most once per frame. */
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
    runList.show(runs.newestFirst(), run && run.id, overlaid);
    controls.update({ status: run && run.status, connected, readOnly });
    liveRate.update({ run, connected, readOnly });
    inside.update({ run, connected, readOnly });
  });
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
    $('download-csv').href = base + '/metrics?format=csv' + (auth ? '&' + auth : '');
    $('download-parameters').href = base + '/parameters' + (auth ? '?' + auth : '');
    $('parameters-links').hidden = run.state.parameters !== true;
    const can = connected && !readOnly;
    $('rename').disabled = !can;
    $('delete').disabled = !can || LIVE.has(run.status);
    $('start-from').disabled = !can || run.state.parameters !== true;
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
// The run's own spec (every default written out), starting from where the run ended.
$('start-from').addEventListener('click', async () => {
  const run = viewed();
  if (!run || !run.spec) {
    return;
  }
  try {
    const response = await fetch(`api/runs/${encodeURIComponent(run.id)}/parameters`,
      { headers: token ? { Authorization: 'Bearer ' + token } : {} });
    const body = await response.json();
    if (!response.ok) {
      controls.showServerError({ message: body.error || `status ${response.status}` });
      return;
    }
    pinned = null;
    socket.send({ type: 'start', spec: { ...run.spec, initialParameters: body } });
  } catch (e) {
    controls.showServerError({ message: 'the parameters could not be fetched: ' + e.message });
  }
});

$('zoom-reset').addEventListener('click', () => charts.zoom(null, null));
setInterval(refresh, 1000);
// A run whose history request was refused asks again here, once the wait is over, even if no points come.
setInterval(() => runs.all().forEach(keepBounded), 1000);

socket.connect();
