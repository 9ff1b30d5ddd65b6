import { api, follow } from '../api.js';
import { h, show, pretty, when, alertOf } from '../dom.js';
import { stepGraph } from '../graph.js';
import { session } from '../session.js';
import { eventTypes, timelineItem } from '../timeline.js';

const TERMINAL = new Set(['process_completed', 'process_cancelled', 'process_failed']);
const AGENT_ORCHESTRATORS = new Set(['llm-action', 'deep-research']);

/** A process: its status, its step graph by state, the live timeline, and what its people can do. */
export async function processPage(id) {
  let process = await api(`/api/v1/processes/${id}`);
  const definition = await api(
    `/api/v1/definitions/${encodeURIComponent(process.definitionId)}?version=${process.definitionVersion}`,
  );
  const status = h('p', { id: 'process-status' });
  const figure = h('figure', { 'aria-label': `Steps of ${definition.name}` });
  const actions = h('div', { class: 'actions' });
  const result = h('section', { 'aria-label': 'Output' });
  const feedback = h('div');
  const timeline = h('ol', { class: 'timeline', 'aria-live': 'polite' });
  const message = h('div', { 'aria-live': 'polite' });
  show(
    h('h1', {}, definition.name),
    h('p', { class: 'hint' }, `Process ${process.id} · started ${when(process.createdAt)}`),
    status,
    actions,
    message,
    h('div', { class: 'process-grid' }, figure, h('section', { class: 'card' }, h('h2', {}, 'Timeline'), timeline)),
    result,
    feedback,
  );

  const render = () => {
    status.replaceChildren('Status: ', h('span', { class: `status ${process.status.toLowerCase()}` }, process.status));
    figure.replaceChildren(stepGraph(definition, process.tasks), h('figcaption', {}, 'Steps, coloured by the state of their latest task'));
    result.replaceChildren(
      ...(process.output != null ? [h('h2', {}, 'Output'), h('pre', { class: 'output' }, pretty(process.output))] : []),
    );
    renderActions();
    renderFeedback();
  };

  const command = async (path, done) => {
    message.replaceChildren();
    try {
      await api(`/api/v1/processes/${id}/${path}`, { method: 'POST' });
      message.replaceChildren(h('p', { role: 'status' }, done));
      await refresh();
    } catch (error) {
      message.replaceChildren(alertOf(error));
    }
  };
  const renderActions = () => {
    actions.replaceChildren();
    if (!session.can('operator')) return;
    if (process.status === 'RUNNING' || process.status === 'WAITING') {
      actions.append(h('button', { type: 'button', onclick: () => command('cancel', 'Process cancelled') }, 'Cancel process'));
    }
    if (process.status === 'ERROR') {
      actions.append(h('button', { type: 'button', onclick: () => command('retry', 'Process retried') }, 'Retry'));
    }
  };

  const rated = new Set();
  const renderFeedback = () => {
    const agentSteps = process.tasks.filter(
      (task) => task.status === 'DONE' && AGENT_ORCHESTRATORS.has(orchestratorOf(definition, task.activityId)) && !rated.has(task.id),
    );
    if (!session.current?.user || !agentSteps.length) {
      feedback.replaceChildren();
      return;
    }
    if (feedback.querySelector('form')) return; // keep what the person is typing
    feedback.replaceChildren(...agentSteps.map((task) => feedbackForm(definition, task, () => rated.add(task.id))));
  };

  let refreshing = null;
  const refresh = async () => {
    process = await api(`/api/v1/processes/${id}`);
    render();
  };
  const refreshSoon = () => {
    if (!refreshing) {
      refreshing = setTimeout(async () => {
        refreshing = null;
        await refresh().catch(() => {});
      }, 300);
    }
  };

  render();
  const stream = follow(
    (lastId) => `/api/v1/processes/${id}/events${lastId ? `?after=${lastId}` : ''}`,
    eventTypes,
    (type, event) => {
      timeline.append(timelineItem(event));
      refreshSoon();
      if (TERMINAL.has(type)) stream.close();
    },
  );
  return () => {
    stream.close();
    clearTimeout(refreshing);
  };
}

function orchestratorOf(definition, activityId) {
  return definition.activities.find((a) => a.id === activityId)?.orchestrator;
}

/** Rate an agent's answer, with an optional correction the agent learns from. */
function feedbackForm(definition, task, sent) {
  const name = definition.activities.find((a) => a.id === task.activityId)?.name || task.activityId;
  const ratingId = `rating-${task.id}`;
  const correctionId = `correction-${task.id}`;
  const rating = h('select', { id: ratingId }, [5, 4, 3, 2, 1].map((n) => h('option', { value: n }, String(n))));
  const correction = h('textarea', { id: correctionId, rows: 3 });
  const message = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'card', 'aria-label': `Feedback on ${name}` },
    h('h2', {}, `Feedback on “${name}”`),
    h('div', { class: 'field' }, h('label', { for: ratingId }, 'Rating'), rating),
    h('div', { class: 'field' }, h('label', { for: correctionId }, 'Correction'), correction),
    message,
    h('button', { type: 'submit' }, 'Send feedback'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const body = { rating: Number(rating.value) };
      if (correction.value.trim()) body.correction = correction.value.trim();
      await api(`/api/v1/tasks/${task.id}/feedback`, { method: 'POST', body });
      sent();
      form.replaceChildren(h('p', { role: 'status' }, `Thank you: feedback on “${name}” sent.`));
    } catch (error) {
      message.replaceChildren(alertOf(error));
    }
  });
  return form;
}
