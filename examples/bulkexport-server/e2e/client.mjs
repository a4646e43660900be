// client.mjs BASEURL — drives a FHIR R4 server with fhir-kit-client (a FHIR client fhirgen
// did not write) and prints one JSON object of what it saw; the Go end-to-end test
// (../e2e_test.go) decides what is right. It exits non-zero only on an unexpected error.
//
// Output: {"fhirVersion", "types": [...], "patient": {"id", "version", "readFamily",
// "updatedVersion", "vreadBirthDate"}, "observation": {"id"}, "searches": {NAME: {"total",
// "ids": [...]}}, "history": [versionIds], "invalid": {"status", "issues": [{severity,
// code, expression}]}, "deleted": {"deleteStatus", "readStatus"}}
import { Client } from 'fhir-kit-client';

const baseUrl = process.argv[2];
const client = new Client({ baseUrl });
const out = {};

async function status(promise) {
  try {
    await promise;
    return 200;
  } catch (e) {
    if (e.response) return e.response.status;
    throw e;
  }
}

const ids = (bundle) => (bundle.entry || []).filter((e) => e.search?.mode !== 'outcome').map((e) => e.resource.id).sort();

try {
  const cs = await client.capabilityStatement();
  out.fhirVersion = cs.fhirVersion;
  out.types = cs.rest[0].resource.map((r) => r.type);

  const created = await client.create({
    resourceType: 'Patient',
    body: {
      resourceType: 'Patient',
      identifier: [{ system: 'https://example.org/mrn', value: 'kit-1' }],
      name: [{ family: 'Kit', given: ['Fhir'] }],
      gender: 'female',
      birthDate: '1980-02-03',
    },
  });
  const pid = created.id;
  const read = await client.read({ resourceType: 'Patient', id: pid });
  const updated = await client.update({ resourceType: 'Patient', id: pid, body: { ...read, birthDate: '1980-02-04' } });
  const v1 = await client.vread({ resourceType: 'Patient', id: pid, version: '1' });
  out.patient = {
    id: pid,
    version: created.meta.versionId,
    readFamily: read.name[0].family,
    updatedVersion: updated.meta.versionId,
    vreadBirthDate: v1.birthDate,
  };

  const obs = await client.create({
    resourceType: 'Observation',
    body: {
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
      subject: { reference: `Patient/${pid}` },
      effectiveDateTime: '2024-05-06T07:08:09Z',
      valueQuantity: { value: 72, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
    },
  });
  out.observation = { id: obs.id };

  const searches = {
    family: ['Patient', { family: 'kit' }],
    identifier: ['Patient', { identifier: 'https://example.org/mrn|kit-1' }],
    subject: ['Observation', { subject: `Patient/${pid}` }],
    dateGe: ['Observation', { date: 'ge2024-05-01' }],
    dateLt: ['Observation', { date: 'lt2024-05-01', subject: `Patient/${pid}` }],
    code: ['Observation', { code: 'http://loinc.org|8867-4', subject: `Patient/${pid}` }],
  };
  out.searches = {};
  for (const [name, [resourceType, searchParams]] of Object.entries(searches)) {
    const b = await client.search({ resourceType, searchParams });
    out.searches[name] = { total: b.total, ids: ids(b) };
  }

  const history = await client.resourceHistory({ resourceType: 'Patient', id: pid });
  out.history = history.entry.map((e) => e.resource.meta.versionId);

  try {
    await client.create({ resourceType: 'Patient', body: { resourceType: 'Patient', gender: 'bogus' } });
    out.invalid = { status: 201 };
  } catch (e) {
    if (!e.response) throw e;
    out.invalid = {
      status: e.response.status,
      issues: (e.response.data.issue || []).map((i) => ({ severity: i.severity, code: i.code, expression: i.expression })),
    };
  }

  out.deleted = {
    deleteStatus: await status(client.delete({ resourceType: 'Observation', id: obs.id })),
    readStatus: await status(client.read({ resourceType: 'Observation', id: obs.id })),
  };
  console.log(JSON.stringify(out));
} catch (e) {
  console.error('fhir-kit-client:', e.message, e.response ? `${e.response.status} ${JSON.stringify(e.response.data)}` : '');
  process.exit(1);
}
