// The sidebar's list of runs, newest first. Choosing one, or ticking it to overlay its cost on the cost
// chart, only changes what this viewer looks at.

import { formatDuration, formatNumber } from './status.js';

export function specSummary(spec) {
  if (!spec) {
    return '';
  }
  const layers = Array.isArray(spec.layers) ? '[' + spec.layers.join(',') + ']' : '';
  const data = spec.dataset ? spec.dataset.name : spec.data ? 'data' : '';
  return [layers, data, spec.learningRate !== undefined ? 'lr ' + spec.learningRate : ''].filter(Boolean).join(' · ');
}

export class RunList {
  constructor(list, empty, { onChoose, onOverlay }) {
    this.list = list;
    this.empty = empty;
    this.items = new Map();
    list.addEventListener('click', (e) => {
      const item = e.target.closest('li[data-id]');
      if (item && !e.target.matches('input.overlay')) {
        onChoose(item.dataset.id);
      }
    });
    list.addEventListener('change', (e) => {
      const item = e.target.closest('li[data-id]');
      if (item && e.target.matches('input.overlay')) {
        onOverlay(item.dataset.id, e.target.checked);
      }
    });
  }

  /** Updates the list in place, so that an item under the pointer is not replaced between press and release. */
  show(runs, viewedId, overlaid) {
    this.empty.hidden = runs.length > 0;
    const items = runs.map((run) => {
      const id = String(run.id);
      const li = this.items.get(id) || this.create(id);
      li.dataset.state = run.status || 'unknown';
      li.classList.toggle('viewed', id === String(viewedId));
      const overlay = li.querySelector('input.overlay');
      overlay.checked = overlaid.has(id);
      overlay.hidden = id === String(viewedId);
      const cost = run.latestCost;
      const took = run.elapsed();
      setText(li.children[1], run.state.name || `run ${run.id}`);
      setText(li.children[2], run.status || '');
      setText(li.children[3], specSummary(run.spec) + (Number.isFinite(cost) ? ' · cost ' + formatNumber(cost) : '')
        + (Number.isFinite(took) ? ' · ' + formatDuration(took) : ''));
      return li;
    });
    if (items.some((li, i) => this.list.children[i] !== li) || this.list.children.length !== items.length) {
      this.list.replaceChildren(...items);
    }
  }

  create(id) {
    const li = document.createElement('li');
    li.dataset.id = id;
    const overlay = document.createElement('input');
    overlay.type = 'checkbox';
    overlay.className = 'overlay';
    overlay.title = 'overlay this run\'s cost on the cost chart';
    li.appendChild(overlay);
    for (const name of ['run-title', 'run-status', 'run-detail']) {
      const span = document.createElement('span');
      span.className = name;
      li.appendChild(span);
    }
    this.items.set(id, li);
    return li;
  }
}

function setText(element, text) {
  if (element.textContent !== text) {
    element.textContent = text;
  }
}
