/**
 * Names the tool that printed a trace, from signatures in its first lines. The name is reported to the
 * user and kept on each message; reading does not depend on it except for tshark's tree and ngrep's dots.
 */
const SIGNATURES: ReadonlyArray<readonly [string, RegExp]> = [
  ['tshark', /^Session Initiation Protocol(?: \(|$)/m],
  ['ngrep', /^[UT] (?:\d{4}\/\d{2}\/\d{2} [\d:.]+ )?\[?[\w.:]+\]?:\d+ -> \[?[\w.:]+\]?:\d+(?: \[[A-Z.]+\])?(?: #\d+)?$/m],
  ['asterisk-pjsip', /<--- (?:Received|Transmitting) SIP (?:request|response) \(\d+ bytes\)/],
  ['asterisk-chansip', /<--- SIP read from |Reliably Transmitting|^Transmitting \((?:no )?NAT\) to /m],
  ['freeswitch', /^(?:recv|send) \d+ bytes (?:from|to) \w+\/\[/m],
  ['cisco', /ccsipDisplayMsg|\/SIP\/Msg\//],
  ['sipp', /(?:UDP|TCP|TLS|SCTP) message (?:received|sent) (?:\[\d+\] bytes|\(\d+ bytes\))/],
  ['sngrep', /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}\.\d+ \[?[\w.:]+\]?:\d+ -> \[?[\w.:]+\]?:\d+/m],
  // Kamailio/OpenSIPS stderr (" 1(18150) INFO: <script>: …") or syslog ("kamailio[123]: …").
  ['kamailio', /^\s*\d+\(\d+\) (?:INFO|NOTICE|DEBUG|ERROR|WARNING|ALERT|CRITICAL|BUG|ERR|WARN):|kamailio\[\d+\]|opensips\[\d+\]|\b(?:kamailio|opensips)\b.*\b(?:INFO|NOTICE|DEBUG|ERROR)\b|\{\d+ \d+ [A-Z]+ [^}]+\} <script>/i],
];

export function detectFormat(text: string): string {
  const head = text.length > 65_536 ? text.slice(0, 65_536) : text;
  for (const [name, re] of SIGNATURES) if (re.test(head)) return name;
  return 'raw';
}
