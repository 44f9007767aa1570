// The .vsix carries README.marketplace.md (the page for users; README.md is the developers') as the
// extension's details page. It links to files and images by relative path, which vsce rejects
// without a public repository URL (and it refuses SVG images outright), so the package gets a copy
// with images dropped and relative links turned into plain text.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';

const isRelative = (url) => !/^[a-z]+:|^#/i.test(url);
const readme = readFileSync('README.marketplace.md', 'utf8')
  .split('\n')
  .filter((line) => !/^!\[[^\]]*\]\(([^)]+)\)\s*$/.test(line) || !isRelative(line.replace(/^.*\]\(([^)]+)\).*$/, '$1')))
  .join('\n')
  .replace(/\[([^\]]+)\]\(([^)]+)\)/g, (all, text, url) => (isRelative(url) ? text : all));

mkdirSync('dist', { recursive: true });
writeFileSync('dist/README.package.md', readme);
