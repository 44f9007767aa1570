export async function retry<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await fn();
    } catch (err) {
      last = err;
    }
  }
  throw last;
}

export async function fireAndForget(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {

  }
}
