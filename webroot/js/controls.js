// The spec form and the Start / Pause-Resume / Step / Stop buttons, and the sweep. The form turns into a run spec
// of CONTRACT.md; every field is checked here first (an error names what was typed: never a silent default), the
// server checks it again, and an error naming a field (such as "layers[2]" or "dataset.noise") is shown beside
// that field. The form shows the spec of the run on screen until the user edits it.

// Which input shows an error about a spec field: the first part of the field's JSON path.
const FIELD_INPUT = {
  layers: 'layers',
  learningRate: 'learningRate',
  iterations: 'iterations',
  init: 'init',
  seed: 'seed',
  validationSplit: 'validationSplit',
  pace: 'pace',
  'dataset.name': 'dataset',
  'dataset.samples': 'samples',
  'dataset.noise': 'noise',
  'dataset.seed': 'seed',
  dataset: 'dataset',
  startFrom: 'sweepValues',
};

// Each number field: its label, what it must be, and whether it must be whole.
const NUMBERS = {
  learningRate: { label: 'Learning rate', rule: 'a number > 0, such as 0.1', ok: (n) => n > 0 },
  iterations: { label: 'Iterations', rule: 'a whole number ≥ 1, such as 20000', whole: true, ok: (n) => n >= 1 },
  pace: { label: 'Pace', rule: 'iterations a second ≥ 0 (0 = full speed)', ok: (n) => n >= 0 },
  samples: { label: 'Samples', rule: 'a whole number ≥ 1, such as 400', whole: true, ok: (n) => n >= 1 },
  noise: { label: 'Noise', rule: 'a number ≥ 0, such as 0.05', ok: (n) => n >= 0 },
  seed: { label: 'Seed', rule: 'a whole number, such as 1', whole: true, ok: () => true },
  validationSplit: { label: 'Validation', rule: 'a fraction from 0 up to (not including) 1, such as 0.2', ok: (n) => n >= 0 && n < 1 },
};

// What a sweep may vary, and how each value is read.
const SWEEPABLE = ['learningRate', 'seed', 'iterations', 'noise', 'samples', 'validationSplit', 'layers', 'init'];
export const MAX_SWEEP = 32;

/** A number field's value, or a message naming what was typed and what it must be. */
export function readNumber(name, typed) {
  const rule = NUMBERS[name];
  const text = String(typed ?? '').trim();
  if (text === '') {
    return { error: `${rule.label} is empty: give ${rule.rule}` };
  }
  const n = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(n)) {
    return { error: `${rule.label}: “${text}” is not a number; give ${rule.rule}` };
  }
  if ((rule.whole && !Number.isInteger(n)) || !rule.ok(n)) {
    return { error: `${rule.label}: “${text}” is not allowed; give ${rule.rule}` };
  }
  return { value: n };
}

/** Layers as typed, or a message naming them. */
export function readLayers(typed) {
  const text = String(typed ?? '').trim();
  const parts = text.split(/[\s,]+/).filter((s) => s !== '');
  const layers = parts.map((s) => (/^\d+$/.test(s) ? Number(s) : NaN));
  if (layers.length < 2 || layers.some((n) => !Number.isInteger(n) || n < 1)) {
    return { error: `Layers: “${text}” is not a list of whole numbers ≥ 1 separated by commas, such as 2,16,16,1` };
  }
  return { value: layers };
}

