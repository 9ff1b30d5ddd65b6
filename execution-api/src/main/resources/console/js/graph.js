// A definition's steps as an SVG graph: one box per activity, top to bottom in definition order,
// arrows for its transitions (`next`; without one, to the following activity). A process page
// colours each box by the state of that activity's latest task.
import { svg } from './dom.js';

const BOX = { width: 220, height: 44, gap: 36 };
const STATES = {
  PENDING: 'pending',
  IN_PROGRESS: 'running',
  WAITING: 'waiting',
  DONE: 'done',
  FAILED: 'failed',
  DEAD: 'failed',
  CANCELLED: 'cancelled',
};

/** The graph of `definition`; `tasks` (a process's) colour it. */
export function stepGraph(definition, tasks = []) {
  const activities = definition.activities;
  const index = new Map(activities.map((activity, i) => [activity.id, i]));
  const latest = new Map();
  for (const task of tasks) {
    const seen = latest.get(task.activityId);
    if (!seen || task.id > seen.id) latest.set(task.activityId, task);
  }
  const left = 40;
  const height = activities.length * (BOX.height + BOX.gap);
  const root = svg('svg', {
    viewBox: `0 0 ${BOX.width + 2 * left + 60} ${height}`,
    role: 'img',
    'aria-label': `Steps of ${definition.name}: ${activities.map((a) => a.name || a.id).join(', ')}`,
    class: 'graph',
  });
  root.append(
    svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse' }, svg('path', { d: 'M 0 0 L 10 5 L 0 10 z' }))),
  );
  const top = (i) => i * (BOX.height + BOX.gap);
  activities.forEach((activity, i) => {
    for (const target of transitions(activities, i)) {
      const j = index.get(target);
      if (j === undefined) continue;
      if (j === i + 1) {
        const x = left + BOX.width / 2;
        root.append(svg('line', { x1: x, y1: top(i) + BOX.height, x2: x, y2: top(j) - 2, class: 'edge', 'marker-end': 'url(#arrow)' }));
      } else {
        // A jump (a loop back, a skip): around the right side of the boxes.
        const x = left + BOX.width;
        const bend = x + 30 + 8 * Math.abs(j - i);
        const d = `M ${x} ${top(i) + BOX.height / 2} H ${bend} V ${top(j) + BOX.height / 2} H ${x + 2}`;
        root.append(svg('path', { d, class: 'edge', fill: 'none', 'marker-end': 'url(#arrow)' }));
      }
    }
  });
  activities.forEach((activity, i) => {
    const task = latest.get(activity.id);
    const state = task ? STATES[task.status] || 'pending' : 'idle';
    const label = activity.name || activity.id;
    root.append(
      svg(
        'g',
        { class: `step ${state}`, 'data-activity': activity.id, 'data-state': state },
        svg('title', {}, `${label} (${activity.orchestrator}): ${task ? task.status : 'not reached'}`),
        svg('rect', { x: left, y: top(i), width: BOX.width, height: BOX.height, rx: 8 }),
        svg('text', { x: left + 12, y: top(i) + 19 }, truncate(label, 28)),
        svg('text', { x: left + 12, y: top(i) + 35, class: 'small' }, `${activity.orchestrator}${task ? ' · ' + task.status.toLowerCase() : ''}`),
      ),
    );
  });
  return root;
}

function transitions(activities, i) {
  const next = activities[i].next;
  if (Array.isArray(next) && next.length > 0) return next.map((t) => t.to);
  return i + 1 < activities.length ? [activities[i + 1].id] : [];
}

function truncate(text, length) {
  return text.length > length ? text.slice(0, length - 1) + '…' : text;
}
