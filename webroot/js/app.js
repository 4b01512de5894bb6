// Wiring: socket messages update the runs; the runs feed the charts, the header and the run list; the
// controls send commands. What this viewer looks at (which run, scales, zoom) never leaves this page.

import { Socket, socketUrl, takeToken, whyRefused } from './socket.js';
import { Runs } from './runs.js';
import { Charts } from './charts.js';
import { Controls } from './controls.js';
import { Status } from './status.js';
import { RunList } from './runlist.js';

const $ = (id) => document.getElementById(id);
const LIVE = new Set(['running', 'paused']);

const token = takeToken();
const runs = new Runs();
const status = new Status();
let connected = false;
let readOnly = false;
// The run this viewer chose in the list; while null it follows the newest live run.
let pinned = null;
let followed = null;
// Past runs whose history this page asked for.
const requested = new Set();

const charts = new Charts({
  cost: $('chart-cost'), accuracy: $('chart-accuracy'), weights: $('chart-weights'), gradients: $('chart-gradients'),
}, (zoomed) => { $('zoom-reset').hidden = !zoomed; });

const runList = new RunList($('runs'), $('no-runs'), (id) => {
  pinned = id;
  view();
  const run = runs.find(id);
  if (run && run.last < 0 && !requested.has(String(id))) {
    // A past run: the server sends its history (downsampled when long), as to a viewer that joins.
    requested.add(String(id));
    socket.send({ type: 'follow', runId: run.id });
  }
});

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

function viewed() {
  return runs.find(pinned ?? followed) ?? null;
}

function receive(message) {
  switch (message.type) {
    case 'hello':
      readOnly = message.control === false;
      status.showReadOnly(readOnly);
      status.showViewers(message.viewers);
      (message.runs || []).forEach((r) => onState({ ...r, runId: r.id }));
      connected = true;
      status.setConnection({ state: 'connected' });
      refresh();
      break;
    case 'viewers':
      status.showViewers(message.count);
      break;
    case 'ack':
      if (message.request === 'start' && message.runId !== undefined) {
        pinned = null;
        followed = message.runId;
        view();
      }
      break;
    case 'state':
      onState(message);
      break;
    case 'history':
      runs.get(message.runId).history(message.points || []);
      changed(message.runId);
      break;
    case 'metrics': {
      const run = runs.get(message.runId);
      run.append(message.points || []);
      run.tick(message);
      changed(message.runId);
      break;
    }
    case 'error':
      controls.showServerError(message);
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
  if (LIVE.has(message.status) && String(message.runId) !== String(followed)) {
    const current = runs.find(followed);
    if (!current || !LIVE.has(current.status)) {
      followed = message.runId;
    }
  }
  if (followed === null) {
    followed = message.runId;
  }
  view();
}

/** Something about a run changed; redraw if it is the one on screen. */
function changed(runId) {
  const run = viewed();
  if (run && String(run.id) === String(runId)) {
    charts.changed();
  }
  refresh();
}

function view() {
  const run = viewed();
  if (charts.run !== run) {
    charts.show(run);
  }
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
    runList.show(runs.newestFirst(), run && run.id);
    controls.update({ status: run && run.status, connected, readOnly });
  });
}

$('cost-log').addEventListener('change', (e) => charts.setLog(charts.cost, e.target.checked));
$('weights-log').addEventListener('change', (e) => charts.setLog(charts.weights, e.target.checked));
$('gradients-log').addEventListener('change', (e) => charts.setLog(charts.gradients, e.target.checked));
charts.setLog(charts.gradients, $('gradients-log').checked);
$('zoom-reset').addEventListener('click', () => charts.zoom(null, null));
setInterval(refresh, 1000);

socket.connect();
