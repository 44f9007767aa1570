/**
 * One tree-sitter query per language. Its capture names are the vocabulary of the metrics code:
 *   @fn          a function; its scope starts at its parameters (a method's computed key and its
 *                decorators belong to the enclosing scope, as in ESLint's code paths)
 *   @fn.init     a class field initializer: an implicit function (ESLint counts it on its own)
 *   @fn.static   a class static block: likewise
 *   @decision    +1 cyclomatic complexity for the innermost enclosing function
 *   @nest        a control structure that deepens nesting; @nest.flat marks `else if`, which
 *                continues a chain rather than nesting inside it
 *   @import…     import specifiers (see imports/extract.ts)
 *   @comment     comments, so that `loc` counts code lines only
 * Queries run inside wasm and return only these nodes, which is far cheaper than walking every node.
 */
import type { LanguageId } from './languages';

/**
 * JavaScript and TypeScript: exactly the constructs ESLint 9's `complexity` rule counts
 * (classic variant): if, ?:, &&, ||, ??, &&= ||= ??=, loops, catch, non-default case,
 * default values (AssignmentPattern) and optional chaining (?. member or call).
 */
const JS_COMMON = `
(function_declaration) @fn
(generator_function_declaration) @fn
(function_expression) @fn
(generator_function) @fn
(arrow_function) @fn
(method_definition) @fn
(class_static_block) @fn.static

(if_statement) @decision
(ternary_expression) @decision
(binary_expression operator: ["&&" "||" "??"]) @decision
(augmented_assignment_expression operator: ["&&=" "||=" "??="]) @decision
(for_statement) @decision
(for_in_statement) @decision
(while_statement) @decision
(do_statement) @decision
(catch_clause) @decision
(switch_case) @decision
(assignment_pattern) @decision
(object_assignment_pattern) @decision
(optional_chain) @decision

(if_statement) @nest
(else_clause (if_statement) @nest.flat)
(for_statement) @nest
(for_in_statement) @nest
(while_statement) @nest
(do_statement) @nest
(switch_statement) @nest
(try_statement) @nest

(import_statement source: (string (string_fragment) @import))
(export_statement source: (string (string_fragment) @import))
(call_expression function: (import) arguments: (arguments . (string (string_fragment) @import)))
(call_expression function: (identifier) @_require arguments: (arguments . (string (string_fragment) @import))
  (#eq? @_require "require"))

(comment) @comment
`;

const JAVASCRIPT = `${JS_COMMON}
(field_definition value: (_) @fn.init)
`;

/** TypeScript spells a parameter default as a field of the parameter, and `f?.()` as a bare token. */
const TYPESCRIPT = `${JS_COMMON}
(public_field_definition value: (_) @fn.init)
(required_parameter value: (_)) @decision
(optional_parameter value: (_)) @decision
(call_expression "?.") @decision
(import_require_clause source: (string (string_fragment) @import))
`;

const PYTHON = `
(function_definition) @fn
(lambda) @fn
(if_statement) @decision
(elif_clause) @decision
(for_statement) @decision
(while_statement) @decision
(except_clause) @decision
(conditional_expression) @decision
(boolean_operator) @decision
(case_clause) @decision
(for_in_clause) @decision
(if_clause) @decision
(if_statement) @nest
(for_statement) @nest
(while_statement) @nest
(try_statement) @nest
(with_statement) @nest
(match_statement) @nest
(import_statement) @import.py
(import_from_statement) @import.py
(comment) @comment
`;

const GO = `
(function_declaration) @fn
(method_declaration) @fn
(func_literal) @fn
(if_statement) @decision
(for_statement) @decision
(expression_case) @decision
(type_case) @decision
(communication_case) @decision
(binary_expression operator: ["&&" "||"]) @decision
(if_statement) @nest
(if_statement alternative: (if_statement) @nest.flat)
(for_statement) @nest
(expression_switch_statement) @nest
(type_switch_statement) @nest
(select_statement) @nest
(import_spec path: (interpreted_string_literal) @import)
(comment) @comment
`;

const JAVA = `
(method_declaration) @fn
(constructor_declaration) @fn
(compact_constructor_declaration) @fn
(lambda_expression) @fn
(if_statement) @decision
(for_statement) @decision
(enhanced_for_statement) @decision
(while_statement) @decision
(do_statement) @decision
(catch_clause) @decision
(ternary_expression) @decision
(binary_expression operator: ["&&" "||"]) @decision
(switch_label (_)) @decision
(if_statement) @nest
(if_statement alternative: (if_statement) @nest.flat)
(for_statement) @nest
(enhanced_for_statement) @nest
(while_statement) @nest
(do_statement) @nest
(switch_expression) @nest
(try_statement) @nest
(import_declaration) @import.java
(line_comment) @comment
(block_comment) @comment
`;

const RUST = `
(function_item) @fn
(closure_expression) @fn
(if_expression) @decision
(while_expression) @decision
(for_expression) @decision
(match_arm) @decision
(binary_expression operator: ["&&" "||"]) @decision
(if_expression) @nest
(else_clause (if_expression) @nest.flat)
(while_expression) @nest
(for_expression) @nest
(loop_expression) @nest
(match_expression) @nest
(mod_item name: (identifier) @import.rustmod !body)
(use_declaration argument: (_) @import.rustuse)
(line_comment) @comment
(block_comment) @comment
`;

const C_FAMILY = `
(function_definition) @fn
(if_statement) @decision
(for_statement) @decision
(while_statement) @decision
(do_statement) @decision
(case_statement value: (_)) @decision
(conditional_expression) @decision
(binary_expression operator: ["&&" "||"]) @decision
(if_statement) @nest
(else_clause (if_statement) @nest.flat)
(for_statement) @nest
(while_statement) @nest
(do_statement) @nest
(switch_statement) @nest
(preproc_include path: (string_literal (string_content) @import))
(comment) @comment
`;

const CPP = `${C_FAMILY}
(lambda_expression) @fn
(for_range_loop) @decision
(catch_clause) @decision
(for_range_loop) @nest
(try_statement) @nest
`;

const CSHARP = `
(method_declaration) @fn
(constructor_declaration) @fn
(local_function_statement) @fn
(lambda_expression) @fn
(accessor_declaration) @fn
(operator_declaration) @fn
(if_statement) @decision
(for_statement) @decision
(foreach_statement) @decision
(while_statement) @decision
(do_statement) @decision
(catch_clause) @decision
(conditional_expression) @decision
(binary_expression operator: ["&&" "||" "??"]) @decision
(switch_expression_arm) @decision
(switch_section "case") @decision
(if_statement) @nest
(if_statement alternative: (if_statement) @nest.flat)
(for_statement) @nest
(foreach_statement) @nest
(while_statement) @nest
(do_statement) @nest
(switch_statement) @nest
(try_statement) @nest
(comment) @comment
`;

const QUERIES: Record<LanguageId, string> = {
  javascript: JAVASCRIPT,
  typescript: TYPESCRIPT,
  tsx: TYPESCRIPT,
  python: PYTHON,
  go: GO,
  java: JAVA,
  rust: RUST,
  c: C_FAMILY,
  cpp: CPP,
  csharp: CSHARP,
};

export function queryFor(id: LanguageId): string {
  return QUERIES[id];
}
