import { api } from '../api.js';
import { h, show, pretty, when } from '../dom.js';
import { schemaForm, onSubmit } from '../forms.js';

/** The tasks waiting for the signed-in person (an operator's: everyone's). */
export async function inboxPage() {
  const list = h('ul', { class: 'cards' });
  const refresh = h('button', { type: 'button' }, 'Refresh');
  show(h('h1', {}, 'Inbox'), refresh, list);
  const load = async () => {
    const page = await api('/api/v1/tasks?status=WAITING&limit=100');
    list.replaceChildren(
      ...page.tasks.map((task) =>
        h(
          'li',
          { class: 'card' },
          h('a', { href: `#/inbox/${task.id}` }, task.name),
          h('p', { class: 'hint' }, `${task.definitionName} · ${kind(task)} · since ${when(task.createdAt)}${task.assignee ? ` · for ${task.assignee}` : ''}`),
        ),
      ),
    );
    if (!page.tasks.length) list.append(h('li', {}, 'Nothing is waiting for you.'));
  };
  refresh.addEventListener('click', load);
  await load();
  // New tasks arrive while the page is open: look again every few seconds.
  const timer = setInterval(() => load().catch(() => {}), 5000);
  return () => clearInterval(timer);
}

function kind(task) {
  return { PERSON: 'a step for you', ANSWER: 'a question from an agent', APPROVAL: 'a tool call to approve' }[task.waitingFor] || 'waiting';
}

/** One task: its input, and the form its answer must fit. */
export async function taskPage(id) {
  const page = await api('/api/v1/tasks?status=WAITING&limit=500');
  const task = page.tasks.find((t) => String(t.id) === String(id));
  if (!task) {
    show(h('h1', {}, 'Task not found'), h('p', {}, 'It was answered already, or it is not yours. '), h('a', { href: '#/inbox' }, 'Back to the inbox'));
    return;
  }
  const fields = h('div', { class: 'fields' });
  const summary = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit' }, 'Submit');
  const form = h('form', { 'aria-label': 'Answer', class: 'card' }, h('h2', {}, 'Your answer'), fields, summary, submit);
  show(
    h('h1', {}, task.name),
    h('p', { class: 'hint' }, `${task.definitionName} · ${kind(task)} · since ${when(task.createdAt)}`),
    h('section', { 'aria-label': 'Input', class: 'card' }, h('h2', {}, 'Input'), h('pre', { class: 'output' }, pretty(task.input))),
    task.approval ? h('section', { 'aria-label': 'Tool call', class: 'card' }, h('h2', {}, 'Tool call to approve'), h('pre', { class: 'output' }, pretty(task.approval))) : null,
    form,
  );
  const answer = await schemaForm(fields, task.form || approvalForm(task) || { type: 'object', title: 'Answer' });
  onSubmit(form, {
    input: answer,
    summary,
    button: submit,
    pointer: '/output',
    noun: 'answer',
    send: async (value) => {
      await api(`/api/v1/tasks/${task.id}/complete`, { method: 'POST', body: { output: value } });
      show(h('h1', {}, task.name), h('p', { role: 'status' }, 'Answer sent'), h('p', {}, h('a', { href: '#/inbox' }, 'Back to the inbox')));
      setTimeout(() => {
        if (location.hash === `#/inbox/${task.id}`) location.hash = '#/inbox';
      }, 1500);
    },
  });
}

/** The answer a tool-call approval takes. */
function approvalForm(task) {
  if (task.waitingFor !== 'APPROVAL') return null;
  return {
    type: 'object',
    required: ['approve'],
    properties: {
      approve: { type: 'boolean', title: 'Approve this tool call' },
      reason: { type: 'string', title: 'Reason (when refusing)' },
    },
  };
}
