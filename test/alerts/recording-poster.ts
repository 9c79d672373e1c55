import type { ChannelRef, ChatPoster, OutgoingMessage, PostedMessage } from '../../src/core/chat-port.js';

export interface PosterCall {
  readonly op: 'post' | 'update' | 'reply';
  readonly channel: string;
  readonly id: string;
  readonly message: OutgoingMessage;
  readonly at: number;
}

/**
 * A ChatPoster that records what it is asked to send, the way a platform would see it: posts get an id,
 * updates name one. It stands in for Slack/Discord at the platform boundary.
 */
export class RecordingPoster implements ChatPoster {
  readonly platform: ChannelRef['platform'];
  readonly calls: PosterCall[] = [];
  #next = 0;

  constructor(platform: ChannelRef['platform'] = 'slack') {
    this.platform = platform;
  }

  async post(ref: ChannelRef, message: OutgoingMessage): Promise<PostedMessage> {
    const id = `m${++this.#next}`;
    this.calls.push({ op: 'post', channel: ref.channel, id, message, at: Date.now() });
    return { ref, id };
  }

  async update(posted: PostedMessage, message: OutgoingMessage): Promise<void> {
    this.calls.push({ op: 'update', channel: posted.ref.channel, id: posted.id, message, at: Date.now() });
  }

  /** A reply names the post it answers (`id`), as a Slack thread_ts or a Discord message_reference does. */
  async reply(posted: PostedMessage, message: OutgoingMessage): Promise<PostedMessage> {
    this.calls.push({ op: 'reply', channel: posted.ref.channel, id: posted.id, message, at: Date.now() });
    return { ref: posted.ref, id: `m${++this.#next}` };
  }
}
