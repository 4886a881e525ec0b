// Small conveniences only: every page works without this file.
document.addEventListener('DOMContentLoaded', () => {
  // After a refused post, take keyboard and screen-reader users straight to the list of problems.
  const summary = document.getElementById('error-summary');
  if (summary) {
    // The server names each field by its API path (content.vision); people know it by its label.
    summary.querySelectorAll('a[href^="#"]').forEach((link) => {
      const label = document.querySelector(`label[for="${CSS.escape(link.getAttribute('href').slice(1))}"]`);
      if (!label) return;
      const copy = label.cloneNode(true);
      copy.querySelectorAll('[aria-hidden="true"]').forEach((mark) => mark.remove());
      const text = copy.textContent.trim();
      if (text) link.textContent = text;
    });
    summary.focus();
  }
  // Buttons that undo something ask first (data-confirm="Cancel this meeting?").
  document.querySelectorAll('[data-confirm]').forEach((element) => {
    element.addEventListener('click', (event) => {
      if (!window.confirm(element.getAttribute('data-confirm'))) event.preventDefault();
    });
  });
});
