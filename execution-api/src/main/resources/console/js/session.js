// Who is signed in (GET /api/v1/me), the header with the main navigation, and the unread
// notification count, kept live from the user's notification stream.
import { api, follow } from './api.js';
import { h } from './dom.js';

const ROLES = ['user', 'operator', 'admin'];

export const session = {
  current: null,
  unread: 0,
  stream: null,
  onSignOut: () => {},

  async load() {
    this.current = await api('/api/v1/me');
    this.render();
    this.followNotifications();
  },

  clear() {
    if (this.stream) this.stream.close();
    this.stream = null;
    this.current = null;
    this.unread = 0;
    this.render();
  },

  /** Whether the signed-in caller has `role` or a higher one. */
  can(role) {
    return this.current && ROLES.indexOf(this.current.role) >= ROLES.indexOf(role);
  },

  /** The notifications' path of the signed-in person; null for a key issued to no one. */
  notificationsPath() {
    return this.current?.user ? `/api/v1/users/${encodeURIComponent(this.current.user)}/notifications` : null;
  },

  async followNotifications() {
    const path = this.notificationsPath();
    if (!path) return;
    const unread = await api(`${path}?unread=true&limit=100`);
    this.setUnread(unread.notifications.length);
    this.stream = follow(() => path, ['notification'], (type, notification) => {
      if (!notification.read) this.setUnread(this.unread + 1);
    });
  },

  setUnread(count) {
    this.unread = Math.max(0, count);
    this.render();
  },

  render() {
    const where = document.getElementById('session');
    if (!this.current) {
      where.replaceChildren();
      return;
    }
    const links = [
      ['#/definitions', 'Definitions'],
      ['#/processes', 'Processes'],
      ['#/inbox', 'Inbox'],
    ];
    const items = links.map(([href, text]) => h('li', {}, h('a', { href }, text)));
    if (this.notificationsPath()) {
      items.push(
        h(
          'li',
          {},
          h(
            'a',
            { href: '#/notifications' },
            'Notifications',
            this.unread > 0 ? [' ', h('span', { class: 'badge' }, this.unread >= 100 ? '99+' : String(this.unread))] : null,
            this.unread > 0 ? h('span', { class: 'visually-hidden' }, ' unread') : null,
          ),
        ),
      );
    }
    const who = this.current.user || this.current.actor;
    where.replaceChildren(
      h('nav', { 'aria-label': 'Main' }, h('ul', {}, items)),
      h(
        'div',
        { class: 'who' },
        h('span', {}, `Signed in as ${who} (${this.current.role})`),
        h('button', { type: 'button', onclick: () => this.onSignOut() }, 'Sign out'),
      ),
    );
  },
};
