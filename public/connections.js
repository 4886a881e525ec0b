// The pages work without this file: the URL is in a read-only field to select and copy by hand.
// This only shows a "Copy" button beside each (data-copy="<field id>") that puts it on the clipboard.
// Its words come from the page, in the reader's language (data-* of the status line), English when absent.
document.addEventListener('DOMContentLoaded', () => {
  const status = document.querySelector('.copy-status');
  const say = (name, english) => (status && status.dataset[name]) || english;
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
      label.textContent = copied ? say('copied', 'Copied') : say('select', 'Select and copy');
      if (status) status.textContent = copied ? say('copiedStatus', 'Copied to the clipboard.') : say('selectStatus', 'Press Ctrl+C (⌘C) to copy the selected text.');
      setTimeout(() => { label.textContent = before; }, 2000);
    });
  });
});
