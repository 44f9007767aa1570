export * from './findingsTool';
export * from './prompt';
export * from './tokens';
