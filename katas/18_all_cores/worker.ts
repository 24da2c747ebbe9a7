// Kata 18: a worker, counting primes (given whole).
//
// Takes a range as an IPC message, { from, to }, counts the primes n with
// from <= n < to by trial division (CPU work and nothing else: no waiting),
// and sends back { from, to, count }. It serves as many ranges as it is
// given and ends when its parent disconnects from it.

/** A half-open range of numbers: from <= n < to. */
export interface Range {
  from: number;
  to: number;
}

/** A worker's answer for one range. */
export interface Count extends Range {
  count: number;
}

/** Whether n is prime, by trial division with the odd numbers up to its square root. */
export function isPrime(n: number): boolean {
  if (n < 2) return false;
  if (n % 2 === 0) return n === 2;
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false;
  return true;
}

/** The primes in [from, to). */
export function countPrimes({ from, to }: Range): number {
  let count = 0;
  for (let n = from; n < to; n++) if (isPrime(n)) count++;
  return count;
}

process.on("message", (range: Range) => {
  const answer: Count = { ...range, count: countPrimes(range) };
  process.send?.(answer);
});