export class Controls {
  constructor(form, { start, sweep, command }) {
    this.form = form;
    this.buttons = {
      start: form.querySelector('#start'),
      sweep: form.querySelector('#start-sweep'),
      pause: form.querySelector('#pause'),
      step: form.querySelector('#step'),
      stop: form.querySelector('#stop'),
    };
    this.generalError = form.querySelector('#form-error');
    this.readOnly = false;
    this.connected = false;
    this.status = null;
    // The user typed since the form last showed a run's spec: a new run on screen no longer overwrites it.
    this.dirty = false;
    this.filledFrom = null;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.clearErrors();
      const spec = this.spec();
      if (spec) {
        start(spec);
      }
    });
    this.buttons.sweep.addEventListener('click', () => {
      this.clearErrors();
      const specs = this.sweepSpecs();
      if (specs) {
        sweep(specs);
      }
    });
    this.buttons.pause.addEventListener('click', () => command(this.status === 'paused' ? 'resume' : 'pause'));
    this.buttons.step.addEventListener('click', () => command('step'));
    this.buttons.stop.addEventListener('click', () => command('stop'));
    form.addEventListener('input', (e) => {
      this.dirty = true;
      this.clearError(e.target.name);
    });
  }

  /** The spec the form describes, or null after showing what is wrong with it (every wrong field at once). */
  spec() {
    const f = this.form.elements;
    const read = {};
    let ok = true;
    const layers = readLayers(f.layers.value);
    if (layers.error) {
      this.showError('layers', layers.error, false);
      ok = false;
    }
    for (const name of Object.keys(NUMBERS)) {
      read[name] = readNumber(name, f[name].value);
      if (read[name].error) {
        this.showError(name, read[name].error, false);
        ok = false;
      }
    }
    if (!ok) {
      const first = this.form.querySelector('[aria-invalid="true"]');
      if (first) {
        first.focus();
      }
      return null;
    }
    const seed = read.seed.value;
    const spec = {
      layers: layers.value,
      learningRate: read.learningRate.value,
      iterations: read.iterations.value,
      init: f.init.value,
      seed,
      dataset: { name: f.dataset.value, samples: read.samples.value, noise: read.noise.value, seed },
    };
    if (read.validationSplit.value > 0) {
      spec.validationSplit = read.validationSplit.value;
    }
    if (read.pace.value > 0) {
      spec.pace = read.pace.value;
    }
    return spec;
  }

  /**
   * The specs of a sweep: the form's spec once per value typed for the field chosen (the dataset keeps the form's
   * seed when seeds are swept: the same data, another start), or null after showing what is wrong.
   */
  sweepSpecs() {
    const f = this.form.elements;
    const field = f.sweepField.value;
    const base = this.spec();
    if (!base) {
      return null;
    }
    const typed = String(f.sweepValues.value || '').trim();
    if (!SWEEPABLE.includes(field)) {
      this.showError('sweepField', 'choose the field the runs differ in');
      return null;
    }
    const values = field === 'layers' ? typed.split(/\s*;\s*|\s+\|\s+/).filter(Boolean)
      : typed.split(/[\s,;]+/).filter(Boolean);
    if (values.length < 2 || values.length > MAX_SWEEP) {
      this.showError('sweepValues', `Values: “${typed}” gives ${values.length}; give 2 to ${MAX_SWEEP} values`
        + (field === 'layers' ? ' separated by ; (such as 2,8,1; 2,16,1)' : ' separated by commas (such as 0.01, 0.03, 0.1, 0.3)'));
      return null;
    }
    const specs = [];
    for (const text of values) {
      const one = JSON.parse(JSON.stringify(base));
      let read;
      if (field === 'layers') {
        read = readLayers(text);
      } else if (field === 'init') {
        read = ['he', 'xavier', 'seed'].includes(text) ? { value: text }
          : { error: `Init: “${text}” is not one of he, xavier, seed` };
      } else {
        read = readNumber(field, text);
      }
      if (read.error) {
        this.showError('sweepValues', 'Values: ' + read.error);
        return null;
      }
      if (field === 'noise' || field === 'samples') {
        one.dataset[field] = read.value;
      } else if (field === 'validationSplit' && read.value === 0) {
        delete one.validationSplit;
      } else {
        one[field] = read.value;
      }
      specs.push(one);
    }
    return specs;
  }

  /** Shows spec (a run's, every default written out) in the form, unless the user has typed since it last did. */
  showSpec(runId, spec) {
    if (!spec || this.dirty || this.filledFrom === String(runId)) {
      return;
    }
    this.filledFrom = String(runId);
    const f = this.form.elements;
    const set = (name, value) => {
      if (value !== undefined && value !== null && f[name]) {
        f[name].value = String(value);
      }
    };
    if (Array.isArray(spec.layers)) {
      set('layers', spec.layers.join(','));
    }
    set('learningRate', spec.learningRate);
    set('iterations', spec.iterations);
    set('pace', spec.pace ?? 0);
    set('init', spec.init);
    set('seed', spec.seed);
    set('validationSplit', spec.validationSplit ?? 0);
    if (spec.dataset && [...f.dataset.options].some((o) => o.value === spec.dataset.name)) {
      set('dataset', spec.dataset.name);
      set('samples', spec.dataset.samples);
      set('noise', spec.dataset.noise);
    }
    this.clearErrors();
  }

  /** Shows an error from the server beside its field, or under the buttons when it names none we show. */
  showServerError(message) {
    const field = String(message.field || '').replace(/^spec\./, '').replace(/^(specs)?\[\d+\]\.?/, '');
    const input = FIELD_INPUT[field] || FIELD_INPUT[field.split(/[.[]/)[0]]
      || FIELD_INPUT[field.replace(/\[\d+\]$/, '')];
    const text = message.message || message.error || 'the server could not do that';
    if (input) {
      this.showError(input, text);
    } else {
      this.generalError.textContent = text;
    }
  }

  /** A message about the state of runs (not the form): gone when that state changes. */
  clearGeneral() {
    this.generalError.textContent = '';
  }

  showError(name, text, focus = true) {
    const out = this.form.querySelector(`output[data-for="${name}"]`);
    const input = this.form.elements[name];
    out.textContent = text;
    input.setAttribute('aria-invalid', 'true');
    if (focus) {
      input.focus();
    }
  }

  clearError(name) {
    const out = this.form.querySelector(`output[data-for="${name}"]`);
    if (out) {
      out.textContent = '';
      this.form.elements[name].removeAttribute('aria-invalid');
    }
    this.generalError.textContent = '';
  }

  clearErrors() {
    this.form.querySelectorAll('output[data-for]').forEach((o) => this.clearError(o.dataset.for));
  }

  /** Enables what makes sense for the viewed run's status, the connection and this viewer's rights. */
  update({ status, connected, readOnly }) {
    this.status = status;
    const can = connected && !readOnly;
    const live = status === 'running' || status === 'paused';
    this.buttons.start.disabled = !can;
    this.buttons.sweep.disabled = !can;
    this.buttons.pause.disabled = !can || !live;
    this.buttons.pause.textContent = status === 'paused' ? 'Resume' : 'Pause';
    this.buttons.step.disabled = !can || status !== 'paused';
    this.buttons.stop.disabled = !can || !(live || status === 'queued');
    this.form.querySelectorAll('input, select').forEach((el) => { el.disabled = readOnly; });
  }
}
