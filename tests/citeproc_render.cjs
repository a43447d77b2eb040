// Render CSL-JSON items with citeproc-js (npm `citeproc`) as plain-text bibliography entries.
// Usage: node tests/citeproc_render.cjs STYLE.csl LOCALE_DIR ITEMS.json  -> JSON list of entries
"use strict";
const fs = require("fs");
const path = require("path");
const CSL = require(path.join(__dirname, "..", "node_modules", "citeproc"));

const [stylePath, localeDir, itemsPath] = process.argv.slice(2);
const items = JSON.parse(fs.readFileSync(itemsPath, "utf8"));
const byId = Object.fromEntries(items.map((item) => [item.id, item]));
const sys = {
  retrieveLocale: (lang) => {
    const file = path.join(localeDir, `locales-${lang}.xml`);
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : false;
  },
  retrieveItem: (id) => byId[id],
};
const engine = new CSL.Engine(sys, fs.readFileSync(stylePath, "utf8"));
engine.setOutputFormat("text");
engine.updateItems(items.map((item) => item.id));
const [, entries] = engine.makeBibliography();
process.stdout.write(JSON.stringify(entries));
