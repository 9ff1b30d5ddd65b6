import { api } from '../api.js';
import { h, show, when, alertOf } from '../dom.js';
import { session } from '../session.js';

/** The signed-in person's notifications, newest first, each marked read on request. */
export async function notificationsPage() {
  const path = session.notificationsPath();
  if (!path) {
    show(h('h1', {}, 'Notifications'), h('p', {}, 'This credential acts for no user, so nothing is addressed to it.'));
    return;
  }
  const list = h('ul', { class: 'cards' });
  const message = h('div', { 'aria-live': 'polite' });
  show(h('h1', {}, 'Notifications'), message, list);
  const page = await api(`${path}?limit=100`);
  for (const notification of page.notifications) list.append(item(path, notification, message));
  if (!page.notifications.length) list.append(h('li', {}, 'No notifications yet.'));
}

function item(path, notification, message) {
  const open = notification.taskId
    ? h('a', { href: `#/inbox/${notification.taskId}` }, 'Open the task')
    : notification.processId
      ? h('a', { href: `#/processes/${notification.processId}` }, 'Open the process')
      : null;
  const element = h(
    'li',
    { class: `card${notification.read ? '' : ' unread'}` },
    h('strong', {}, notification.title),
    h('p', {}, notification.body),
    h('p', { class: 'hint' }, when(notification.createdAt), notification.read ? ' · read' : ' · unread'),
    open,
  );
  if (!notification.read) {
    const button = h('button', { type: 'button' }, 'Mark as read');
    button.addEventListener('click', async () => {
      try {
        await api(`${path}/${notification.id}/read`, { method: 'POST' });
        element.classList.remove('unread');
        button.remove();
        session.setUnread(session.unread - 1);
      } catch (error) {
        message.replaceChildren(alertOf(error));
      }
    });
    element.append(' ', button);
  }
  return element;
}
