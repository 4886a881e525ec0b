// The pages work without this file: the URL is in a read-only field to select and copy by hand.
// This only shows a "Copy" button beside each (data-copy="<field id>") that puts it on the clipboard.
document.addEventListener('DOMContentLoaded', () => {
  const status = document.querySelector('.copy-status');
  document.querySelectorAll('[data-copy]').forEach((button) => {
    const field = document.getElementById(button.getAttribute('data-copy'));
    if (!field) return;
    button.hidden = false;
    button.addEventListener('click', async () => {
      field.focus();
      field.select();
      let copied = false;
      try {
        await navigator.clipboard.writeText(field.value);
        copied = true;
      } catch {
        copied = document.execCommand && document.execCommand('copy');
      }
      const label = button.firstChild;
      const before = label.textContent;
      label.textContent = copied ? 'Copied' : 'Select and copy';
      if (status) status.textContent = copied ? 'Copied to the clipboard.' : 'Press Ctrl+C (⌘C) to copy the selected text.';
      setTimeout(() => { label.textContent = before; }, 2000);
    });
  });
});
