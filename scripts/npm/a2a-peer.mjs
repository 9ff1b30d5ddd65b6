// A real A2A peer for Podflow's tests, built on @a2a-js/sdk (installed beside this file by
// scripts/install-npm-tools.sh): protocol 1.0 with the SDK's v0.3 compatibility layer switched on,
// so Podflow's Java client (a2a-java-sdk 0.3.3, protocol 0.3) can call it.
//
//   node scripts/npm/a2a-peer.mjs            PORT (default 0: any free port), PEER_TOKEN (when set,
//                                            calls must send "Authorization: Bearer <token>"),
//                                            PEER_SLOW_MS (how long "slow:" takes, default 1500)
//
// It prints "a2a-peer listening on <port>" once it listens. What it does follows the first text
// part of the message:
//   "echo: X"   answers at once with a message "echo: X" (and the message's data parts back)
//   "task: X"   runs a task that completes at once with an artifact "done: X"
//   "slow: X"   runs a task that works for PEER_SLOW_MS, then completes with "done: X" (and pushes
//               every change to the webhook the caller registered)
//   "ask: X"    asks for input (input-required, "What is your name?"); the next message in the same
//               task completes it with "hello <answer>"
//   "fail: X"   runs a task that fails with the message X
//   "hang"      never answers
import express from 'express';
import { randomUUID } from 'node:crypto';
import { AGENT_CARD_PATH, A2A_PROTOCOL_VERSION, TaskState, Role } from '@a2a-js/sdk';
import {
  AgentEvent,
  DefaultRequestHandler,
  InMemoryPushNotificationStore,
  InMemoryTaskStore,
} from '@a2a-js/sdk/server';
import { agentCardHandler, jsonRpcHandler, UserBuilder } from '@a2a-js/sdk/server/express';
import { createLegacyAwarePushNotificationSender } from '@a2a-js/sdk/compat/v0_3/server';

const token = process.env.PEER_TOKEN || '';
const slowMs = Number(process.env.PEER_SLOW_MS || 1500);

const textPart = (value) => ({
  content: { $case: 'text', value },
  metadata: undefined,
  filename: '',
  mediaType: 'text/plain',
});

const message = (taskId, contextId, text, extraParts = []) => ({
  role: Role.ROLE_AGENT,
  messageId: randomUUID(),
  parts: [textPart(text), ...extraParts],
  taskId,
  contextId,
  extensions: [],
  metadata: {},
  referenceTaskIds: [],
});

const status = (taskId, contextId, state, text) =>
  AgentEvent.statusUpdate({
    taskId,
    contextId,
    status: {
      state,
      timestamp: new Date().toISOString(),
      message: text === undefined ? undefined : message(taskId, contextId, text),
    },
    metadata: {},
  });

const artifact = (taskId, contextId, text) =>
  AgentEvent.artifactUpdate({
    taskId,
    contextId,
    artifact: {
      artifactId: randomUUID(),
      name: 'result',
      description: '',
      parts: [textPart(text)],
      metadata: undefined,
      extensions: [],
    },
    lastChunk: true,
    append: false,
    metadata: undefined,
  });

class PeerExecutor {
  cancelled = new Set();
  sleeping = new Map(); // taskId -> ends its "slow:" wait at once

  cancelTask = async (taskId, eventBus) => {
    this.cancelled.add(taskId);
    this.sleeping.get(taskId)?.();
  };

