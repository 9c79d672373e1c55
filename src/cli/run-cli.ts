import { SiptriageError } from '../errors/errors.js';
import { EXIT, type CliIo } from './cli-io.js';
import { codesCommand } from './codes-command.js';
import { explainCommand } from './explain-command.js';
import { runServe } from './serve.js';
import { runLadder } from './ladder-command.js';
import { runShare } from './share-command.js';
import { runTriage } from './triage-command.js';

const HELP = `siptriage: SIP failures explained, in chat and in the terminal

Usage:
  siptriage explain <query…> [--json]   a card: 503, 4xx, busy, q850 17, warning 305
  siptriage codes [--json]              every known response code
  siptriage triage [FILE|-] [--json] [--record]
                                        triage a trace or a pcap/pcapng capture (stdin when FILE is - or absent);
                                        --record counts its calls in the store for stats and digests
  siptriage stats [24h|7d|30d] [code|class|peer] [--json]
                                        SIP errors from the store, against the previous period of equal length
  siptriage digest [--since 24h] [--json] [--post]
                                        the daily digest now; --post sends the scheduled one where it has not gone out
  siptriage probe <target> [--transport udp|tcp|tls] [--timeout 5s] [--method OPTIONS|REGISTER|INVITE-dry] [--json]
                                        send one request (RFC 3263 resolution, RFC 3261 timers) and explain the answer
  siptriage calls [486|5xx|PEER|NUMBER|call-id ID] [1h|24h|7d] [--json] [--limit N]
                                        failing calls kept from live traffic, newest first
  siptriage calls --call-id ID [--json] [--pcap FILE]
                                        open one: triage of all its legs; --pcap writes its messages as a capture
  siptriage ladder FILE [--call CALL-ID] [--png OUT.png] [--svg OUT.svg] [--mermaid] [--max N]
                                        the call flow: text by default, failing calls first
  siptriage share FILE [--out DIR] [--call CALL-ID] [--keep-numbers] [--keep-addresses]
                                        a folder for a carrier: redacted trace, ladder (PNG, Mermaid), summary
  siptriage serve                       run the bot (console when no chat is configured)
  siptriage mcp                         the MCP server on stdio, for AI assistants (explain, triage, ladder, stats)
  siptriage discord register|invite     register the Discord commands [--guild ID]; print the invite URL
  siptriage help                        this text

Exit status: 0 on an answer, 1 on a fault, 2 on a usage error.`;

/** The siptriage command. Returns the exit status; writes answers to stdout and errors to stderr. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command = 'help', ...rest] = argv;
  try {
    switch (command) {
      case 'explain':
        return explainCommand(rest, io);
      case 'codes':
        return codesCommand(rest, io);
      case 'triage':
        return await runTriage(rest, io);
      case 'stats':
        return await (await import('./stats-command.js')).runStats(rest, io);
      case 'digest':
        return await (await import('./digest-command.js')).runDigest(rest, io);
      case 'probe':
        return await (await import('./probe-command.js')).runProbeCommand(rest, io);
      case 'calls':
        return await (await import('./calls-command.js')).runCalls(rest, io);
      case 'ladder':
        return await runLadder(rest, io);
      case 'share':
        return await runShare(rest, io);
      case 'serve':
        return await runServe(io);
      case 'mcp':
        // The MCP SDK loads only for this command.
        return await (await import('./mcp-command.js')).runMcp(io);
      case 'discord':
        // discord.js loads only for this command: the others start without it.
        return await (await import('./discord-command.js')).runDiscord(rest, io);
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(`${HELP}\n`);
        return EXIT.ok;
      default:
        io.stderr.write(`siptriage: unknown command "${command}"\n\n${HELP}\n`);
        return EXIT.usage;
    }
  } catch (err) {
    if (err instanceof SiptriageError) {
      io.stderr.write(`siptriage: ${err.message}\n`);
      return EXIT.failure;
    }
    // A file that cannot be written (--png, --svg, share --out): one line, not a stack trace.
    const sys = err as NodeJS.ErrnoException;
    if (typeof sys.code === 'string' && typeof sys.syscall === 'string') {
      io.stderr.write(`siptriage: cannot ${sys.syscall} ${sys.path ?? ''}: ${sys.code}\n`);
      return EXIT.failure;
    }
    throw err;
  }
}
