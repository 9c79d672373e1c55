import type { Owner, RetryVerdict } from '../../knowledge/schema.js';

export const OWNER_LABEL: Readonly<Record<Owner, string>> = {
  caller: 'Caller (the UA or PBX that sent the request)',
  callee: 'Callee (the far-end device)',
  proxy: 'A proxy or SBC in the path',
  registrar: 'Registrar',
  provider: 'Provider / trunk',
  network: 'Network (transport, NAT, firewall, DNS)',
  policy: 'Policy (a deliberate rule)',
};

export const OWNER_SHORT: Readonly<Record<Owner, string>> = {
  caller: 'caller',
  callee: 'callee',
  proxy: 'proxy/SBC',
  registrar: 'registrar',
  provider: 'provider/trunk',
  network: 'network',
  policy: 'policy',
};

export const RETRY_LABEL: Readonly<Record<RetryVerdict, string>> = {
  no: 'No: the same request will fail again',
  yes: 'Yes, as is',
  'after-delay': 'Later: honour Retry-After',
  'with-changes': 'Only after changing the request',
  elsewhere: 'Elsewhere: another target or route',
};

export const CLASS_EMOJI: Readonly<Record<number, string>> = { 1: '⏳', 2: '✅', 3: '↪️', 4: '⚠️', 5: '🔥', 6: '⛔' };

export const PLATFORM_LABEL: Readonly<Record<string, string>> = {
  asterisk: 'Asterisk',
  freeswitch: 'FreeSWITCH',
  kamailio: 'Kamailio',
  opensips: 'OpenSIPS',
  twilio: 'Twilio',
  teams: 'Teams Direct Routing',
  'cisco-cube': 'Cisco CUBE',
  '3cx': '3CX',
};
