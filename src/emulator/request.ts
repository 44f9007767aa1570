/**
 * Reads a Converse / ConverseStream request body the way Bedrock validates it: malformed JSON,
 * missing or mistyped fields become a ValidationException, never a crash.
 */
import type { ToolChoiceKind } from './config';
import { validation } from './errors';
import { tokenizerOf, type TokenCounting } from './tokenizer';

export interface ConverseInput {
  /** System prompt texts, in order. */
  system: string[];
  /** Text of every user message content block, in order (what the redaction tests scan). */
  userText: string[];
  /** Every text part counted as input (system, all message parts, tool specs as JSON). */
  countedParts: string[];
  maxTokens?: number;
  /** Kind of `toolConfig.toolChoice`, if any; `auto` is Bedrock's default when tools are given. */
  toolChoice?: ToolChoiceKind;
  /** Tool names declared in `toolConfig.tools`. */
  tools: string[];
  /** Each declared tool with the name of its input's top-level list property, if the schema has one. */
  toolSpecs: OfferedTool[];
  /** The tool `toolChoice: {tool: {name}}` forces, if any. */
  forcedTool?: string;
  /** `serviceTier` as sent (checked against the model in converse.ts, serviceTier.ts). */
  serviceTier?: unknown;
}

/** A tool as the model sees it offered: its name, and where its input wants the list of results. */
export interface OfferedTool {
  name: string;
  /** The input schema's top-level array property (`findings` for Chorus's tool), read from the schema sent. */
  listField?: string;
  /** The properties an item of that list may have, when the schema names them: a model fills only those. */
  itemFields?: string[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function textsOfContent(content: unknown, where: string): { text: string[]; counted: string[] } {
  if (!Array.isArray(content) || content.length === 0) throw validation(`${where}.content must be a non-empty list of content blocks`);
  const text: string[] = [];
  const counted: string[] = [];
  content.forEach((block: unknown, i) => {
    if (!isObject(block)) throw validation(`${where}.content[${i}] must be an object`);
    if (typeof block.text === 'string') {
      text.push(block.text);
      counted.push(block.text);
    } else if (block.text !== undefined) {
      throw validation(`${where}.content[${i}].text must be a string`);
    } else {
      // toolUse / toolResult / images…: counted as their JSON, not interpreted.
      counted.push(JSON.stringify(block));
    }
  });
  return { text, counted };
}

function parseToolChoice(value: unknown): ToolChoiceKind | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw validation('toolConfig.toolChoice must be an object');
  const keys = Object.keys(value);
  if (keys.length !== 1) throw validation('toolConfig.toolChoice must have exactly one of auto, any, tool');
  const kind = keys[0];
  if (kind === 'tool') {
    const tool = value.tool;
    if (!isObject(tool) || typeof tool.name !== 'string') throw validation('toolConfig.toolChoice.tool.name is required');
    return 'tool';
  }
  if (kind === 'auto' || kind === 'any') return kind;
  throw validation(`Unknown toolChoice kind: ${String(kind)}`);
}

/** Parses the body text; `undefined` fields mean Bedrock's defaults apply. */
export function parseConverseInput(bodyText: string): ConverseInput {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    throw validation('Malformed input request: the body is not valid JSON.');
  }
  if (!isObject(body)) throw validation('Malformed input request: expected a JSON object.');

  const system: string[] = [];
  if (body.system !== undefined) {
    if (!Array.isArray(body.system)) throw validation('system must be a list of content blocks');
    body.system.forEach((block: unknown, i) => {
      if (!isObject(block) || typeof block.text !== 'string') throw validation(`system[${i}].text must be a string`);
      system.push(block.text);
    });
  }

  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw validation('1 validation error detected: Value at \'messages\' failed to satisfy constraint: Member must not be null');
  }
  const userText: string[] = [];
  const countedParts = [...system];
  body.messages.forEach((message: unknown, i) => {
    if (!isObject(message)) throw validation(`messages[${i}] must be an object`);
    if (message.role !== 'user' && message.role !== 'assistant') throw validation(`messages[${i}].role must be user or assistant`);
    const { text, counted } = textsOfContent(message.content, `messages[${i}]`);
    if (message.role === 'user') userText.push(...text);
    countedParts.push(...counted);
  });
  const first = body.messages[0] as Json;
  if (first.role !== 'user') throw validation('A conversation must start with a user message.');

  let maxTokens: number | undefined;
  if (body.inferenceConfig !== undefined) {
    if (!isObject(body.inferenceConfig)) throw validation('inferenceConfig must be an object');
    const m = body.inferenceConfig.maxTokens;
    if (m !== undefined && (typeof m !== 'number' || !Number.isInteger(m) || m < 1)) {
      throw validation('inferenceConfig.maxTokens must be an integer >= 1');
    }
    maxTokens = m;
  }

  const tools: string[] = [];
  const toolSpecs: OfferedTool[] = [];
  let forcedTool: string | undefined;
  let toolChoice: ToolChoiceKind | undefined;
  if (body.toolConfig !== undefined) {
    const config = body.toolConfig;
    if (!isObject(config) || !Array.isArray(config.tools) || config.tools.length === 0) {
      throw validation('toolConfig.tools must be a non-empty list');
    }
    config.tools.forEach((tool: unknown, i) => {
      const spec = isObject(tool) ? tool.toolSpec : undefined;
      if (!isObject(spec) || typeof spec.name !== 'string') throw validation(`toolConfig.tools[${i}].toolSpec.name is required`);
      tools.push(spec.name);
      toolSpecs.push({ name: spec.name, ...listFieldOf(spec) });
      countedParts.push(JSON.stringify(tool));
    });
    toolChoice = parseToolChoice(config.toolChoice) ?? 'auto';
    if (toolChoice === 'tool') {
      const name = ((config.toolChoice as Json).tool as Json).name as string;
      if (!tools.includes(name)) throw validation(`toolChoice names an undeclared tool: ${name}`);
      forcedTool = name;
    }
  }
  return { system, userText, countedParts, maxTokens, toolChoice, tools, toolSpecs, ...(forcedTool ? { forcedTool } : {}), ...(body.serviceTier !== undefined ? { serviceTier: body.serviceTier } : {}) };
}

/** Input tokens as this model counts them (tokenizer.ts). */
export function inputTokensOf(input: ConverseInput, counting: TokenCounting): number {
  return tokenizerOf(counting).countParts(input.countedParts);
}

function listFieldOf(spec: Json): { listField?: string; itemFields?: string[] } {
  const schema = isObject(spec.inputSchema) && isObject(spec.inputSchema.json) ? spec.inputSchema.json : undefined;
  const properties = schema && isObject(schema.properties) ? schema.properties : undefined;
  if (!properties) return {};
  const list = Object.entries(properties).find(([, p]) => isObject(p) && p.type === 'array');
  if (!list) return {};
  const items = (list[1] as Json).items;
  const fields = isObject(items) && isObject(items.properties) ? Object.keys(items.properties) : undefined;
  return { listField: list[0], ...(fields ? { itemFields: fields } : {}) };
}

/**
 * The tool a model would answer with: the one toolChoice forces, else the only one offered, else the
 * one whose input takes a list (a reviewer's report), else the first. Read from the request, not from
 * the engine's constants: a renamed or misspelt tool is called by the name the request gives it.
 */
export function offeredTool(input: ConverseInput): OfferedTool | undefined {
  if (input.forcedTool) return input.toolSpecs.find((t) => t.name === input.forcedTool);
  if (input.toolSpecs.length <= 1) return input.toolSpecs[0];
  return input.toolSpecs.find((t) => t.listField) ?? input.toolSpecs[0];
}
