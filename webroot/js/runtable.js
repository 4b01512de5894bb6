// The runs table (docs/page.md, "Runs table"): every run this page knows, one row each, with its hyperparameters
// and results. Sort by any column (click its heading, again to reverse), filter by text and by status, tick runs
// to overlay them on every chart, export what is shown as CSV. Choosing a row, or ticking it, only changes what
// this viewer looks at. With thousands of runs it sorts and filters them all but builds rows for the first
// ROWS only (a button shows more), so that a refresh costs the same with ten runs or ten thousand.

import { formatDuration, formatNumber } from './status.js';
import { legendName, runColour, runName, sweepLabel } from './overlays.js';

const ROWS = 200;
const COLLATOR = new Intl.Collator('en', { numeric: true });

const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : NaN);
const lastOf = (series) => (series.length ? num(series[series.length - 1].y) : NaN);

function leastOf(series) {
  let least = NaN;
  for (const p of series) {
    if (Number.isFinite(p.y) && !(p.y >= least)) {
      least = p.y;
    }
  }
  return least;
}

/** Its learning rate: the spec's, and the one in force now when it was changed live ("0.1 → 0.3"). */
function rateText(run) {
  const first = run.spec && run.spec.learningRate;
  const now = run.state.learningRate;
  const changes = Array.isArray(run.state.changes) ? run.state.changes.length : 0;
  if (changes > 0 && typeof now === 'number' && now !== first) {
    return `${formatNumber(first)} → ${formatNumber(now)}`;
  }
  return typeof first === 'number' ? formatNumber(first) : '';
}

/** A result: from the points this page holds when it holds any (live), else the server's figure. */
function result(run, column, field, best) {
  const series = run.series(column);
  if (series.length) {
    return best ? leastOf(series) : lastOf(series);
  }
  return num(run.state[field]);
}

/** The columns: heading, the value sorted by, the text shown (and exported). */
export const COLUMNS = [
  { id: 'name', title: 'Name', value: (r) => runName(r).toLowerCase(), text: (r) => runName(r) },
  { id: 'status', title: 'Status', value: (r) => r.status || '', text: (r) => r.status || '' },
  { id: 'layers', title: 'Layers', value: (r) => (r.spec && Array.isArray(r.spec.layers) ? r.spec.layers.join(',') : ''),
    text: (r) => (r.spec && Array.isArray(r.spec.layers) ? r.spec.layers.join(',') : '') },
  { id: 'dataset', title: 'Dataset', value: (r) => dataset(r), text: (r) => dataset(r) },
  { id: 'lr', title: 'LR', value: (r) => num(r.state.learningRate ?? (r.spec && r.spec.learningRate)), text: rateText },
  { id: 'init', title: 'Init', value: (r) => (r.spec && r.spec.init) || '', text: (r) => (r.spec && r.spec.init) || '' },
  { id: 'seed', title: 'Seed', value: (r) => num(r.spec && r.spec.seed), text: (r) => String(r.spec && r.spec.seed !== undefined ? r.spec.seed : '') },
  { id: 'iterations', title: 'Iter.', value: (r) => iterationsDone(r), text: (r) => iterationsText(r) },
  { id: 'cost', title: 'Final cost', value: (r) => num(r.latestCost), text: (r) => shown(r.latestCost) },
  { id: 'best', title: 'Best cost', value: (r) => result(r, 'cost', 'bestCost', true), text: (r) => shown(result(r, 'cost', 'bestCost', true)) },
  { id: 'accuracy', title: 'Acc.', value: (r) => result(r, 'accuracy', 'accuracy'), text: (r) => shown(result(r, 'accuracy', 'accuracy')) },
  { id: 'valCost', title: 'Val. cost', value: (r) => result(r, 'validationCost', 'validationCost'),
    text: (r) => shown(result(r, 'validationCost', 'validationCost')) },
  { id: 'valAccuracy', title: 'Val. acc.', value: (r) => result(r, 'validationAccuracy', 'validationAccuracy'),
    text: (r) => shown(result(r, 'validationAccuracy', 'validationAccuracy')) },
  { id: 'duration', title: 'Duration', value: (r) => num(r.elapsed()), text: (r) => (Number.isFinite(r.elapsed()) ? formatDuration(r.elapsed()) : '') },
  { id: 'speed', title: 'it/s', value: (r) => speed(r), text: (r) => (Number.isFinite(speed(r)) ? String(Math.round(speed(r))) : '') },
];

function shown(v) {
  return Number.isFinite(v) ? formatNumber(v) : '';
}

