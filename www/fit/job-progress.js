// The box that shows a long job in the fitting worker while it runs: a fit, profile intervals,
// the model check or a comparison. What it is doing and for how long (a live status line), an
// indeterminate bar, and the button that stops it; every job has the same box, so a fit's Cancel
// and a profile's Stop look and behave alike.
import { h } from '../dom.js';

/**
 * A progress box. `id`: the box's id; `what`: the job's name (the bar's label); `text`: the
 * first status line; `stop`: `{ id, label, hint, onStop }` for the button. The box's `set(text)`
 * changes the status line, and `stopped()` says whether the focus is on its button (to move it
 * to the message that replaces the box).
 */
export function jobProgress({ id, what, text, textId = null, stop }) {
  const status = h('span', { id: textId }, text);
  const button = h('button', { type: 'button', id: stop.id, class: 'stop-job', onclick: () => stop.onStop() }, stop.label);
  const box = h('div', { class: 'progress-box', id },
    h('p', { role: 'status', 'aria-live': 'polite' }, status),
    h('progress', { 'aria-label': what }),
    h('p', {}, button, stop.hint ? h('span', { class: 'hint' }, ` ${stop.hint}`) : null));
  box.set = (t) => {
    status.textContent = t;
  };
  box.focused = () => box.contains(document.activeElement);
  box.status = status;
  return box;
}

/**
 * The message that replaces a stopped job's box: a status line that takes the focus when the
 * Stop button had it, so a keyboard user stays where they were.
 */
export function stoppedMessage(box, text, id) {
  const message = h('p', { class: 'note', id, role: 'status', tabindex: '-1' }, text);
  const focus = box && box.isConnected && box.focused();
  if (box && box.isConnected) box.replaceWith(message);
  if (focus) message.focus();
  return message;
}
