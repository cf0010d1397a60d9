// Checks Poort with the ecosystem's own tools: Apollo's composition and
// gateway (Poort as a Federation 2 subgraph beside a second subgraph), and
// graphql-http's audit of the GraphQL-over-HTTP specification.
// Run with `npm test` in this folder; it builds and starts the hub itself.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { composeServices } from '@apollo/composition';
import { buildSubgraph } from '@apollo/federation-internals';
import { parse } from 'graphql';
import { auditServer } from 'graphql-http';

import { startGateway } from './gateway.mjs';
import { startHub } from './hub.mjs';
import { startParking, typeDefs as parkingTypeDefs } from './parking.mjs';

let hub;
const stops = [];

before(async () => {
  hub = await startHub();
  stops.push(() => hub.stop());
});

after(async () => {
  for (const stop of stops.reverse()) await stop();
});

async function post(url, query, variables) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${hub.token}` },
    body: JSON.stringify({ query, variables }),
  });
  assert.equal(res.status, 200, `${url} answered ${res.status}`);
  return res.json();
}

// elfproef is the BSN's eleven-test.
function elfproef(bsn) {
  const d = [...bsn].map(Number);
  const sum = d.slice(0, 8).reduce((s, x, i) => s + x * (9 - i), 0) - d[8];
  return sum % 11 === 0;
}

describe('federation', () => {
  let sdl;
  let household;
  let partner;
  let stranger;
  let permits;
  let gatewayURL;

  before(async () => {
    const { population } = hub;
    const persons = new Map(population.persons.map((p) => [p.bsn, p]));
    household = persons.get(population.scenarios.household);
    assert.ok(household, 'the household scenario names no person');
    partner = persons.get(household.partner?.bsn);
    assert.ok(partner, 'the household scenario has no partner');
    // A valid BSN the BRP does not know.
    for (let n = 999000000; !stranger; n++) {
      const bsn = String(n);
      if (elfproef(bsn) && !persons.has(bsn)) stranger = bsn;
    }
    permits = [
      { number: 'P-001', zone: 'Centrum', holderBsn: household.bsn },
      { number: 'P-002', zone: 'Noord', holderBsn: stranger },
      { number: 'P-003', zone: 'Centrum', holderBsn: partner.bsn },
    ];

    const res = await post(hub.graphqlURL, '{ _service { sdl } }');
    sdl = res.data._service.sdl;
    const parking = await startParking(permits);
    stops.push(parking.stop);
    const composed = composeServices([
      { name: 'poort', url: hub.graphqlURL, typeDefs: parse(sdl) },
      { name: 'parking', url: parking.url, typeDefs: parkingTypeDefs },
    ]);
    assert.equal(composed.errors, undefined, `composition failed: ${composed.errors?.map((e) => e.message).join('; ')}`);
    const gateway = await startGateway(composed.supergraphSdl);
    stops.push(gateway.stop);
    gatewayURL = gateway.url;
  });

  test('Poort links Federation 2 and composition reads it so', () => {
    assert.match(sdl, /extend schema\s+@link\(\s*url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+"/);
    const subgraph = buildSubgraph('poort', hub.graphqlURL, sdl);
    assert.equal(subgraph.metadata().isFed2Schema(), true);
  });

  test('a query through the gateway returns fields of both subgraphs', async () => {
    const res = await post(gatewayURL, `query($bsn: String!) {
      person(bsn: $bsn) { bsn name { surname } parkingPermits { number zone } }
    }`, { bsn: household.bsn });
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    assert.deepEqual(res.data.person, {
      bsn: household.bsn,
      name: { surname: household.surname },
      parkingPermits: [{ number: 'P-001', zone: 'Centrum' }],
    });
  });

  test("Poort resolves the second subgraph's persons, each error at its place", async () => {
    const res = await post(gatewayURL, '{ parkingPermits { number holder { bsn name { surname } } } }');
    assert.deepEqual(res.data.parkingPermits, [
      { number: 'P-001', holder: { bsn: household.bsn, name: { surname: household.surname } } },
      { number: 'P-002', holder: { bsn: stranger, name: null } },
      { number: 'P-003', holder: { bsn: partner.bsn, name: { surname: partner.surname } } },
    ]);
    // Poort reports the unknown BSN at ["_entities", 1]; from that index
    // the gateway finds the permit it belongs to.
    assert.equal(res.errors?.length, 1, JSON.stringify(res.errors));
    assert.deepEqual(res.errors[0].path, ['parkingPermits', 1, 'holder']);
    assert.equal(res.errors[0].extensions.code, 'NOT_FOUND');
    assert.equal(res.errors[0].extensions.serviceName, 'poort');
  });
});

describe('GraphQL over HTTP', () => {
  test("graphql-http's audit: everything holds but GET", async (t) => {
    const fetchFn = (url, init = {}) => fetch(url, {
      ...init,
      headers: { ...init.headers, authorization: `Bearer ${hub.token}` },
    });
    const results = await auditServer({ url: hub.graphqlURL, fetchFn });
    assert.ok(results.length > 50, `only ${results.length} audits ran`);
    for (const r of results) {
      await t.test(`${r.id} ${r.name}`, (st) => {
        // GET is a MAY the hub does not take up: a BSN must not travel
        // in a URL (docs/graphql.md).
        if (/\bGETs?\b/.test(r.name) && r.status !== 'ok') {
          assert.ok(r.name.startsWith('MAY '), `${r.id} requires GET`);
          st.diagnostic(`not taken up: ${r.reason}`);
          return;
        }
        assert.equal(r.status, 'ok', r.reason);
      });
    }
  });
});