function dataset(r) {
  return r.spec ? (r.spec.dataset ? r.spec.dataset.name : r.spec.data ? 'data' : '') : '';
}

function iterationsDone(r) {
  return r.last >= 0 ? r.last + 1 : num(r.state.iteration);
}

function iterationsText(r) {
  const done = iterationsDone(r);
  const total = r.total;
  return (Number.isFinite(done) ? done.toLocaleString('en-US') : '0') + (total ? ' / ' + total.toLocaleString('en-US') : '');
}

/** Its training speed: live while it runs, else its average over the time it trained. */
function speed(r) {
  const live = r.rate();
  if (Number.isFinite(live)) {
    return live;
  }
  const done = iterationsDone(r);
  const ms = r.elapsed();
  return done > 0 && ms > 0 ? done * 1000 / ms : NaN;
}

/** Orders value x before y (ascending, or descending when down); an unknown value goes last either way. */
function order(x, y, down) {
  const xMissing = x === '' || (typeof x === 'number' && !Number.isFinite(x));
  const yMissing = y === '' || (typeof y === 'number' && !Number.isFinite(y));
  if (xMissing || yMissing) {
    return xMissing === yMissing ? 0 : xMissing ? 1 : -1;
  }
  const o = typeof x === 'number' && typeof y === 'number' ? x - y : COLLATOR.compare(String(x), String(y));
  return down ? -o : o;
}

/** Orders run a before b by column, as the table does. */
export function compare(column, down) {
  return (a, b) => order(column.value(a), column.value(b), down);
}

/** runs sorted by column: each run's value read once, not once per comparison. */
export function sortRuns(runs, column, down) {
  const keyed = runs.map((run) => ({ run, key: column.value(run) }));
  keyed.sort((a, b) => order(a.key, b.key, down));
  return keyed.map((k) => k.run);
}

/** Whether run matches a filter's words: every word is in its name, id, status, layers, dataset or sweep label. */
export function matches(run, words) {
  if (words.length === 0) {
    return true;
  }
  const text = [runName(run), run.id, run.status, sweepLabel(run), dataset(run),
    run.spec && Array.isArray(run.spec.layers) ? run.spec.layers.join(',') : ''].join(' ').toLowerCase();
  return words.every((w) => text.includes(w));
}

