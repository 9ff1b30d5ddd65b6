// The web console's end-to-end test in a real browser: Debian's headless Chromium
// (/usr/bin/chromium, scripts/install-debian-tools.sh) driven by playwright-core, which never
// downloads a browser. It follows the issue's newcomer: sign in with the demo's admin key, start
// "Draft, review, finalise", sign in as the reviewer (phone-sized) and answer the review in the
// inbox, then watch the first page, never reloaded, show the process complete over its live
// stream. Every page is also checked with axe-core (serious and critical violations fail) and
// photographed at desktop and phone width. Console errors and uncaught page errors in any
// browser context fail the run. A failed step is recorded and the run goes on wherever later steps
// can (a few mismatches with the contract are noted as failures and then worked around, so that
// the rest of the flow is still checked); every failure is listed at the end.
//
// Selectors are the accessible names of the console's UI contract (roles, labels, headings), plus
// the few attributes it names itself (#process-status, .field-error, data-state, the hrefs).
//
// Environment:
//   PODFLOW_URL     the API's base URL, e.g. http://127.0.0.1:8080 (the console is served at /)
//   ADMIN_KEY       an admin API key of the demo's tenant (the demo prints it)
//   REVIEWER_KEY    the reviewer's API key (the demo prints it)
//   SCREENSHOT_DIR  where the PNGs go (default: ./console-screenshots)
//   CHROMIUM        the browser (default /usr/bin/chromium)
// Exit code 0 when every check passed, 1 when a check failed, 2 when it could not start.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const started = Date.now();
const TOTAL_BUDGET_MS = 170_000; // the whole run, the browser's start included
const STEP_TIMEOUT_MS = 15_000; // one action or one element to appear
const TASK_APPEARS_MS = 60_000; // the draft (an agent step on the offline model) is written
const LIVE_COMPLETION_MS = 60_000; // the watcher sees the process complete without a reload

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const DEFINITION_NAME = 'Draft, review, finalise';
const REVIEW_TASK_NAME = 'A person reviews the draft';
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

function elapsed() {
  return `${((Date.now() - started) / 1000).toFixed(1)}s`;
}
function log(message) {
  console.log(`[console-e2e ${elapsed()}] ${message}`);
}
function setupFailure(message) {
  console.error(`[console-e2e] cannot run: ${message}`);
  process.exit(2);
}

