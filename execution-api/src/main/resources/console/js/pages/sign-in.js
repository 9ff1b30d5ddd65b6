import { ApiError } from '../api.js';
import { h, show } from '../dom.js';

/** The sign-in form; `signIn(credential)` checks it (throws ApiError when refused). */
export function signInPage(signIn) {
  const input = h('input', {
    id: 'credential',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    'aria-describedby': 'credential-help',
  });
  const message = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'card narrow' },
    h('label', { for: 'credential' }, 'API key or JWT'),
    input,
    h(
      'p',
      { id: 'credential-help', class: 'hint' },
      'An API key (pfk_…, printed by ./podflow demo or ./podflow keys create) or a JWT from your identity provider. ' +
        'It stays in this tab only and is forgotten when the tab closes.',
    ),
    message,
    h('button', { type: 'submit' }, 'Sign in'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.replaceChildren();
    try {
      await signIn(input.value.trim());
    } catch (error) {
      const why = error instanceof ApiError && error.status === 401 ? 'That key or token was not accepted.' : error.message;
      message.replaceChildren(h('p', { role: 'alert', class: 'error' }, `${why} (not accepted)`));
      input.focus();
    }
  });
  show(h('h1', {}, 'Sign in to Podflow'), form);
  input.focus();
}
