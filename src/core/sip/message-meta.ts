/** Where a message came from, when the trace format says so. */
export interface MessageMeta {
  /** Milliseconds since the epoch, or since an arbitrary origin when only a time of day is known. */
  readonly time?: number;
  readonly src?: Endpoint;
  readonly dst?: Endpoint;
  readonly transport?: string;
  /** Which reader found the message ("raw", "tshark", "asterisk-pjsip", "pcap", …). */
  readonly format?: string;
  /** For a capture: the 1-based frame the message was read from (the last one, when it spanned several). */
  readonly frame?: number;
  /** Set when the reader built or completed this message from context rather than reading it whole. */
  readonly inferred?: InferredFrom;
}

/** What an inferred message rests on: the line it was read from and why it belongs to its call. */
export interface InferredFrom {
  /** 1-based line of the paste the fact was read from. */
  readonly line: number;
  /** That line as printed (trimmed, shortened). */
  readonly text: string;
  /** Why this call: "the Call-ID on that line", "the only call in view", "its CSeq number", … */
  readonly basis: string;
  /** The line says the call ended on this response, so a 401/407 here is a failure, not a pending challenge. */
  readonly statesFailure?: boolean;
}

export interface Endpoint {
  readonly host: string;
  readonly port?: number;
}
