/** Import specifiers resolve to the workspace's own files, per language; everything else to nothing. */
import { strict as assert } from 'node:assert';
import { ImportResolver } from '../../../src/core/score/imports/resolveImports';
import { WorkspaceIndex } from '../../../src/core/score/imports/workspaceIndex';
import type { RawImport } from '../../../src/core/score/types';

const paths = [
  'web/src/app.ts', 'web/src/util.ts', 'web/src/lib/index.tsx', 'web/src/esm.ts', 'web/src/styles.css',
  'py/pkg/__init__.py', 'py/pkg/mod.py', 'py/pkg/sub/__init__.py', 'py/pkg/sub/leaf.py', 'py/main.py',
  'svc/go.mod', 'svc/cmd/main.go', 'svc/internal/store/db.go', 'svc/internal/store/cache.go', 'svc/internal/store/db_test.go',
  'java/src/main/java/com/acme/App.java', 'java/src/main/java/com/acme/util/Strings.java', 'java/src/main/java/com/acme/util/Lists.java',
  'rs/src/lib.rs', 'rs/src/net.rs', 'rs/src/net/http.rs', 'rs/src/store/mod.rs',
  'c/src/main.c', 'c/src/util.h', 'c/include/api/api.h',
];

function resolverFor(): ImportResolver {
  return new ImportResolver(new WorkspaceIndex(paths), [{ path: 'svc/go.mod', text: 'module example.com/svc\n\ngo 1.22\n' }]);
}

function resolve(from: string, ...raws: RawImport[]): string[] {
  return resolverFor().resolveAll(from, raws);
}

describe('score: import resolution', () => {
  it('JavaScript/TypeScript: relative specifiers with extension, index and .js→.ts resolution', () => {
    assert.deepEqual(resolve('web/src/app.ts',
      { kind: 'js', spec: './util' },
      { kind: 'js', spec: './lib' },
      { kind: 'js', spec: './esm.js' },
      { kind: 'js', spec: './styles.css' },
      { kind: 'js', spec: 'react' },
      { kind: 'js', spec: '../../../outside' },
    ), ['web/src/esm.ts', 'web/src/lib/index.tsx', 'web/src/styles.css', 'web/src/util.ts']);
  });

  it('Python: relative and package-absolute modules, and submodules named in from-imports', () => {
    assert.deepEqual(resolve('py/main.py', { kind: 'python', spec: 'pkg.mod' }, { kind: 'python', spec: 'os' }), ['py/pkg/mod.py']);
    assert.deepEqual(resolve('py/pkg/sub/leaf.py', { kind: 'python', spec: '..', names: ['mod'] }), ['py/pkg/__init__.py', 'py/pkg/mod.py']);
    assert.deepEqual(resolve('py/pkg/mod.py', { kind: 'python', spec: '.sub', names: ['leaf', 'not_a_module'] }), ['py/pkg/sub/__init__.py', 'py/pkg/sub/leaf.py']);
  });

  it('Go: package import path → the package directory\'s non-test files, via go.mod', () => {
    assert.deepEqual(resolve('svc/cmd/main.go', { kind: 'go', spec: 'example.com/svc/internal/store' }, { kind: 'go', spec: 'fmt' }),
      ['svc/internal/store/cache.go', 'svc/internal/store/db.go']);
  });

  it('Java: classes, static members and wildcard packages', () => {
    const from = 'java/src/main/java/com/acme/App.java';
    assert.deepEqual(resolve(from, { kind: 'java', spec: 'com.acme.util.Strings' }), ['java/src/main/java/com/acme/util/Strings.java']);
    assert.deepEqual(resolve(from, { kind: 'java', spec: 'com.acme.util.Lists.of' }), ['java/src/main/java/com/acme/util/Lists.java']);
    assert.deepEqual(resolve(from, { kind: 'java', spec: 'com.acme.util.*' }, { kind: 'java', spec: 'java.util.List' }),
      ['java/src/main/java/com/acme/util/Lists.java', 'java/src/main/java/com/acme/util/Strings.java']);
  });

  it('Rust: mod declarations and crate/self/super paths', () => {
    assert.deepEqual(resolve('rs/src/lib.rs', { kind: 'rust-mod', spec: 'net' }, { kind: 'rust-mod', spec: 'store' }), ['rs/src/net.rs', 'rs/src/store/mod.rs']);
    assert.deepEqual(resolve('rs/src/net.rs', { kind: 'rust-mod', spec: 'http' }), ['rs/src/net/http.rs']);
    assert.deepEqual(resolve('rs/src/net/http.rs', { kind: 'rust-use', spec: 'crate::store::{Db,Cache}' }, { kind: 'rust-use', spec: 'std::io' }), ['rs/src/store/mod.rs']);
    assert.deepEqual(resolve('rs/src/net/http.rs', { kind: 'rust-use', spec: 'super::super::store::Db' }), ['rs/src/store/mod.rs']);
  });

  it('C/C++: quoted includes next to the includer first, then by path suffix', () => {
    assert.deepEqual(resolve('c/src/main.c', { kind: 'include', spec: 'util.h' }, { kind: 'include', spec: 'api/api.h' }, { kind: 'include', spec: 'stdio.h' }),
      ['c/include/api/api.h', 'c/src/util.h']);
  });
});
