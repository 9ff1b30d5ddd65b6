// A real A2A client for Podflow's tests, built on @a2a-js/sdk (installed beside this file by
// scripts/install-npm-tools.sh): protocol 1.0 with the SDK's v0.3 compatibility layer switched on,
// so it talks to Podflow's A2A server (protocol 0.3) as any A2A 1.0 client would.
//
//   node scripts/npm/a2a-client.mjs <agent card URL> <bearer token> <text>
//
// Sends the text as one message (message/send) and prints one line of JSON: the task's id, its
// state and its artifacts' data and text parts.
import { randomUUID } from 'node:crypto';
import { Role, taskStateToJSON } from '@a2a-js/sdk';
import {
  ClientFactory,
  ClientFactoryOptions,
  DefaultAgentCardResolver,
  JsonRpcTransportFactory,
} from '@a2a-js/sdk/client';

const [cardUrl, token, text] = process.argv.slice(2);
const factory = new ClientFactory(
  ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
    cardResolver: new DefaultAgentCardResolver({ legacyCompat: { enabled: true } }),
    transports: [new JsonRpcTransportFactory({ legacyCompat: { enabled: true } })],
  })
);
const client = await factory.createFromUrl(cardUrl, '');
const result = await client.sendMessage(
  {
    tenant: '',
    metadata: {},
    message: {
      messageId: randomUUID(),
      role: Role.ROLE_USER,
      parts: [
        {
          content: { $case: 'text', value: text },
          metadata: undefined,
          filename: '',
          mediaType: 'text/plain',
        },
      ],
      taskId: '',
      contextId: '',
      extensions: [],
      metadata: {},
      referenceTaskIds: [],
    },
    configuration: undefined,
  },
  { serviceParameters: { Authorization: `Bearer ${token}` } }
);
const parts = (result.artifacts ?? []).flatMap((artifact) => artifact.parts ?? []);
console.log(
  JSON.stringify({
    id: result.id,
    state: result.status ? taskStateToJSON(result.status.state) : null,
    data: parts.filter((p) => p.content?.$case === 'data').map((p) => p.content.value),
    text: parts.filter((p) => p.content?.$case === 'text').map((p) => p.content.value),
  })
);
