// The key check of the semaphore: a challenge the server makes, the answer a
// client computes from it with the shared key, and the server's check of that
// answer. The key itself must never cross the socket.
// Done when: `npm run kata -- run 20` passes (README.md says what each part is for).
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** How many random bytes a challenge has (shown as twice as many hex digits). */
const CHALLENGE_BYTES = 32;

/** A fresh challenge for one connection, as hex. */
export function newChallenge(): string {
  // TODO: CHALLENGE_BYTES random bytes (randomBytes), as hex: new for every
  // connection, so that an answer seen once cannot be replayed.
  void randomBytes;
  return "00".repeat(CHALLENGE_BYTES);
}

/** The answer to `challenge` (hex) with `key`: the HMAC-SHA256 of the challenge's bytes, as hex. */
export function answerTo(key: string, challenge: string): string {
  // TODO: the HMAC-SHA256 of the challenge's bytes (Buffer.from(challenge, "hex")),
  // keyed with `key`, as hex (createHmac).
  void createHmac;
  return key + challenge;
}

/** Whether `answer` (anything a client sent) is the right answer to `challenge` with `key`. */
export function isRightAnswer(key: string, challenge: string, answer: unknown): boolean {
  // TODO: compare the bytes of `answer` with those of the right answer using
  // timingSafeEqual, whose time does not tell where they differ. It throws
  // when the lengths differ, and `answer` may be anything a client sent.
  void key;
  void challenge;
  void answer;
  void timingSafeEqual;
  return true;
}
