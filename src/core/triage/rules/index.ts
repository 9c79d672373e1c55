import type { Rule } from '../finding.js';
import { ackTimeout } from './ack-timeout.js';
import { origin } from '../origin.js';
import { authChallenge, authRejected } from './auth.js';
import { cancelled, msDiagnostics } from './call-events.js';
import { codecMismatch } from './codec-mismatch.js';
import { q850Cause, retryAfter, sipReason, warningHeader } from './headers-decoded.js';
import { lateMedia, noMedia, oneWayAudio } from './media-flow.js';
import { mediaFromUnexpectedSource, mediaToPrivateAddress } from './media-path.js';
import { payloadMismatch, srtpMismatch } from './media-payload.js';
import { highJitter, highLoss, lowMos } from './media-quality.js';
import { natPrivateAddress } from './nat-private-address.js';
import {
  loopOrHops,
  registrationInterval,
  sessionTimer,
  tooLarge,
  transactionTimeout,
  unsupportedExtension,
  version,
} from './protocol-limits.js';

/** Every rule, in the order findings are shown: what ended the call first, context after. */
export const RULES: readonly Rule[] = [
  authRejected,
  codecMismatch,
  transactionTimeout,
  ackTimeout,
  loopOrHops,
  sessionTimer,
  registrationInterval,
  unsupportedExtension,
  version,
  tooLarge,
  noMedia,
  oneWayAudio,
  srtpMismatch,
  payloadMismatch,
  mediaToPrivateAddress,
  mediaFromUnexpectedSource,
  lateMedia,
  lowMos,
  highLoss,
  highJitter,
  natPrivateAddress,
  msDiagnostics,
  q850Cause,
  sipReason,
  warningHeader,
  retryAfter,
  authChallenge,
  cancelled,
  origin,
];