const env = {
  url: (process.env.PODFLOW_URL || '').replace(/\/+$/, ''),
  adminKey: process.env.ADMIN_KEY || '',
  reviewerKey: process.env.REVIEWER_KEY || '',
  screenshots: path.resolve(process.env.SCREENSHOT_DIR || 'console-screenshots'),
  chromium: process.env.CHROMIUM || '/usr/bin/chromium',
};
if (!/^https?:\/\//.test(env.url)) setupFailure('PODFLOW_URL must be the API base URL, e.g. http://127.0.0.1:8080');
if (!env.adminKey) setupFailure('ADMIN_KEY is not set (the demo prints it as "admin:")');
if (!env.reviewerKey) setupFailure('REVIEWER_KEY is not set (the demo prints it as "reviewer:")');
if (!fs.existsSync(env.chromium)) {
  setupFailure(`${env.chromium} is missing: run scripts/install-debian-tools.sh (it installs Debian's chromium)`);
}
fs.mkdirSync(env.screenshots, { recursive: true });
try {
  const answer = await fetch(`${env.url}/`, { signal: AbortSignal.timeout(10_000) });
  if (!answer.ok) setupFailure(`GET ${env.url}/ answered ${answer.status}: is the console served there?`);
} catch (e) {
  setupFailure(`GET ${env.url}/ failed (${e.cause?.code || e.message}): is the API running there?`);
}
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// ---- what went wrong, all of it, reported at the end ----
const failures = [];
const passed = [];
const browserErrors = []; // console errors, uncaught page errors, 5xx answers
const expectedErrors = []; // 401/422 answers logged by Chrome while a step provoked them

function fail(what, error) {
  const message = error ? `${what}: ${firstLines(error.message || String(error), 6)}` : what;
  failures.push(message);
  log(`FAIL ${message}`);
}
function firstLines(text, n) {
  return text
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(0, n)
    .join('\n    ');
}

/** Runs one named step; a failure is recorded (with a screenshot of page) and the run goes on. */
async function step(name, page, fn) {
  log(`> ${name}`);
  const t0 = Date.now();
  try {
    const result = await fn();
    passed.push(name);
    log(`ok ${name} (${Date.now() - t0} ms)`);
    return { ok: true, result };
  } catch (e) {
    fail(name, e);
    if (page && !page.isClosed()) {
      const file = path.join(env.screenshots, `failure-${slug(name)}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => {});
      log(`   screenshot of the failing page: ${file}; it was at ${page.url()}`);
    }
    return { ok: false };
  }
}
function slug(text) {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

const watchdog = setTimeout(() => {
  fail(`the run took longer than ${TOTAL_BUDGET_MS / 1000} s`);
  report();
  process.exit(1);
}, TOTAL_BUDGET_MS);

// ---- the browser ----
let browser;
try {
  browser = await chromium.launch({
    executablePath: env.chromium,
    headless: true,
    chromiumSandbox: false,
    args: CHROMIUM_FLAGS,
    timeout: 30_000,
  });
} catch (e) {
  clearTimeout(watchdog);
  setupFailure(`Chromium did not start (${env.chromium}): ${firstLines(e.message, 8)}`);
}
log(`Chromium ${browser.version()} at ${env.chromium}; console at ${env.url}/`);

/**
 * A browser context whose page errors are recorded. allow(status) marks a window in which Chrome's
 * "Failed to load resource: ... status of <status>" lines are expected (a refused key, a 422).
 */
async function newContext(label, options) {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
  const allowed = new Set();
  context.allow = (status) => allowed.add(status);
  context.disallow = (status) => setTimeout(() => allowed.delete(status), 500);
  context.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location()?.url ? ` (${msg.location().url})` : '';
    const text = `[${label}] console error: ${msg.text()}${where}`;
    const status = /status of (\d{3})/.exec(msg.text())?.[1];
    if (status && allowed.has(Number(status))) expectedErrors.push(text);
    else browserErrors.push(text);
  });
  context.on('weberror', (webError) => {
    const error = webError.error();
    browserErrors.push(`[${label}] uncaught page error: ${error.stack || error.message || error}`);
  });
  context.on('response', (response) => {
    if (response.status() >= 500) {
      browserErrors.push(`[${label}] ${response.status()} from ${response.request().method()} ${response.url()}`);
    }
  });
  return context;
}

// ---- the console's pages, by the contract's accessible names ----
const mainNav = (page) => page.getByRole('navigation', { name: 'Main' });
const h1 = (page, name) => page.getByRole('heading', { level: 1, name, exact: typeof name === 'string' });
const alertWith = (scope, text) => scope.getByRole('alert').filter({ hasText: text });
const timeline = (page) =>
  page.locator('section').filter({ has: page.getByRole('heading', { name: 'Timeline', exact: true }) }).getByRole('list');
const timelineItem = (page, type) => timeline(page).getByRole('listitem').filter({ hasText: type });

async function signIn(page, key) {
  await h1(page, 'Sign in to Podflow').waitFor();
  await page.getByLabel('API key or JWT', { exact: true }).fill(key);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await mainNav(page).waitFor();
  await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
}

/** Follows a link of the Main navigation (the Notifications link may carry an unread count). */
async function openFromNav(page, name, heading) {
  const link = mainNav(page).getByRole('link', { name: new RegExp(`^${name}\\b`) });
  await link.click();
  await h1(page, heading).waitFor();
}

async function waitForHash(page, pattern, what, timeout = STEP_TIMEOUT_MS) {
  try {
    await page.waitForURL((url) => pattern.test(url.hash), { timeout });
  } catch {
    throw new Error(`expected ${what} (URL hash matching ${pattern}), but the page is at ${page.url()}`);
  }
  return pattern.exec(new URL(page.url()).hash);
}

// ---- accessibility and screenshots, in contexts of their own (one per person and width) ----
const auditContexts = new Map(); // "admin desktop" -> { context, page }

async function auditPage(who, viewportName) {
  const id = `${who} ${viewportName}`;
  if (auditContexts.has(id)) return auditContexts.get(id).page;
  const viewport = viewportName === 'desktop' ? DESKTOP : PHONE;
  // Not bypassCSP: the pages are checked as the console's real CSP lets them render (a blocked
  // inline style is not there); axe goes in by the DevTools protocol, which script-src does not stop.
  const context = await newContext(`audit ${id}`, {
    viewport,
    ...(viewportName === 'phone' ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  const page = await context.newPage();
  try {
    await page.goto(`${env.url}/`);
    if (who !== 'nobody') await signIn(page, who === 'admin' ? env.adminKey : env.reviewerKey);
  } catch (e) {
    await context.close().catch(() => {});
    throw new Error(`the audit page could not ${who === 'nobody' ? 'open' : `sign in as ${who}`}: ${e.message}`);
  }
  auditContexts.set(id, { context, page });
  return page;
}

/**
 * One page at both widths: loaded in the audit context of who (signed in), ready when ready(page)
 * resolves; a full-page screenshot each, axe at each (serious or critical fails).
 */
async function audit(name, who, route, ready) {
  for (const viewportName of ['desktop', 'phone']) {
    await step(`accessibility and screenshot of ${name} (${viewportName})`, null, async () => {
      const page = await auditPage(who, viewportName);
      if (route !== null) await page.goto(`${env.url}/${route}`);
      await ready(page);
      await page.waitForTimeout(300); // let the last render settle
      await page.screenshot({ path: path.join(env.screenshots, `${name}-${viewportName}.png`), fullPage: true });
      if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
      const violations = await page.evaluate(async () => {
        const result = await window.axe.run(document, { resultTypes: ['violations'] });
        return result.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ')}`),
            more: Math.max(0, v.nodes.length - 5),
          }));
      });
      if (violations.length > 0) {
        const lines = violations.map(
          (v) =>
            `${v.impact} ${v.id} (${v.help}):\n      ${v.nodes.join('\n      ')}${v.more ? `\n      ... and ${v.more} more` : ''}`,
        );
        throw new Error(`axe found ${violations.length} serious or critical violation(s) on ${name}:\n    ${lines.join('\n    ')}`);
      }
    });
  }
}

