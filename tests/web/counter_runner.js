// Runs the composer's counter (static/js/10-counter.js) on many texts in one process, for
// tests/web/test_counter_conformance.py. Usage: node counter_runner.js COUNTER_JS < cases.json
// where cases.json is [{"text": "...", "url_length": 23}, ...]; prints a JSON list of
// lengths. The file runs in a fresh vm context that has `module` but no `document`, the
// way the bundle's guard expects when it is not in a browser.
"use strict";
const fs = require("fs");
const vm = require("vm");

const source = fs.readFileSync(process.argv[2], "utf8");
const sandbox = { module: { exports: {} } };
vm.runInNewContext(source, sandbox, { filename: process.argv[2] });
const counter = sandbox.module.exports;
if (typeof counter.weightedLength !== "function") {
  throw new Error("the counter did not export weightedLength");
}
const cases = JSON.parse(fs.readFileSync(0, "utf8"));
const lengths = cases.map((c) => counter.weightedLength(c.text, c.url_length));
process.stdout.write(JSON.stringify({ lengths: lengths, tlds: Array.from(counter.tlds) }));
