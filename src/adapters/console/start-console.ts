import type { SurfaceStarter } from '../../ports/surface.js';
import type { ConsoleSurfaceConfig } from './console-config.js';
import { channelCommands } from '../../commands/channel-commands.js';
import { ConsoleAdapter } from './console-adapter.js';

/** The console runs when asked to, or by default when nothing else would answer and a person is at the terminal. */
export const startConsole: SurfaceStarter<ConsoleSurfaceConfig> = async ({ config, log, engine, terminal, store, alerts, stats, metrics, probes, calls }) => {
  const chat = config.slack !== undefined || config.discord !== undefined;
  if (!(config.console === 'on' || (config.console === 'auto' && !chat && terminal.isTTY))) return undefined;
  const adapter = new ConsoleAdapter(engine, {
    input: terminal.input,
    output: terminal.output,
    color: terminal.isTTY,
    commands: channelCommands({ surface: 'console', log, store, alerts, stats, metrics, probes, calls, redact: engine.options.redact }),
    onCommand: (kind) => metrics?.chatCommand('console', kind),
  });
  let begin: () => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    begin = () => void adapter.start().then(resolve, reject);
  });
  return { name: 'console', finished, ready: () => begin(), stop: () => adapter.stop() };
};
