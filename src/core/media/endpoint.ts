/** "192.0.2.1:4000", or "[2001:db8::1]:4000" for IPv6 (RFC 3986 §3.2.2). */
export function endpoint(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
