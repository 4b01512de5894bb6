import { BoundaryView } from './boundary.js';
import { NetworkView } from './network.js';
import { HistogramsView } from './histograms.js';
import { formatNumber } from './status.js';
import { watchSize } from './heat.js';
import { drawWithinBudget } from './frame.js';

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
    // Per view: whether it has something new to draw, and whether it is on screen (drawn only then).
    this.dirty = new Set();
    this.visible = new Map([[this.boundary, true], [this.network, true], [this.histograms, true]]);
    this.visible.forEach((_, view) => {
      watchSize(view.canvas, () => this.changed(view));
      if (typeof IntersectionObserver === 'function') {
        new IntersectionObserver((entries) => {
          const now = entries[entries.length - 1].isIntersecting;
          this.visible.set(view, now);
          if (now && this.dirty.has(view)) {
            this.changed(view);
          }
        }).observe(view.canvas);
      }
    });
    $('hist-layer').addEventListener('change', () => this.changed(this.histograms));
    $('hist-kind').addEventListener('change', () => this.changed(this.histograms));
    this.button = $('gradient-check');
    this.result = $('gradient-result');
    this.button.addEventListener('click', () => {
      if (this.runId !== null && this.send({ type: 'gradientCheck', runId: this.runId })) {
        this.button.disabled = true;
        this.result.textContent = 'checking…';
        this.result.dataset.state = 'checking';
      }
    });
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
        if (mine) {
          this.histograms.take(message);
          this.changed(this.histograms);
        }
        break;
      case 'keptHistograms':
        if (mine) {
          this.histograms.takeKept(message.snapshots || []);
          this.changed(this.histograms);
        }
        break;
      case 'boundary':
        if (mine) {
          this.boundary.take(message);
          this.changed(this.boundary);
          if (!this.network.plane) {
            this.network.setPlane(message);
            this.changed(this.network);
          }
        }
        break;
      case 'data':
        if (mine) {
          this.boundary.takeData(message);
          this.network.setPlane(message);
          this.changed(this.boundary, this.network);
        }
        break;
      case 'network':
        if (mine) {
          this.network.take(message);
          this.changed(this.network);
        }
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

  /**
   * The views given (every view when none) have something new: each is drawn at the next animation frame it is on
   * screen, from its latest snapshot, however many arrived meanwhile; a frame draws views while its drawing budget
   * lasts (frame.js, shared with the charts; one view at least when nothing else drew in it) and leaves the others
   * to the next.
   */
  changed(...views) {
    (views.length ? views : [...this.visible.keys()]).forEach((v) => this.dirty.add(v));
    if (this.pending) {
      return;
    }
    this.pending = true;
    requestAnimationFrame((t) => this.draw(t));
  }

  draw(frame) {
    this.pending = false;
    const started = performance.now();
    const due = [...this.dirty].filter((v) => this.visible.get(v));
    const k = drawWithinBudget(frame, started, due, (view) => {
      const at = performance.now();
      this.dirty.delete(view);
      view.draw();
      performance.measure('trainscope-view-' + view.canvas.id, { start: at, duration: performance.now() - at });
    });
    if (k > 0) {
      this.lastDrawMs = performance.now() - started;
      // For InsidePageBench: what drawing the views costs, apart from what the machine does meanwhile.
      performance.measure('trainscope-inside-draw', { start: started, duration: this.lastDrawMs });
    }
    if (k < due.length) {
      this.changed(...due.slice(k));
    }
  }
}
