/**
 * `npm run test:e2e -- palette activation` runs only the test files whose path contains one of
 * the words; the runner passes them on in CHORUS_E2E_FILTER (comma-separated).
 */
export function matchesFilter(file: string): boolean {
  const words = (process.env.CHORUS_E2E_FILTER ?? '').split(',').filter(Boolean);
  return words.length === 0 || words.some((word) => file.includes(word));
}