// ---- the flow ----
const state = { definitionRoute: null, processId: null, taskRoute: null };
let admin;
let reviewer;

await audit('sign-in', 'nobody', null, (page) => h1(page, 'Sign in to Podflow').waitFor());

// a. The admin signs in (a wrong key first), starts the sample, and keeps its page open.
const adminContext = await newContext('admin', { viewport: DESKTOP });
admin = await adminContext.newPage();

await step('admin: a wrong key is refused with an alert saying "not accepted"', admin, async () => {
  await admin.goto(`${env.url}/`);
  await h1(admin, 'Sign in to Podflow').waitFor();
  adminContext.allow(401);
  adminContext.allow(403);
  try {
    await admin.getByLabel('API key or JWT', { exact: true }).fill('pfk_not-a-real-key');
    await admin.getByRole('button', { name: 'Sign in', exact: true }).click();
    await alertWith(admin, /not accepted/i).waitFor();
  } finally {
    adminContext.disallow(401);
    adminContext.disallow(403);
  }
});

const adminSignedIn = await step('admin: the printed admin key signs in', admin, async () => {
  if (!(await h1(admin, 'Sign in to Podflow').isVisible())) await admin.goto(`${env.url}/`);
  await signIn(admin, env.adminKey);
  await waitForHash(admin, /^#\/definitions$/, 'the default route after sign-in');
  await h1(admin, 'Process definitions').waitFor();
  await admin.getByText(/Signed in as .+\(.+\)/).first().waitFor();
});

if (adminSignedIn.ok) {
  await step('admin: opens the sample from Definitions and starts it with its form', admin, async () => {
    await openFromNav(admin, 'Definitions', 'Process definitions');
    await admin.getByRole('link', { name: DEFINITION_NAME, exact: true }).click();
    await h1(admin, DEFINITION_NAME).waitFor();
    state.definitionRoute = new URL(admin.url()).hash;
    await admin.getByRole('figure', { name: `Steps of ${DEFINITION_NAME}`, exact: true }).waitFor();
    const form = admin.getByRole('form', { name: 'Start a process', exact: true });
    await form.waitFor();
    const topic = form.getByLabel(/topic/i);
    const json = form.getByLabel('Input (JSON)', { exact: true });
    const topicText = 'our new support hours, 8:00 to 20:00 on weekdays';
    try {
      await topic.or(json).first().waitFor(); // the form's fields are made once its script is loaded
    } catch {
      throw new Error('the start form has neither a "Topic" field (inputSchema) nor an "Input (JSON)" textarea');
    }
    const field = (await topic.count()) > 0 ? topic.first() : json;
    if (field === json) {
      log('   note: the start form has no "Topic" field (the definition declares no inputSchema): using "Input (JSON)"');
      await json.fill(JSON.stringify({ topic: topicText }));
    } else {
      await topic.first().fill(topicText);
    }
    // As a person does: type, then click the button (no Tab first).
    const startButton = form.getByRole('button', { name: 'Start process', exact: true });
    await startButton.click();
    const processPage = new RegExp(`^#/processes/(${UUID})$`);
    let match;
    try {
      match = await waitForHash(admin, processPage, 'the new process page', 5_000);
    } catch (e) {
      const said = (await form.getByRole('alert').allInnerTexts().catch(() => [])).join(' | ');
      fail(
        `admin: typing the topic and clicking "Start process" did not start the process (the form said: ${said || 'nothing'});` +
          ' it is tried again after leaving the field, so that the rest of the flow still runs',
      );
      await field.press('Tab');
      await startButton.click();
      match = await waitForHash(admin, processPage, 'the new process page');
    }
    state.processId = match[1];
    log(`   process ${state.processId}`);
    await h1(admin, DEFINITION_NAME).waitFor();
    await admin.locator('#process-status', { hasText: /Status:\s*[A-Z]+/ }).waitFor();
    await timelineItem(admin, /process_started|task_claimed|task_completed|llm_call|task_waiting/).first().waitFor();
    // A reload would clear this: it is still there at the end only if the page was never reloaded.
    await admin.evaluate(() => {
      window.__podflowE2eWatcher = true;
    });
  });
}

await audit('definitions', 'admin', '#/definitions', (page) =>
  page.getByRole('link', { name: DEFINITION_NAME, exact: true }).waitFor(),
);
if (state.definitionRoute) {
  await audit('definition', 'admin', state.definitionRoute, (page) => {
    // Ready once the form's fields are made (its script loads after the page).
    const form = page.getByRole('form', { name: 'Start a process', exact: true });
    return form.getByLabel(/topic/i).or(form.getByLabel('Input (JSON)', { exact: true })).first().waitFor();
  });
} else {
  fail('accessibility and screenshots of definition: skipped, the definition page was never reached');
}

// b. The reviewer, on a phone, answers the review in the inbox.
const reviewerContext = await newContext('reviewer', { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
reviewer = await reviewerContext.newPage();

const reviewerSignedIn = await step('reviewer (phone): signs in with the printed reviewer key', reviewer, async () => {
  await reviewer.goto(`${env.url}/`);
  await signIn(reviewer, env.reviewerKey);
  await waitForHash(reviewer, /^#\/definitions$/, 'the default route after sign-in');
});

/** Waits, reloading the inbox now and then, for the review task's link; opens it. */
async function openReviewTask(page) {
  await openFromNav(page, 'Inbox', 'Inbox');
  const link = page.getByRole('link', { name: REVIEW_TASK_NAME, exact: true }).first();
  const deadline = Date.now() + TASK_APPEARS_MS;
  for (;;) {
    try {
      await link.waitFor({ timeout: 3_000 });
      break;
    } catch {
      if (Date.now() > deadline) {
        throw new Error(`no "${REVIEW_TASK_NAME}" link in the inbox after ${TASK_APPEARS_MS / 1000} s`);
      }
      await page.reload();
      await h1(page, 'Inbox').waitFor();
    }
  }
  await link.click();
  const match = await waitForHash(page, /^#\/inbox\/([^/]+)$/, 'the task page');
  await h1(page, REVIEW_TASK_NAME).waitFor();
  return match[0];
}

let taskOpen = { ok: false };
if (reviewerSignedIn.ok && state.processId) {
  taskOpen = await step('reviewer: the review appears in the inbox and opens with its input and form', reviewer, async () => {
    state.taskRoute = await openReviewTask(reviewer);
    const input = reviewer.locator('section').filter({ has: reviewer.getByRole('heading', { name: 'Input', exact: true }) });
    await input.filter({ hasText: '[offline model]' }).waitFor();
    await reviewer.getByRole('form', { name: 'Answer', exact: true }).getByLabel(/comments/i).first().waitFor();
  });
}

if (taskOpen.ok) {
  await audit('inbox', 'reviewer', '#/inbox', (page) =>
    page.getByRole('link', { name: REVIEW_TASK_NAME, exact: true }).first().waitFor(),
  );
  await audit('task', 'reviewer', state.taskRoute, (page) =>
    // Ready once the answer form's fields are made (its script loads after the page).
    page.getByRole('form', { name: 'Answer', exact: true }).getByLabel(/comments/i).first().waitFor(),
  );
} else {
  fail('accessibility and screenshots of inbox and task: skipped, no review task was opened');
}

let answered = { ok: false };
if (taskOpen.ok) {
  const form = reviewer.getByRole('form', { name: 'Answer', exact: true });
  const sentStatus = reviewer.getByRole('status').filter({ hasText: 'Answer sent' });
  let acceptedEmpty = false;
  await step('reviewer: an answer with "comments" left empty is refused next to the field', reviewer, async () => {
    await form.getByLabel(/comments/i).first().fill('');
    reviewerContext.allow(422);
    await form.getByRole('button', { name: 'Submit', exact: true }).click();
    const refused = form.locator('.field-error').first();
    const outcome = await Promise.race([
      refused.waitFor().then(() => 'refused'),
      sentStatus.waitFor().then(() => 'sent'),
    ]);
    reviewerContext.disallow(422);
    if (outcome === 'sent') {
      acceptedEmpty = true;
      throw new Error(
        'the empty answer was accepted ("Answer sent"): the review went back to the draft instead of' +
          ' showing a .field-error (the form sent "comments" although it was left empty)',
      );
    }
    const text = (await refused.textContent())?.trim();
    if (!text) throw new Error('the .field-error is empty');
    log(`   field error: "${text}"`);
    await reviewer.getByRole('alert').first().waitFor();
  });
  if (acceptedEmpty) {
    // The process went back to the draft: the next pass's review is answered instead.
    await step('reviewer: (after the accepted empty answer) the next review pass opens', reviewer, async () => {
      await waitForHash(reviewer, /^#\/inbox$/, 'the inbox after the answer');
      state.taskRoute = await openReviewTask(reviewer);
    });
  }
  answered = await step('reviewer: approves with comments and sees "Answer sent"', reviewer, async () => {
    await form.getByLabel(/comments/i).first().fill('Clear and friendly. Ship it.');
    const checkbox = form.getByRole('checkbox', { name: /approved/i });
    if ((await checkbox.count()) > 0) {
      await checkbox.check();
    } else {
      // Not as the contract says; answered all the same, so that the live completion is still seen.
      const select = form.getByRole('combobox', { name: /approved/i });
      if ((await select.count()) === 0) throw new Error('the answer form has no "approved" checkbox');
      fail('reviewer: "approved" (a boolean) is a select, not a checkbox as the contract says');
      await select.selectOption('true');
    }
    await form.getByRole('button', { name: 'Submit', exact: true }).click();
    await sentStatus.waitFor();
    await waitForHash(reviewer, /^#\/inbox$/, 'the inbox after the answer');
  });
}

// c. The admin's page, never reloaded, shows the end as it happens.
if (answered.ok) {
  await step(`admin: the open process page shows process_completed and COMPLETED live (<= ${LIVE_COMPLETION_MS / 1000} s)`, admin, async () => {
    await timelineItem(admin, 'process_completed').first().waitFor({ timeout: LIVE_COMPLETION_MS });
    await admin.locator('#process-status', { hasText: /Status:\s*COMPLETED/ }).waitFor();
    if (!(await admin.evaluate(() => window.__podflowE2eWatcher === true))) {
      throw new Error('the process page was reloaded (or navigated away) while it watched');
    }
    if (new URL(admin.url()).hash !== `#/processes/${state.processId}`) {
      throw new Error(`the watcher left the process page: it is at ${admin.url()}`);
    }
    const graph = admin.getByRole('figure', { name: `Steps of ${DEFINITION_NAME}`, exact: true });
    const states = await graph.locator('[data-state]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-state')));
    if (states.length < 3 || states.some((s) => s !== 'done')) {
      throw new Error(`the step graph's nodes should all be done, their data-state: [${states.join(', ')}]`);
    }
  });
}

// d. On the finished process, whoever started it rates an agent's answer with a correction.
if (answered.ok) {
  await step('admin: rates the agent\'s draft with a correction on the process page', admin, async () => {
    const form = admin.getByRole('form', { name: 'Feedback on Agent drafts', exact: true });
    await form.getByLabel('Rating', { exact: true }).selectOption('2');
    await form.getByLabel('Correction', { exact: true }).fill('Mention the weekend hours too.');
    await form.getByRole('button', { name: 'Send feedback', exact: true }).click();
    await admin.getByRole('status').filter({ hasText: /feedback on .Agent drafts. sent/i }).waitFor();
  });
}

// e. An operator cancels a running process from its page.
if (adminSignedIn.ok) {
  await step('admin: starts another process and cancels it from its page', admin, async () => {
    await admin.goto(`${env.url}/#/definitions/draft-review-finalise`);
    const form = admin.getByRole('form', { name: 'Start a process', exact: true });
    const topic = form.getByLabel(/topic/i).first();
    await topic.waitFor();
    await topic.fill('a process to cancel');
    await form.getByRole('button', { name: 'Start process', exact: true }).click();
    await waitForHash(admin, /^#\/processes\/[0-9a-f-]{36}$/, 'the new process page');
    await admin.getByRole('button', { name: 'Cancel process', exact: true }).click();
    await admin.getByRole('status').filter({ hasText: 'Process cancelled' }).waitFor();
    await admin.locator('#process-status', { hasText: /Status:\s*CANCELLED/ }).waitFor();
    await timelineItem(admin, 'process_cancelled').first().waitFor();
  });
}

if (state.processId) {
  await audit('processes', 'admin', '#/processes', (page) =>
    page
      .getByRole('table', { name: 'Processes' })
      .locator(`a[href="#/processes/${state.processId}"]`)
      .waitFor(),
  );
  await audit('process', 'admin', `#/processes/${state.processId}`, (page) =>
    timelineItem(page, /process_started|process_completed/).first().waitFor(),
  );
} else {
  fail('accessibility and screenshots of processes and process: skipped, no process was started');
}
await audit('notifications', 'reviewer', '#/notifications', (page) => h1(page, 'Notifications').waitFor());

// ---- the end ----
clearTimeout(watchdog);
await browser.close().catch(() => {});
report();
process.exit(failures.length === 0 && browserErrors.length === 0 ? 0 : 1);

function report() {
  console.log('');
  console.log(`[console-e2e] ${passed.length} steps passed, screenshots in ${env.screenshots}`);
  if (expectedErrors.length > 0) {
    console.log(`[console-e2e] expected browser errors (a refused key, a refused answer): ${expectedErrors.length}`);
    for (const e of expectedErrors) console.log(`    ${e}`);
  }
  if (browserErrors.length > 0) {
    console.log(`[console-e2e] ${browserErrors.length} browser error(s) (each fails the run):`);
    const counted = new Map();
    for (const e of browserErrors) counted.set(e, (counted.get(e) || 0) + 1);
    for (const [e, n] of counted) console.log(`    ${n > 1 ? `(${n} times) ` : ''}${e}`);
  }
  if (failures.length > 0) {
    console.log(`[console-e2e] ${failures.length} failed:`);
    for (const f of failures) console.log(`  - ${f}`);
  }
  const ok = failures.length === 0 && browserErrors.length === 0;
  console.log(`[console-e2e] ${ok ? 'PASSED' : 'FAILED'} in ${elapsed()}`);
}