  async execute(context, eventBus) {
    const { taskId, contextId, userMessage } = context;
    const texts = userMessage.parts.filter((p) => p.content?.$case === 'text');
    const data = userMessage.parts.filter((p) => p.content?.$case === 'data');
    const text = texts.length ? texts[0].content.value.trim() : '';
    const [verb, ...rest] = text.split(':');
    const argument = rest.join(':').trim();

    if (context.task && context.task.status.state === TaskState.TASK_STATE_INPUT_REQUIRED) {
      eventBus.publish(status(taskId, contextId, TaskState.TASK_STATE_WORKING));
      eventBus.publish(artifact(taskId, contextId, `hello ${text}`));
      eventBus.publish(status(taskId, contextId, TaskState.TASK_STATE_COMPLETED));
      eventBus.finished();
      return;
    }
    if (verb === 'echo') {
      eventBus.publish(AgentEvent.message(message(undefined, contextId, text, data)));
      eventBus.finished();
      return;
    }
    if (verb === 'hang') {
      await new Promise(() => {});
    }
    eventBus.publish(
      AgentEvent.task({
        id: taskId,
        contextId,
        status: { state: TaskState.TASK_STATE_SUBMITTED, timestamp: new Date().toISOString() },
        artifacts: [],
        history: [userMessage],
        metadata: {},
      })
    );
    if (verb === 'fail') {
      eventBus.publish(status(taskId, contextId, TaskState.TASK_STATE_FAILED, argument));
    } else if (verb === 'ask') {
      eventBus.publish(
        status(taskId, contextId, TaskState.TASK_STATE_INPUT_REQUIRED, 'What is your name?')
      );
    } else {
      eventBus.publish(status(taskId, contextId, TaskState.TASK_STATE_WORKING));
      if (verb === 'slow') {
        await new Promise((resolve) => {
          this.sleeping.set(taskId, resolve);
          setTimeout(resolve, slowMs);
        });
        this.sleeping.delete(taskId);
      }
      if (this.cancelled.has(taskId)) {
        eventBus.publish(status(taskId, contextId, TaskState.TASK_STATE_CANCELED));
      } else {
        eventBus.publish(artifact(taskId, contextId, `done: ${argument}`));
        eventBus.publish(status(taskId, contextId, TaskState.TASK_STATE_COMPLETED));
      }
    }
    this.cancelled.delete(taskId);
    eventBus.finished();
  }
}

const app = express();
const server = app.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  const port = server.address().port;
  const card = {
    name: 'Podflow test peer',
    description: 'Echoes, runs tasks, asks for input, fails or hangs, as its message says.',
    // The same endpoint twice: for protocol 1.0 clients and, through the compat layer, 0.3 ones.
    supportedInterfaces: [A2A_PROTOCOL_VERSION, '0.3'].map((protocolVersion) => ({
      url: `http://127.0.0.1:${port}/a2a/jsonrpc`,
      protocolBinding: 'JSONRPC',
      tenant: '',
      protocolVersion,
    })),
    version: '1.0.0',
    capabilities: {
      streaming: true,
      pushNotifications: true,
      extensions: [],
      extendedAgentCard: false,
    },
    securitySchemes: {},
    securityRequirements: [],
    defaultInputModes: ['text'],
    defaultOutputModes: ['text'],
    skills: [
      {
        id: 'peer',
        name: 'Test peer',
        description: 'echo:, task:, slow:, ask:, fail:, hang',
        tags: ['test'],
        examples: ['echo: hi'],
        inputModes: ['text'],
        outputModes: ['text'],
        securityRequirements: [],
      },
    ],
    documentationUrl: '',
    signatures: [],
  };
  const pushStore = new InMemoryPushNotificationStore();
  const handler = new DefaultRequestHandler(
    card,
    new InMemoryTaskStore(),
    new PeerExecutor(),
    undefined,
    pushStore,
    createLegacyAwarePushNotificationSender(pushStore, {
      timeout: 5000,
      tokenHeaderName: 'X-A2A-Notification-Token',
    })
  );
  app.use(`/${AGENT_CARD_PATH}`, agentCardHandler({ agentCardProvider: handler, legacyCompat: { enabled: true } }));
  app.use('/a2a/jsonrpc', (req, res, next) => {
    if (token && req.get('Authorization') !== `Bearer ${token}`) {
      res.status(401).json({ error: 'a bearer token is required' });
      return;
    }
    next();
  });
  app.use(
    '/a2a/jsonrpc',
    jsonRpcHandler({
      requestHandler: handler,
      userBuilder: UserBuilder.noAuthentication,
      legacyCompat: { enabled: true },
    })
  );
  console.log(`a2a-peer listening on ${port}`);
});
