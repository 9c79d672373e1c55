// What the MCP surface reads. app maps MCP_TOKEN and MCP_MAX_BYTES onto it; without a token the HTTP
// endpoint is off (stdio, `siptriage mcp`, needs none: whoever starts the process already has the machine).

export interface McpHttpConfig {
  /** Bearer token a client must present on POST /mcp. */
  readonly token: string;
  /** Largest request body accepted, in bytes (a base64 capture is a third larger than the file). */
  readonly maxBytes: number;
}

export interface McpSurfaceConfig {
  readonly mcp: McpHttpConfig | undefined;
}
