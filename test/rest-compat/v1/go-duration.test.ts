import { describe, expect, it } from 'vitest';
import { formatGoDuration, parseGoDuration, wholeSeconds } from '../../../rest-compat/v1/go-duration.js';

const second = 1_000_000_000n;

/** Rancher's timeouts are Go durations (metav1.Duration): /v1 must read and write them as Go does. */
describe('Go durations', () => {
  it.each([
    ['10m0s', 600n * second],
    ['10m', 600n * second],
    ['1h30m', 5400n * second],
    ['1.5h', 5400n * second],
    ['.5s', second / 2n],
    ['5.s', 5n * second],
    ['300ms', 300_000_000n],
    ['1µs', 1_000n],
    ['1μs', 1_000n],
    ['1us', 1_000n],
    ['20ns', 20n],
    ['0', 0n],
    ['-0', 0n],
    ['+2m', 120n * second],
    ['-1m30s', -90n * second],
    ['2562047h47m16.854775807s', 2n ** 63n - 1n],
  ])('reads %s as Go does', (text, nanoseconds) => {
    expect(parseGoDuration(text)).toBe(nanoseconds);
  });

  it.each(['', 'soon', '10', '1.5', '.s', '1.5.5s', '1d', 'm', '-', '5 m', '1h 30m', '2562047h47m16.854775808s', '10m0s '])('refuses %j as Go does', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });

  it.each([
    [0n, '0s'],
    [20n, '20ns'],
    [1_500n, '1.5µs'],
    [300_000_000n, '300ms'],
    [second, '1s'],
    [second + second / 2n, '1.5s'],
    [90n * second, '1m30s'],
    [600n * second, '10m0s'],
    [3600n * second, '1h0m0s'],
    [5400n * second + 1n, '1h30m0.000000001s'],
    [-90n * second, '-1m30s'],
    [2n ** 63n - 1n, '2562047h47m16.854775807s'],
  ])('writes %s nanoseconds as %s, Go’s spelling', (nanoseconds, text) => {
    expect(formatGoDuration(nanoseconds)).toBe(text);
    expect(parseGoDuration(text)).toBe(nanoseconds);
  });

  it('tells whole seconds from a fraction of one', () => {
    expect(wholeSeconds(120n * second)).toBe(120n);
    expect(wholeSeconds(second / 2n)).toBeUndefined();
  });
});
