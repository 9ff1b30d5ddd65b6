// One line of a process's timeline per event: when, what, and its details as text (LLM answers
// and tool output are data, shown as text, never as HTML).
import { h, pretty } from './dom.js';

/** The SSE event names of a process's stream (an EventSource hears only the names it listens to). */
export const eventTypes = [
  'process_started', 'process_completed', 'process_failed', 'process_cancelled', 'process_retried',
  'process_error', 'task_queued', 'task_claimed', 'task_completed', 'task_failed', 'task_dead',
  'task_released', 'task_lease_expired', 'task_cancelled', 'task_waiting', 'task_resumed',
  'task_poll_scheduled', 'task_assigned', 'join_arrived', 'condition_failed', 'pass_limit_reached',
  'llm_call', 'tool_call', 'tool_error', 'mcp_call', 'a2a_call', 'memory_recall', 'agent_resumed',
  'approval_requested', 'message',
];

const SUMMARIES = {
  llm_call: (p) => join(p.model, tokens(p), ms(p)),
  tool_call: (p) => join(p.tool || p.name, p.server, ms(p)),
  mcp_call: (p) => join(p.tool || p.name, p.server, ms(p)),
  a2a_call: (p) => join(p.agent || p.url, p.state, ms(p)),
  task_failed: (p) => join(p.error, p.attempt && `attempt ${p.attempt}`),
  task_waiting: (p) => join(p.waitingFor && `waiting for ${String(p.waitingFor).toLowerCase()}`, p.assignee),
};

export function timelineItem(event) {
  const summary = (SUMMARIES[event.type] || generic)(event.payload || {});
  const hasDetails = event.payload && Object.keys(event.payload).length > 0;
  return h(
    'li',
    { class: `event ${event.type.split('_')[0]}`, dataset: { type: event.type } },
    h('time', { datetime: event.createdAt }, new Date(event.createdAt).toLocaleTimeString()),
    ' ',
    h('strong', {}, event.type),
    event.taskId ? h('span', { class: 'hint' }, ` task ${event.taskId}`) : null,
    summary ? h('span', { class: 'summary' }, ` — ${summary}`) : null,
    hasDetails ? h('details', {}, h('summary', {}, 'Details'), h('pre', {}, pretty(event.payload))) : null,
  );
}

function generic(payload) {
  const text = JSON.stringify(payload);
  if (!text || text === '{}') return '';
  return text.length > 140 ? text.slice(0, 139) + '…' : text;
}

function tokens(p) {
  const input = p.inputTokens ?? p.promptTokens ?? p.usage?.inputTokens;
  const output = p.outputTokens ?? p.completionTokens ?? p.usage?.outputTokens;
  return input != null || output != null ? `${input ?? '?'} → ${output ?? '?'} tokens` : null;
}

function ms(p) {
  const value = p.durationMs ?? p.latencyMs ?? p.ms;
  return value != null ? `${value} ms` : null;
}

function join(...parts) {
  return parts.filter((part) => part !== undefined && part !== null && part !== '').join(' · ');
}
