// The sidebar's list of runs, newest first. Choosing one only changes what this viewer looks at.

import { formatNumber } from './status.js';

export function specSummary(spec) {
  if (!spec) {
    return '';
  }
  const layers = Array.isArray(spec.layers) ? '[' + spec.layers.join(',') + ']' : '';
  const data = spec.dataset ? spec.dataset.name : spec.data ? 'data' : '';
  return [layers, data, spec.learningRate !== undefined ? 'lr ' + spec.learningRate : ''].filter(Boolean).join(' · ');
}

export class RunList {
  constructor(list, empty, onChoose) {
    this.list = list;
    this.empty = empty;
    list.addEventListener('click', (e) => {
      const item = e.target.closest('li[data-id]');
      if (item) {
        onChoose(item.dataset.id);
      }
    });
  }

  show(runs, viewedId) {
    this.empty.hidden = runs.length > 0;
    const items = runs.map((run) => {
      const li = document.createElement('li');
      li.dataset.id = String(run.id);
      li.dataset.state = run.status || 'unknown';
      li.classList.toggle('viewed', String(run.id) === String(viewedId));
      const title = document.createElement('span');
      title.className = 'run-title';
      title.textContent = run.state.name || `run ${run.id}`;
      const status = document.createElement('span');
      status.className = 'run-status';
      status.textContent = run.status || '';
      const detail = document.createElement('span');
      detail.className = 'run-detail';
      const cost = run.latestCost;
      detail.textContent = specSummary(run.spec) + (Number.isFinite(cost) ? ' · cost ' + formatNumber(cost) : '');
      li.append(title, status, detail);
      return li;
    });
    this.list.replaceChildren(...items);
  }
}
