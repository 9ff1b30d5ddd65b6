// The console: a hash router over the pages, the signed-in session and the notification badge.
import { credential, whenSignedOut } from './api.js';
import { h, show, alertOf } from './dom.js';
import { signInPage } from './pages/sign-in.js';
import { session } from './session.js';

// Each page's module loads when first shown, so the first screen needs only a few small files.
const routes = [
  [/^#\/definitions$/, async () => (await import('./pages/definitions.js')).definitionsPage()],
  [/^#\/definitions\/([^/]+)$/, async (id) => (await import('./pages/definitions.js')).definitionPage(decodeURIComponent(id))],
  [/^#\/processes$/, async () => (await import('./pages/processes.js')).processesPage()],
  [/^#\/processes\/([0-9a-f-]+)$/, async (id) => (await import('./pages/process.js')).processPage(id)],
  [/^#\/inbox$/, async () => (await import('./pages/inbox.js')).inboxPage()],
  [/^#\/inbox\/(\d+)$/, async (id) => (await import('./pages/inbox.js')).taskPage(id)],
  [/^#\/notifications$/, async () => (await import('./pages/notifications.js')).notificationsPage()],
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
      if (location.hash === next) navigate();
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

// One navigation at a time, in order: a page still loading when the next is asked for would
// otherwise show itself over it when its data arrives.
let routing = Promise.resolve();
function navigate() {
  routing = routing.then(route, route);
}

whenSignedOut(() => {
  if (!session.current) return; // a credential being tried at sign-in: the form says so itself
  credential.clear();
  session.clear();
  navigate();
});

window.addEventListener('hashchange', navigate);
session.onSignOut = () => {
  credential.clear();
  session.clear();
  if (location.hash === '#/sign-in') navigate();
  else location.hash = '#/sign-in';
};

(async () => {
  if (credential.get()) {
    try {
      await session.load();
    } catch {
      credential.clear();
    }
  }
  navigate();
})();
