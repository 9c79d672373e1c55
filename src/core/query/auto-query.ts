/** What `/sip auto …` asks for: the channel's automatic triage of pasted traces (a stored channel setting). */
export type AutoCommand =
  | { readonly action: 'status' }
  | { readonly action: 'on' }
  | { readonly action: 'off' }
  | { readonly action: 'invalid'; readonly problem: string };

export const AUTO_USAGE = [
  '/sip auto: whether traces pasted in this channel are triaged automatically',
  '/sip auto off (or on): stop or resume automatic triage in this channel',
] as const;

/** Parses the words after "auto". Never fails: anything but on, off or status is 'invalid' with a reason. */
export function parseAutoCommand(rest: string): AutoCommand {
  const verb = rest.toLowerCase().trim().split(/\s+/)[0] ?? '';
  switch (verb) {
    case '':
    case 'status':
      return { action: 'status' };
    case 'on':
    case 'enable':
      return { action: 'on' };
    case 'off':
    case 'disable':
      return { action: 'off' };
    default:
      return { action: 'invalid', problem: `"${verb.slice(0, 30)}" is not an auto command: use /sip auto on, off or status.` };
  }
}
