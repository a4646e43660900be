#!/usr/bin/env node
// evaluate.js: the independent side of conformance/search_test.go. For each example resource
// listed in ENTRIES (the Go program's JSON lines: file, type), it evaluates with fhirpath.js
// the expression of every indexed, non-composite SearchParameter of the resource's type in
// REGISTRY (the generated registry, so both sides use the same definitions) and prints one
// JSON line per (file, parameter): {"file","param","type","items":[{"t": FHIR type, "v":
// value}],"error"}. The Go test normalizes both sides the same way and compares them.
//
// resolve() needs a FHIR server in fhirpath.js; it is replaced (userInvocationTable) by the
// rule fhirgen's extractor uses: a local reference "#id" is the contained resource, any other
// reference a stub {resourceType} with the type its text names ("Patient/1",
// "http://x/fhir/Patient/1/_history/2"), a canonical or urn nothing.
//
// usage: node evaluate.js REGISTRY ENTRIES EXAMPLES_DIR [MODEL=r4]
'use strict';
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const fhirpath = require('fhirpath');

const [registryFile, entriesFile, examplesDir, modelName = 'r4'] = process.argv.slice(2);
const model = require('fhirpath/fhir-context/' + modelName);
const registry = JSON.parse(fs.readFileSync(registryFile, 'utf8'));

function refType(ref) {
  if (typeof ref !== 'string') return '';
  const i = ref.indexOf('/_history/');
  if (i >= 0) ref = ref.slice(0, i);
  const parts = ref.split('/');
  if (parts.length < 2) return '';
  const t = parts[parts.length - 2];
  return /^[A-Z][A-Za-z0-9]*$/.test(t) ? t : '';
}

let current = null; // the resource being evaluated

// typeOf returns the type of the resource a reference (a Reference or its text) points to.
function typeOf(x) {
  const v = x && x.data !== undefined ? x.data : x;
  const ref = typeof v === 'string' ? v : v && v.reference;
  if (typeof ref !== 'string') return '';
  if (ref.startsWith('#')) {
    const c = (current.contained || []).find((r) => r.id === ref.slice(1));
    return c ? c.resourceType : '';
  }
  return refType(ref);
}

const userInvocationTable = {
  // _refIs('T') stands for `resolve() is T` (see rewrite)
  _refIs: {
    fn: (inputs, typeName) => inputs.map((x) => typeOf(x) === typeName),
    arity: { 1: ['String'] },
  },
  resolve: {
    fn: (inputs) => {
      const out = [];
      for (const x of inputs) {
        const v = x && x.data !== undefined ? x.data : x;
        const ref = typeof v === 'string' ? v : v && v.reference;
        if (typeof ref !== 'string') continue;
        if (ref.startsWith('#')) {
          const c = (current.contained || []).find((r) => r.id === ref.slice(1));
          if (c) out.push(c);
          continue;
        }
        const t = refType(ref);
        if (t) out.push({ resourceType: t });
      }
      return out;
    },
    arity: { 0: [] },
  },
};

// rewrite replaces `resolve() is T` by `_refIs('T')`: fhirpath.js does not type the resources
// a user-defined resolve() returns.
function rewrite(expr) {
  return expr.replace(/resolve\(\)\s+is\s+([A-Za-z][A-Za-z0-9]*)/g, "_refIs('$1')");
}

const compiled = new Map();
function compile(expr) {
  let f = compiled.get(expr);
  if (!f) {
    f = fhirpath.compile(rewrite(expr), model, { resolveInternalTypes: false, userInvocationTable });
    compiled.set(expr, f);
  }
  return f;
}

async function main() {
  const rl = readline.createInterface({ input: fs.createReadStream(entriesFile), crlfDelay: Infinity });
  const out = [];
  for await (const l of rl) {
    if (!l.trim()) continue;
    const { file, type } = JSON.parse(l);
    const params = registry[type] || [];
    const resource = JSON.parse(fs.readFileSync(path.join(examplesDir, file), 'utf8'));
    for (const p of params) {
      if (!p.Indexed || p.Type === 'composite' || p.Type === 'special') continue;
      current = resource;
      const rec = { file, param: p.Code, type: p.Type };
      try {
        const res = compile(p.Expression)(resource);
        const types = fhirpath.types(res);
        const vals = fhirpath.resolveInternalTypes(res);
        rec.items = vals.map((v, i) => ({ t: types[i], v }));
      } catch (e) {
        rec.error = String(e && e.message ? e.message : e).split('\n')[0];
      }
      out.push(JSON.stringify(rec));
      if (out.length >= 1000) {
        process.stdout.write(out.join('\n') + '\n');
        out.length = 0;
      }
    }
  }
  if (out.length) process.stdout.write(out.join('\n') + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
