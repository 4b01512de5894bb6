// The live learning rate: the rate of the run on screen, changed for every viewer with Enter or Apply
// (a `set` message). The server checks the value and answers an error beside the field; the run's `state`
// then brings the new rate and its list of changes to every page.

export class LiveRate {
  constructor(form, apply) {
    this.form = form;
    this.input = form.querySelector('#live-rate');
    this.button = form.querySelector('#apply');
    this.error = form.querySelector('#live-error');
    // The run and rate last shown; while the user edits, a new rate from the server does not overwrite.
    this.runId = null;
    this.shown = undefined;
    this.editing = false;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.error.textContent = '';
      apply(Number(this.input.value));
    });
    this.input.addEventListener('input', () => {
      this.editing = true;
      this.error.textContent = '';
      this.input.removeAttribute('aria-invalid');
    });
  }

  /** The server carried the change out; its state shows the rate from now on. */
  applied() {
    this.editing = false;
  }

  showError(message) {
    this.error.textContent = message.message || message.error || 'the server could not change the rate';
    this.input.setAttribute('aria-invalid', 'true');
  }

  /** Shows the viewed run's rate; usable only on a live run, connected, with the control right. */
  update({ run, connected, readOnly }) {
    const live = run && (run.status === 'running' || run.status === 'paused');
    const rate = run ? run.state.learningRate : undefined;
    if (!run || String(run.id) !== String(this.runId)) {
      this.runId = run ? run.id : null;
      this.editing = false;
      this.error.textContent = '';
      this.shown = undefined;
    }
    if (!this.editing && rate !== this.shown) {
      this.shown = rate;
      this.input.value = typeof rate === 'number' ? String(rate) : '';
    }
    this.input.disabled = !connected || readOnly || !live;
    this.button.disabled = this.input.disabled;
  }
}
