import { BoundaryView } from './boundary.js';
import { NetworkView } from './network.js';
import { HistogramsView } from './histograms.js';
import { formatNumber } from './status.js';

// Inside the network: the boundary, network and histogram views of the run on screen, and its gradient check.
// The page subscribes to the views of that run alone (docs/protocol.md, "Views"), so a viewer pays only for what
// it shows; each view keeps the latest snapshot and draws at the next animation frame, however many arrived.

const $ = (id) => document.getElementById(id);
const LIVE = new Set(['running', 'paused']);

export class Inside {
  /** send(message) → whether it went; the panel's elements are found by id. */
  constructor(send) {
    this.send = send;
    this.runId = null;
    this.views = [];
    this.pending = false;
    this.lastDrawMs = 0;
    this.boundary = new BoundaryView($('boundary'), $('boundary-caption'));
    this.network = new NetworkView($('network'), $('network-caption'));
    this.histograms = new HistogramsView($('histograms'), $('histograms-caption'), $('hist-layer'), $('hist-kind'));
    $('hist-layer').addEventListener('change', () => this.changed());
    $('hist-kind').addEventListener('change', () => this.changed());
    this.button = $('gradient-check');
    this.result = $('gradient-result');
    this.button.addEventListener('click', () => {
      if (this.runId !== null && this.send({ type: 'gradientCheck', runId: this.runId })) {
        this.button.disabled = true;
        this.result.textContent = 'checking…';
        this.result.dataset.state = 'checking';
      }
    });
    window.addEventListener('resize', () => this.changed());
  }

  /** The run on screen (or null): its views are subscribed to, the previous run's unsubscribed. */
  show(run) {
    const id = run ? run.id : null;
    if (String(id) === String(this.runId)) {
      return;
    }
    if (this.runId !== null && this.views.length) {
      this.send({ type: 'unsubscribe', runId: this.runId, views: this.views });
    }
    this.runId = id;
    this.boundary.clear();
    this.network.clear();
    this.histograms.clear();
    this.result.textContent = '';
    delete this.result.dataset.state;
    const inputs = run && run.spec && Array.isArray(run.spec.layers) ? run.spec.layers[0] : 2;
    this.views = id === null ? [] : ['histograms', 'network'].concat(inputs === 2 ? ['boundary'] : []);
    $('boundary-card').hidden = id !== null && inputs !== 2;
    this.subscribe();
    this.changed();
  }

  /** (Again) after a hello: a new connection starts with no subscription. */
  subscribe() {
    if (this.runId !== null && this.views.length) {
      this.send({ type: 'subscribe', runId: this.runId, views: this.views });
    }
  }

  connected() {
    this.histograms.clear();
    this.subscribe();
  }

  /** The buttons' state: a check needs a live run and the right to control. */
  update({ run, connected, readOnly }) {
    const live = run && LIVE.has(run.status);
    if (this.result.dataset.state !== 'checking') {
      this.button.disabled = !connected || readOnly || !live;
    }
    this.button.title = readOnly ? 'needs the control token' : live ? 'backprop against finite differences, now'
      : 'only a running or paused run';
  }

  /** A message for the views; true when it was one. */
  receive(message) {
    const mine = this.runId !== null && String(message.runId) === String(this.runId);
    switch (message.type) {
      case 'histograms':
        if (mine) this.histograms.take(message);
        break;
      case 'keptHistograms':
        if (mine) this.histograms.takeKept(message.snapshots || []);
        break;
      case 'boundary':
        if (mine) {
          this.boundary.take(message);
          this.network.setPlane(this.network.plane || message);
        }
        break;
      case 'data':
        if (mine) {
          this.boundary.takeData(message);
          this.network.setPlane(message);
        }
        break;
      case 'network':
        if (mine) this.network.take(message);
        break;
      case 'gradientCheck':
        if (mine) this.showCheck(message);
        break;
      case 'error':
        if (message.request === 'gradientCheck') {
          this.result.textContent = message.message;
          this.result.dataset.state = 'bad';
          this.button.disabled = false;
          return true;
        }
        // A view's refusal (a run deleted meanwhile, a boundary of a run not of two inputs) leaves that view empty.
        return message.request === 'subscribe' || message.request === 'unsubscribe';
      default:
        return false;
    }
    this.changed();
    return true;
  }

  showCheck(report) {
    const ok = report.passed === true;
    const worst = report.layers.map((l, i) => `W${i + 1} ${formatNumber(l.weights)} · b${i + 1} ${formatNumber(l.biases)}`);
    this.result.textContent = `${ok ? '✓' : '✗'} max relative error ${formatNumber(report.maxRelativeError)}`
      + ` (${ok ? 'below' : 'above'} ${report.threshold}) at iteration ${report.iteration}`
      + (report.sampled ? `, sampled on ${report.examples} of ${report.samples} examples` : '') + ' — ' + worst.join(', ');
    this.result.dataset.state = ok ? 'good' : 'bad';
    this.button.disabled = false;
  }

  changed() {
    if (this.pending) {
      return;
    }
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      const started = performance.now();
      this.boundary.draw();
      this.network.draw();
      this.histograms.draw();
      this.lastDrawMs = performance.now() - started;
      // For InsidePageBench: what drawing the views costs, apart from what the machine does meanwhile.
      performance.measure('trainscope-inside-draw', { start: started, duration: this.lastDrawMs });
    });
  }
}
