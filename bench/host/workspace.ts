/**
 * The generated workspace of the host benchmark: `count` small source files in nested folders, in
 * four languages, about one in three with something the emulator's rules report (so diagnostics
 * are published for a good share of them, as on a real codebase). Deterministic per index.
 */
export function hostWorkspace(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const dir = `src/m${Math.floor(i / 250)}/d${Math.floor(i / 25) % 10}`;
    switch (i % 4) {
      case 0:
        files[`${dir}/f${i}.ts`] = tsFile(i);
        break;
      case 1:
        files[`${dir}/f${i}.js`] = jsFile(i);
        break;
      case 2:
        files[`${dir}/f${i}.py`] = pyFile(i);
        break;
      default:
        files[`${dir}/f${i}.go`] = goFile(i);
    }
  }
  files['.gitignore'] = 'node_modules/\n';
  return files;
}

function tsFile(i: number): string {
  return [
    `import { helper${i % 7} } from './shared';`,
    `export function compute${i}(values: number[], limit: number): number {`,
    '  let total = 0;',
    '  for (const v of values) {',
    `    if (v > limit && v % ${(i % 5) + 2} === 0) total += v;`,
    '    else if (v < 0) total -= v;',
    '  }',
    i % 3 === 0 ? '  if (total == limit) return eval(String(total));' : '  return total;',
    i % 3 === 0 ? '  return total;' : '',
    '}',
    '',
  ].join('\n');
}

function jsFile(i: number): string {
  return [
    `function handler${i}(req, res) {`,
    '  try {',
    '    const body = JSON.parse(req.body);',
    `    res.send(body.items.filter((x) => x.id !== ${i}));`,
    i % 3 === 1 ? '  } catch (e) {}' : '  } catch (e) { res.status(400).send(String(e)); }',
    '}',
    `module.exports = { handler${i} };`,
    '',
  ].join('\n');
}

function pyFile(i: number): string {
  return [
    `def load_${i}(path):`,
    '    try:',
    '        with open(path) as f:',
    '            return f.read()',
    i % 3 === 2 ? '    except:' : '    except OSError:',
    '        return None',
    '',
  ].join('\n');
}

function goFile(i: number): string {
  return [
    'package main',
    '',
    `func Sum${i}(xs []int) int {`,
    '\ttotal := 0',
    '\tfor _, x := range xs {',
    '\t\ttotal += x',
    '\t}',
    i % 3 === 0 ? '\t// TODO: overflow' : '',
    '\treturn total',
    '}',
    '',
  ].join('\n');
}
