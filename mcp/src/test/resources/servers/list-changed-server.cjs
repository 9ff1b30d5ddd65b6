// A stdio MCP server for the tests (run with NODE_PATH=scripts/npm/node_modules): 'add-tool'
// registers a new tool, which makes the SDK send notifications/tools/list_changed, and
// 'list-requests' says how many tools/list requests the server has answered.
const { McpServer } = require("@modelcontextprotocol/sdk/server/mcp.js");
const { StdioServerTransport } = require("@modelcontextprotocol/sdk/server/stdio.js");

const server = new McpServer({ name: "list-changed", version: "1.0.0" });
let listRequests = 0;
let added = 0;
const text = (value) => ({ content: [{ type: "text", text: String(value) }] });

server.registerTool("add-tool", { description: "Adds a tool named added-N" }, async () => {
  added += 1;
  server.registerTool(`added-${added}`, { description: "An added tool" }, async () => text("added"));
  return text(`added-${added}`);
});
server.registerTool("list-requests", { description: "Counts tools/list requests" }, async () =>
  text(listRequests),
);

const transport = new StdioServerTransport();
server.connect(transport).then(() => {
  const handle = transport.onmessage;
  transport.onmessage = (message, extra) => {
    if (message.method === "tools/list") listRequests += 1;
    handle(message, extra);
  };
});
