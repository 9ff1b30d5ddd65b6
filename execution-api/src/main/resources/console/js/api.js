// The console's one way to call the API: the credential from sign-in as a bearer token, problem
// JSON (RFC 9457) turned into ApiError, and live streams opened with short-lived stream tokens
// (an EventSource cannot send the Authorization header, and a long-lived key in a URL would end up
// in logs).

const CREDENTIAL = 'podflow.credential';

export const credential = {
  get: () => sessionStorage.getItem(CREDENTIAL),
  set: (value) => sessionStorage.setItem(CREDENTIAL, value),
  clear: () => sessionStorage.removeItem(CREDENTIAL),
};

/** A refused call: its status and problem document (detail, errors with pointers). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `The API answered ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

let onSignedOut = () => {};

/** What to do when the API stops accepting the credential (401). */
export function whenSignedOut(handler) {
  onSignedOut = handler;
}

/** Calls the API; the answer's JSON, or throws ApiError. */
export async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json', Authorization: `Bearer ${credential.get()}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new ApiError(response.status, json || {});
    if (response.status === 401) onSignedOut(error);
    throw error;
  }
  return json;
}

/**
 * Follows an SSE route: calls onEvent(type, data, id) for every message of the named types, and
 * reopens with a new stream token (resuming after the last id) when the connection drops, until
 * close() is called. `resume(lastId)` gives the path to reopen at.
 */
export function follow(resume, types, onEvent) {
  let source = null;
  let lastId = null;
  let closed = false;
  let retry = null;
  let quiet = 0; // reconnections in a row that brought nothing new: a finished stream backs off
  const open = async () => {
    if (closed) return;
    let token;
    try {
      token = (await api('/api/v1/stream-tokens', { method: 'POST' })).token;
    } catch (error) {
      if (error.status !== 401) retry = setTimeout(open, 3000);
      return;
    }
    if (closed) return;
    const path = resume(lastId);
    const url = `${path}${path.includes('?') ? '&' : '?'}streamToken=${encodeURIComponent(token)}`;
    source = new EventSource(url);
    for (const type of types) {
      source.addEventListener(type, (message) => {
        quiet = 0;
        lastId = message.lastEventId || lastId;
        onEvent(type, JSON.parse(message.data), message.lastEventId);
      });
    }
    // The browser would reconnect with the same, soon expired, token: reopen with a new one.
    source.onerror = () => {
      source.close();
      quiet += 1;
      if (!closed) retry = setTimeout(open, Math.min(1000 * quiet, 15000));
    };
  };
  open();
  return {
    close() {
      closed = true;
      clearTimeout(retry);
      if (source) source.close();
    },
  };
}
