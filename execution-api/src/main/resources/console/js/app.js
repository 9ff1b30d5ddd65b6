// The console: a hash router over the pages, the signed-in session and the notification badge.
import { api, credential, whenSignedOut } from './api.js';
import { h, show, alertOf } from './dom.js';
import { signInPage } from './pages/sign-in.js';
import { definitionsPage, definitionPage } from './pages/definitions.js';
import { processesPage } from './pages/processes.js';
import { processPage } from './pages/process.js';
import { inboxPage, taskPage } from './pages/inbox.js';
import { notificationsPage } from './pages/notifications.js';
import { session } from './session.js';

const routes = [
  [/^#\/definitions$/, () => definitionsPage()],
  [/^#\/definitions\/([^/]+)$/, (id) => definitionPage(decodeURIComponent(id))],
  [/^#\/processes$/, () => processesPage()],
  [/^#\/processes\/([0-9a-f-]+)$/, (id) => processPage(id)],
  [/^#\/inbox$/, () => inboxPage()],
  [/^#\/inbox\/(\d+)$/, (id) => taskPage(id)],
  [/^#\/notifications$/, () => notificationsPage()],
];

let leave = null; // what the current page closes when another is shown (its live streams)

async function route() {
  const hash = location.hash || '#/definitions';
  if (!hash.startsWith('#/')) return; // an in-page anchor such as the skip link
  if (leave) leave();
  leave = null;
  if (!credential.get() || !session.current) {
    if (hash !== '#/sign-in') sessionStorage.setItem('podflow.after-sign-in', hash);
    session.render();
    return signInPage(async (value) => {
      credential.set(value);
      await session.load();
      const next = sessionStorage.getItem('podflow.after-sign-in') || '#/definitions';
      sessionStorage.removeItem('podflow.after-sign-in');
      if (location.hash === next) route();
      else location.hash = next;
    });
  }
  if (hash === '#/sign-in') {
    location.hash = '#/definitions';
    return;
  }
  for (const [pattern, page] of routes) {
    const match = hash.match(pattern);
    if (match) {
      try {
        leave = (await page(...match.slice(1))) || null;
      } catch (error) {
        show(h('h1', {}, 'Something went wrong'), alertOf(error));
      }
      return;
    }
  }
  show(h('h1', {}, 'Page not found'), h('p', {}, h('a', { href: '#/definitions' }, 'Back to definitions')));
}

whenSignedOut(() => {
  if (!session.current) return; // a credential being tried at sign-in: the form says so itself
  credential.clear();
  session.clear();
  route();
});

window.addEventListener('hashchange', route);
session.onSignOut = () => {
  credential.clear();
  session.clear();
  location.hash = '#/sign-in';
  route();
};

(async () => {
  if (credential.get()) {
    try {
      await session.load();
    } catch {
      credential.clear();
    }
  }
  route();
})();
