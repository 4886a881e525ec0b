// The brief form works without this file: it offers blank rows to fill. This only adds a button
// per list of rows (goals, milestones, metrics) that appends one more blank row, numbered on.
document.addEventListener('DOMContentLoaded', () => {
  document.querySelectorAll('[data-rows]').forEach((group) => {
    const button = group.querySelector('[data-add-row]');
    if (!button) return;
    button.hidden = false;
    button.addEventListener('click', () => {
      const rows = group.querySelectorAll('[data-row]');
      const last = rows[rows.length - 1];
      const index = rows.length - 1;
      const next = rows.length;
      const row = last.cloneNode(true);
      // Names (`content[goals][2][goal]`), ids (`f-content-goals-2-goal`) and labels ("Goal 3") move on by one.
      const renumber = (value) =>
        value.replace(`[${index}]`, `[${next}]`).replace(new RegExp(`-${index}-`, 'g'), `-${next}-`);
      row.querySelectorAll('[name], [id], [for], [aria-describedby]').forEach((element) => {
        ['name', 'id', 'for', 'aria-describedby'].forEach((attribute) => {
          const value = element.getAttribute(attribute);
          if (value) element.setAttribute(attribute, renumber(value));
        });
      });
      row.querySelectorAll('label').forEach((label) => {
        const mark = label.querySelector('.required');
        if (mark) mark.remove();
        label.textContent = label.textContent.replace(/\d+\s*$/, String(next + 1));
      });
      row.querySelectorAll('.field-error, .hint').forEach((element) => element.remove());
      row.querySelectorAll('.has-error').forEach((element) => element.classList.remove('has-error'));
      row.querySelectorAll('input, textarea, select').forEach((control) => {
        control.value = '';
        control.removeAttribute('aria-invalid');
        control.removeAttribute('aria-describedby');
        control.removeAttribute('required');
        control.removeAttribute('aria-required');
      });
      last.after(row);
      const first = row.querySelector('input, textarea, select');
      if (first) first.focus();
    });
  });
});
