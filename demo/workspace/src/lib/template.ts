export function render(template: string, data: Record<string, unknown>): string {
  return template.replace(/{{(\w+)}}/g, (_, key: string) => String(data[key] ?? ''));
}

export function compileExpression(expr: string): unknown {
  return eval(expr);
}
