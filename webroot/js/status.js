// The header: the viewed run's state and figures, viewers connected, and the connection's state; beside the run
// shown, why it ended when it did not finish.

import { runName } from './overlays.js';

const $ = (id) => document.getElementById(id);

export function formatNumber(x) {
  if (!Number.isFinite(x)) {
    return '–';
  }
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(2) : x.toPrecision(4).replace(/\.?0+$/, '');
}

export function formatDuration(ms) {
  if (!Number.isFinite(ms) || ms < 0) {
    return '–';
  }
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const two = (n) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}

export class Status {
  constructor() {
    this.connection = { state: 'connecting' };
    setInterval(() => this.showConnection(), 1000);
  }

  /** The viewed run, or null. */
  showRun(run) {
    const badge = $('run-state');
    const status = run ? run.status || 'unknown' : 'none';
    badge.dataset.state = status;
    badge.textContent = run ? `${runName(run)} · ${status}` : 'no run';
    badge.title = run && run.state.reason ? run.state.reason : '';
    const reason = $('run-reason');
    const why = run && run.state.reason && run.status !== 'running' ? run.state.reason : '';
    reason.hidden = !why;
    reason.dataset.state = status;
    if (reason.textContent !== why) {
      reason.textContent = why ? `${status[0].toUpperCase()}${status.slice(1)}: ${why}` : '';
    }
    const iteration = run && run.last >= 0 ? run.last + 1 : NaN;
    const total = run ? run.total : NaN;
    $('s-iteration').textContent = Number.isFinite(iteration)
      ? iteration.toLocaleString('en-US') + (total ? ' / ' + total.toLocaleString('en-US') : '') : '–';
    $('s-cost').textContent = run ? formatNumber(run.latestCost) : '–';
    const rate = run ? run.rate() : NaN;
    $('s-rate').textContent = Number.isFinite(rate) ? Math.round(rate).toLocaleString('en-US') : '–';
    $('s-elapsed').textContent = formatDuration(run ? run.elapsed() : NaN);
    const eta = total && rate > 0 ? (total - iteration) / rate * 1000 : NaN;
    $('s-eta').textContent = run && run.status === 'running' ? formatDuration(eta) : '–';
  }

  showViewers(count) {
    $('s-viewers').textContent = Number.isFinite(count) ? String(count) : '–';
  }

  showReadOnly(readOnly) {
    $('read-only').hidden = !readOnly;
  }

  /**
   * {state, retryAt, why}: "connecting", "connected", "reconnecting" (retryAt epoch ms), "offline", or
   * "refused" (why: the reason, e.g. a private server and no token).
   */
  setConnection(connection) {
    this.connection = connection;
    this.showConnection();
  }

  showConnection() {
    const c = this.connection;
    const el = $('connection');
    el.dataset.state = c.state;
    if (c.state === 'refused') {
      el.textContent = c.why;
    } else if (c.state === 'reconnecting') {
      el.textContent = `reconnecting in ${Math.max(0, Math.ceil((c.retryAt - Date.now()) / 1000))} s`;
    } else {
      el.textContent = { connecting: 'connecting…', connected: 'connected', offline: 'offline' }[c.state];
    }
  }
}
