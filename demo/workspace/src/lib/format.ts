export function money(cents: number, currency = 'EUR'): string {
  return new Intl.NumberFormat('en-IE', { style: 'currency', currency }).format(cents / 100);
}

export function plural(n: number, word: string): string {
  return n == 1 ? `${n} ${word}` : `${n} ${word}s`;
}
