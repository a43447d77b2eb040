// Reads citation files with citation-js, as reference managers built on it do, and prints what it
// read. Input (stdin): a JSON list of file paths (.bib, .ris, .json). Output (stdout): a JSON list,
// per file, of { path, items: CSL-JSON as citation-js read it, printed: each item's title and
// event-title as citation-js's CSL output (citeproc-js) prints them, CSL rich text applied }.
// Used by tests/test_readers.py; installed by `npm ci` (package-lock.json).
"use strict";
const fs = require("fs");
const { Cite, plugins } = require("@citation-js/core");
require("@citation-js/plugin-bibtex");
require("@citation-js/plugin-ris");
require("@citation-js/plugin-csl");

// Styles that print one variable alone, untouched by any style's text-case or quotes.
const ALONE = ["title", "event-title"];
for (const variable of ALONE) {
  plugins.config.get("@csl").styles.add(`only-${variable}`, `<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
  <info><title>${variable} alone</title><id>only-${variable}</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="${variable}"/></layout></citation>
  <bibliography><layout><text variable="${variable}"/></layout></bibliography>
</style>`);
}

const types = { ".bib": "@biblatex/text", ".ris": "@ris/file", ".json": "@csl/list+object" };
const out = [];
for (const path of JSON.parse(fs.readFileSync(0, "utf8"))) {
  const ext = path.slice(path.lastIndexOf("."));
  const text = fs.readFileSync(path, "utf8");
  const cite = new Cite(ext === ".json" ? JSON.parse(text) : text, { forceType: types[ext] });
  const items = cite.data.map(({ _graph, ...item }) => item);
  const printed = items.map((item) => Object.fromEntries(ALONE.map((variable) => [variable,
    new Cite(item).format("bibliography", { template: `only-${variable}`, format: "text" }).trim()])));
  out.push({ path, items, printed });
}
process.stdout.write(JSON.stringify(out));
