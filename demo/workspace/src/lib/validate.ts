export interface Address {
  street: string;
  city: string;
  zip: string;
}

export function isValidZip(zip: string): boolean {
  return /^[0-9]{5}$/.test(zip);
}

export function validateAddress(a: Address): string[] {
  const problems: string[] = [];
  if (a.street.trim() === '') problems.push('street');
  if (a.city.trim() === '') problems.push('city');
  if (!isValidZip(a.zip)) problems.push('zip');
  return problems;
}
