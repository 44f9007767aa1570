/**
 * Messages written for the CLI ("pass --profile NAME") reach VS Code users through the engine: this
 * says the setting instead. Only the "pass --flag" advice is rewritten; a command the user runs in a
 * terminal (`aws sso login --profile NAME`) stays as it is. Pure; applied to every notification,
 * status tooltip and Test Connection line.
 */
const FLAGS: ReadonlyArray<[RegExp, string]> = [
  [/pass --profile NAME \(or set AWS_PROFILE\)/g, 'set the chorus.profile setting (or AWS_PROFILE in the environment VS Code starts from)'],
  [/pass --(profile|region|endpoint)\b(?: [A-Z]+)?/g, 'set the chorus.$1 setting'],
];

export function forVsCodeUser(message: string): string {
  let out = message;
  for (const [pattern, replacement] of FLAGS) out = out.replace(pattern, replacement);
  return out;
}
