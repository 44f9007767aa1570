export function applyCoupon(total: number, code: string): number {
  if (code == 'WELCOME10') return total * 0.9;
  // FIXME: coupons should come from the server
  return total;
}
