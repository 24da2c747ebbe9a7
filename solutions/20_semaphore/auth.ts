// The key check of the semaphore: a challenge the server makes, the answer a
// client computes from it with the shared key, and the server's check of that
// answer. The key itself never crosses the socket, so whoever listens in on
// one exchange learns nothing they could use on the next (the challenge differs).
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** How many random bytes a challenge has (shown as twice as many hex digits). */
const CHALLENGE_BYTES = 32;

/** A fresh challenge for one connection, as hex. */
export function newChallenge(): string {
  // Random and new for every connection: an answer seen once is useless later
  // (no replay), and nobody can compute one in advance.
  return randomBytes(CHALLENGE_BYTES).toString("hex");
}

/** The answer to `challenge` (hex) with `key`: the HMAC-SHA256 of the challenge's bytes, as hex. */
export function answerTo(key: string, challenge: string): string {
  // An HMAC proves knowledge of the key without sending it: only a holder of
  // the key can compute it, and it reveals nothing of the key.
  return createHmac("sha256", key).update(Buffer.from(challenge, "hex")).digest("hex");
}

/** Whether `answer` (anything a client sent) is the right answer to `challenge` with `key`. */
export function isRightAnswer(key: string, challenge: string, answer: unknown): boolean {
  if (typeof answer !== "string") return false;
  const expected = Buffer.from(answerTo(key, challenge), "hex");
  const given = Buffer.from(answer, "hex");
  // timingSafeEqual throws on buffers of different lengths: a short answer is
  // simply wrong. Its time does not depend on where the bytes differ, so the
  // answer cannot be guessed byte by byte from how fast it is refused.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
