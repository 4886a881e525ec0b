// Small conveniences only: every page works without this file.
document.addEventListener('DOMContentLoaded', () => {
  // After a refused post, take keyboard and screen-reader users straight to the list of problems.
  const summary = document.getElementById('error-summary');
  if (summary) summary.focus();
  // Buttons that undo something ask first (data-confirm="Cancel this meeting?").
  document.querySelectorAll('[data-confirm]').forEach((element) => {
    element.addEventListener('click', (event) => {
      if (!window.confirm(element.getAttribute('data-confirm'))) event.preventDefault();
    });
  });
});
