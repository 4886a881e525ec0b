// The agreement editor's live due-time preview and kind switch. The form works without this
// file: the server shows the same preview after each save.
document.addEventListener('DOMContentLoaded', () => {
  const form = document.getElementById('agreement-editor');
  if (!form) return;
  const calendar = document.getElementById('f-calendarId');
  const previewUrl = form.getAttribute('data-preview-url');

  // A new agreement shows only the terms of the kind chosen; both are in the page for those without scripts.
  const kind = document.getElementById('f-kind');
  const showKind = () => {
    form.querySelectorAll('fieldset[data-kind]').forEach((fieldset) => {
      fieldset.hidden = fieldset.getAttribute('data-kind') !== kind.value;
    });
  };
  if (kind) {
    kind.addEventListener('change', showKind);
    showKind();
  }

  const rows = Array.from(form.querySelectorAll('[data-target-row]'));
  // The number and unit of a target as the API's ISO 8601 duration, as the server reads them (joinWithin).
  const isoOf = (amount, unit) => {
    if (unit === 'iso' || !/^\d+$/.test(amount)) return amount;
    return unit === 'days' ? `P${Number(amount)}D` : unit === 'minutes' ? `PT${Number(amount)}M` : `PT${Number(amount)}H`;
  };
  const pending = new Map();
  const update = async (row) => {
    const index = row.getAttribute('data-target-row');
    const within = row.querySelector('input[name$="[within]"]');
    const unit = row.querySelector('select[name$="[withinUnit]"]');
    const output = document.getElementById(`due-preview-${index}`);
    if (!within || !output || !previewUrl) return;
    const value = isoOf(within.value.trim(), unit ? unit.value : 'iso');
    if (!value || !calendar || !calendar.value) {
      output.textContent = '';
      return;
    }
    const query = new URLSearchParams({ calendarId: calendar.value, within: value });
    const asked = query.toString();
    pending.set(index, asked);
    try {
      const answer = await fetch(`${previewUrl}?${asked}`, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      const body = await answer.json();
      // A slower answer to an earlier keystroke must not overwrite a newer one.
      if (pending.get(index) !== asked) return;
      if (answer.ok) {
        // The sentences come from the page, in its reader's language.
        output.textContent = (output.getAttribute('data-due') || '{when}').replace('{when}', body.text);
      } else {
        const messages = Object.values(body.errors || {}).flat();
        output.textContent = messages.length ? (output.getAttribute('data-no-preview') || '{problems}').replace('{problems}', messages.join('; ')) : '';
      }
    } catch {
      if (pending.get(index) === asked) output.textContent = '';
    }
  };

  const timers = new Map();
  const later = (row) => {
    clearTimeout(timers.get(row));
    timers.set(row, setTimeout(() => update(row), 250));
  };
  rows.forEach((row) => {
    const within = row.querySelector('input[name$="[within]"]');
    if (within) within.addEventListener('input', () => later(row));
    const unit = row.querySelector('select[name$="[withinUnit]"]');
    if (unit) {
      unit.addEventListener('change', () => {
        // A number field cannot hold the ISO form: switch its type with the unit.
        if (within) within.type = unit.value === 'iso' ? 'text' : 'number';
        update(row);
      });
    }
  });
  if (calendar) calendar.addEventListener('change', () => rows.forEach((row) => update(row)));
});