function csvCell(text) {
  const s = String(text ?? '');
  return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

export class RunTable {
  constructor(root, { onChoose, onOverlay, onChange = () => {} }) {
    this.root = root;
    this.body = root.querySelector('#runs');
    this.head = root.querySelector('thead tr');
    this.empty = root.querySelector('#no-runs');
    this.count = root.querySelector('#run-count');
    this.more = root.querySelector('#runs-more');
    this.filterInput = root.querySelector('#run-filter');
    this.statusSelect = root.querySelector('#run-status-filter');
    this.sortBy = null;
    this.down = false;
    this.limit = ROWS;
    this.rows = new Map();
    this.onChange = onChange;
    this.last = { runs: [], viewedId: null, overlaid: new Set() };
    this.viewedShown = null;
    this.buildHead();
    this.body.addEventListener('click', (e) => {
      const row = e.target.closest('tr[data-id]');
      if (row && !e.target.matches('input.overlay')) {
        onChoose(row.dataset.id);
      }
    });
    this.body.addEventListener('change', (e) => {
      const row = e.target.closest('tr[data-id]');
      if (row && e.target.matches('input.overlay')) {
        onOverlay(row.dataset.id, e.target.checked);
      }
    });
    this.filterInput.addEventListener('input', () => this.again());
    this.statusSelect.addEventListener('change', () => this.again());
    this.more.addEventListener('click', () => {
      this.limit += ROWS;
      this.again();
    });
    root.querySelector('#runs-csv').addEventListener('click', () => this.download());
  }

  buildHead() {
    const tick = document.createElement('th');
    tick.title = 'tick to overlay on every chart';
    tick.textContent = '⧉';
    this.head.append(tick);
    for (const column of COLUMNS) {
      const th = document.createElement('th');
      th.dataset.sort = column.id;
      th.tabIndex = 0;
      th.textContent = column.title;
      th.title = 'sort by ' + column.title.toLowerCase();
      const sort = () => {
        this.down = this.sortBy === column.id ? !this.down : false;
        this.sortBy = column.id;
        this.again();
      };
      th.addEventListener('click', sort);
      th.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          sort();
        }
      });
      this.head.append(th);
    }
  }

  /** Sorting, filtering and the rows' limit changed: shown again from what was last given. */
  again() {
    const { runs, viewedId, overlaid } = this.last;
    this.show(runs, viewedId, overlaid);
    this.onChange();
  }

  /** The filter's words and status choice; the sort. */
  filters() {
    return { text: this.filterInput.value, status: this.statusSelect.value, sort: this.sortBy, down: this.down };
  }

  /** The runs to show, filtered and sorted (newest first when no column is chosen). */
  visible(runs) {
    const words = this.filterInput.value.toLowerCase().split(/\s+/).filter(Boolean);
    const status = this.statusSelect.value;
    const kept = runs.filter((r) => (status === '' || (status === 'live' ? ['running', 'paused'].includes(r.status)
      : r.status === status)) && matches(r, words));
    const column = COLUMNS.find((c) => c.id === this.sortBy);
    return column ? sortRuns(kept, column, this.down) : kept;
  }

  /** runs newest first; updated in place, so that a row under the pointer is not replaced between press and release. */
  show(runs, viewedId, overlaid) {
    this.last = { runs, viewedId, overlaid };
    const all = this.visible([...runs]);
    this.shownRuns = all;
    const page = all.slice(0, this.limit);
    this.empty.hidden = runs.length > 0;
    this.count.textContent = runs.length === 0 ? '' : all.length === runs.length ? `${runs.length} runs`
      : `${all.length} of ${runs.length} runs`;
    this.more.hidden = all.length <= page.length;
    this.more.textContent = `Show ${Math.min(ROWS, all.length - page.length)} more (${all.length - page.length} not shown)`;
    this.head.querySelectorAll('th[data-sort]').forEach((th) => {
      th.setAttribute('aria-sort', th.dataset.sort === this.sortBy ? (this.down ? 'descending' : 'ascending') : 'none');
    });
    const rows = page.map((run) => {
      const id = String(run.id);
      const tr = this.rows.get(id) || this.create(id);
      tr.dataset.state = run.status || 'unknown';
      tr.classList.toggle('viewed', id === String(viewedId));
      const box = tr.firstChild.firstChild;
      box.checked = overlaid.has(id);
      box.disabled = id === String(viewedId);
      box.style.accentColor = overlaid.has(id) || id === String(viewedId) ? runColour(run) : '';
      COLUMNS.forEach((column, i) => setText(tr.children[i + 1], column.text(run)));
      const name = tr.children[1];
      name.title = [legendName(run) !== runName(run) ? legendName(run) : '', run.state.reason || ''].filter(Boolean).join(' · ');
      return tr;
    });
    if (rows.some((tr, i) => this.body.children[i] !== tr) || this.body.children.length !== rows.length) {
      this.body.replaceChildren(...rows);
    }
    // The run on screen stays in sight in the table when it changes (the table scrolls, not the page).
    if (viewedId !== this.viewedShown) {
      this.viewedShown = viewedId;
      const row = this.rows.get(String(viewedId));
      const wrap = this.root.querySelector('#table-wrap');
      if (row && row.isConnected && wrap) {
        const head = this.head.offsetHeight;
        if (row.offsetTop - head < wrap.scrollTop) {
          wrap.scrollTop = row.offsetTop - head;
        } else if (row.offsetTop + row.offsetHeight > wrap.scrollTop + wrap.clientHeight) {
          wrap.scrollTop = row.offsetTop + row.offsetHeight - wrap.clientHeight;
        }
      }
    }
  }

  forget(id) {
    this.rows.delete(String(id));
  }

  create(id) {
    const tr = document.createElement('tr');
    tr.dataset.id = id;
    const tick = document.createElement('td');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.className = 'overlay';
    box.title = 'overlay this run on every chart';
    tick.append(box);
    tr.append(tick);
    COLUMNS.forEach((column) => {
      const td = document.createElement('td');
      td.dataset.col = column.id;
      tr.append(td);
    });
    this.rows.set(id, tr);
    return tr;
  }

  /** The table as shown (filtered and sorted, every row, not only those built), as a CSV file. */
  csv() {
    const lines = [['id', ...COLUMNS.map((c) => c.title), 'sweep', 'reason'].map(csvCell).join(',')];
    for (const run of this.shownRuns || []) {
      lines.push([run.id, ...COLUMNS.map((c) => c.text(run)), sweepLabel(run) || '', run.state.reason || '']
        .map(csvCell).join(','));
    }
    return lines.join('\r\n') + '\r\n';
  }

  download() {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([this.csv()], { type: 'text/csv' }));
    link.download = 'trainscope-runs.csv';
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }
}

function setText(element, text) {
  if (element.textContent !== text) {
    element.textContent = text;
  }
}
