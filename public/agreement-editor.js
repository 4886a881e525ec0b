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
  const pending = new Map();
  const update = async (row) => {
    const index = row.getAttribute('data-target-row');
    const within = row.querySelector('input[name$="[within]"]');
    const output = document.getElementById(`due-preview-${index}`);
    if (!within || !output || !previewUrl) return;
    const value = within.value.trim();
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
        output.textContent = `If a lead arrives now, it is due at ${body.text}.`;
      } else {
        const messages = Object.values(body.errors || {}).flat();
        output.textContent = messages.length ? `No preview: ${messages.join('; ')}` : '';
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
  });
  if (calendar) calendar.addEventListener('change', () => rows.forEach((row) => update(row)));
});
