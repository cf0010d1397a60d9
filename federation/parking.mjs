// A second subgraph, as another municipal system would offer one: parking
// permits. It extends Poort's Person by its key with a field of its own,
// and refers to persons it knows only by BSN, which the gateway resolves
// through Poort's _entities.
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

export const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  "A resident's parking permit."
  type ParkingPermit {
    "Permit number."
    number: String!
    "The parking zone the permit is valid in."
    zone: String!
    "The holder, resolved by Poort."
    holder: Person
  }

  "A person, as Poort knows them by BSN."
  type Person @key(fields: "bsn") {
    "Burgerservicenummer."
    bsn: String!
    "The person's parking permits."
    parkingPermits: [ParkingPermit!]!
  }

  type Query {
    "Every permit, in permit number order."
    parkingPermits: [ParkingPermit!]!
  }
`);

// startParking serves the subgraph over the given permits, each
// { number, zone, holderBsn }.
export async function startParking(permits) {
  const toPermit = (p) => ({ number: p.number, zone: p.zone, holder: { bsn: p.holderBsn } });
  const resolvers = {
    Query: { parkingPermits: () => permits.map(toPermit) },
    Person: {
      __resolveReference: (ref) => ({ bsn: ref.bsn }),
      parkingPermits: (person) => permits.filter((p) => p.holderBsn === person.bsn).map(toPermit),
    },
  };
  const server = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs, resolvers }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
  return { url, stop: () => server.stop() };
}
