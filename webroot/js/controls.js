// The spec form and the Start / Pause-Resume / Step / Stop buttons. The form turns into a run spec of
// CONTRACT.md; the server checks it, and an error naming a field (such as "layers[2]" or "dataset.noise")
// is shown beside that field.

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
};

export class Controls {
  constructor(form, { start, command }) {
    this.form = form;
    this.buttons = {
      start: form.querySelector('#start'),
      pause: form.querySelector('#pause'),
      step: form.querySelector('#step'),
      stop: form.querySelector('#stop'),
    };
    this.generalError = form.querySelector('#form-error');
    this.readOnly = false;
    this.connected = false;
    this.status = null;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.clearErrors();
      const spec = this.spec();
      if (spec) {
        start(spec);
      }
    });
    this.buttons.pause.addEventListener('click', () => command(this.status === 'paused' ? 'resume' : 'pause'));
    this.buttons.step.addEventListener('click', () => command('step'));
    this.buttons.stop.addEventListener('click', () => command('stop'));
    form.addEventListener('input', (e) => this.clearError(e.target.name));
  }

  /** The spec the form describes, or null after showing what is wrong with it. */
  spec() {
    const f = this.form.elements;
    const layers = f.layers.value.split(/[\s,]+/).filter((s) => s !== '').map(Number);
    if (layers.length < 2 || layers.some((n) => !Number.isInteger(n) || n < 1)) {
      this.showError('layers', 'whole numbers ≥ 1 separated by commas, such as 2,16,16,1');
      return null;
    }
    const seed = Number(f.seed.value);
    const spec = {
      layers,
      learningRate: Number(f.learningRate.value),
      iterations: Number(f.iterations.value),
      init: f.init.value,
      seed,
      dataset: { name: f.dataset.value, samples: Number(f.samples.value), noise: Number(f.noise.value), seed },
    };
    const split = Number(f.validationSplit.value);
    if (f.validationSplit.value.trim() !== '' && split > 0) {
      spec.validationSplit = split;
    }
    const pace = Number(f.pace.value);
    if (f.pace.value.trim() !== '' && pace > 0) {
      spec.pace = pace;
    }
    return spec;
  }

  /** Shows an error from the server beside its field, or under the buttons when it names none we show. */
  showServerError(message) {
    const field = String(message.field || '').replace(/^spec\./, '');
    const input = FIELD_INPUT[field] || FIELD_INPUT[field.split(/[.[]/)[0]]
      || FIELD_INPUT[field.replace(/\[\d+\]$/, '')];
    const text = message.message || message.error || 'the server could not do that';
    if (input) {
      this.showError(input, text);
    } else {
      this.generalError.textContent = text;
    }
  }

  showError(name, text) {
    const out = this.form.querySelector(`output[data-for="${name}"]`);
    const input = this.form.elements[name];
    out.textContent = text;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
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
    this.buttons.pause.disabled = !can || !live;
    this.buttons.pause.textContent = status === 'paused' ? 'Resume' : 'Pause';
    this.buttons.step.disabled = !can || status !== 'paused';
    this.buttons.stop.disabled = !can || !live;
    this.form.querySelectorAll('input, select').forEach((el) => { el.disabled = readOnly; });
  }
}
